# Every third-party library comes from a Debian 12 package installed by scripts/install-deps.
find_package(Threads REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
# Boost.JSON is also in the fuzz build: the spec parser under fuzzing uses it.
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json)
# libsodium is in core (core/secrets.h), which the fuzz build has too.
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
# OpenCC reads Traditional Chinese for the assistant's interpreter, which is fuzzed too.
pkg_check_modules(OPENCC REQUIRED IMPORTED_TARGET opencc)

if(NOT HEARTH_FUZZ)
  find_package(OpenSSL REQUIRED)
  find_package(RocksDB REQUIRED CONFIG)
  find_package(SQLite3 REQUIRED)
  find_package(GTest REQUIRED)
  find_package(benchmark REQUIRED)
endif()
