// Reading spec files, and ParseError's text. JSON itself is read by core::parseJson.
#include <cstring>
#include <fstream>
#include <sstream>

#include "hearth/spec/json.h"
#include "json_reader.h"

namespace hearth::spec {

std::string ParseError::toString() const {
  if (pointer.empty()) return reason;
  return pointer + ": " + reason;
}

namespace detail {

core::Result<std::string> readTextFile(const std::filesystem::path& path) {
  std::error_code dir_ec;
  if (std::filesystem::is_directory(path, dir_ec)) {
    return core::Status::ioError("cannot read " + path.string() + ": is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Status::ioError("cannot open " + path.string() + ": " + std::strerror(errno));
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) return core::Status::ioError("cannot read " + path.string());
  return std::move(out).str();
}

}  // namespace detail

}  // namespace hearth::spec
