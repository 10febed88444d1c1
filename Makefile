# Hearth: the two commands a newcomer needs are `make run` and `make test`.
# Each installs what is missing (scripts/install-deps), then builds with CMake + Ninja + ccache.

JOBS ?= $(shell nproc)
# Paths under the checkout reach ccache relative to it, so clones in other directories share hits.
export CCACHE_BASEDIR := $(CURDIR)
CMAKE_GEN := -G Ninja
RELEASE_DIR := build/release
ASAN_DIR := build/asan
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 20
RUN_ARGS ?=

.PHONY: all deps build web run test unit-test fuzz bench bench-api bench-sim bench-assistant clean

all: build

deps:
	@scripts/install-deps

build: deps web
	cmake -S . -B $(RELEASE_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(RELEASE_DIR) -j $(JOBS)

# The web app (web/): npm packages as locked in web/package-lock.json, type-checked and bundled
# into web/dist, which hearthd serves (http.web_root).
web: deps
	scripts/build-web

# Starts the server on embedded storage under ./var with a demo home of simulated devices, in the
# foreground (Ctrl-C stops it; running it again reuses the data). RUN_ARGS go to hearthd.
run: build
	scripts/run-demo --build-dir $(RELEASE_DIR) $(RUN_ARGS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer, then every fuzz target.
test: unit-test fuzz

unit-test: deps web
	cmake -S . -B $(ASAN_DIR) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DHEARTH_SANITIZE=ON >/dev/null
	cmake --build $(ASAN_DIR) -j $(JOBS)
	cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

fuzz: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_DIR) $(CMAKE_GEN) -DHEARTH_FUZZ=ON \
	  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	scripts/run-fuzzers $(FUZZ_DIR) $(FUZZ_SECONDS)

bench: build
	scripts/bench-mqtt $(RELEASE_DIR)

# The app API with 1,000 devices online: authenticated reads/s (wrk), sets with the device round trip.
bench-api: build
	scripts/bench-api $(RELEASE_DIR)

# The fleet simulator's scenarios (connect storm, steady reporting, commands), hearthd and mosquitto.
bench-sim: build
	scripts/bench-sim $(RELEASE_DIR)

# The assistant: interpretations per second on a 100-device home, both development sets, then
# spoken commands on the demo home (espeak-ng → pocketsphinx, three voices).
bench-assistant: build
	$(RELEASE_DIR)/bench/hearth_assistant_bench
	python3 tests/assistant/score.py --set en --cmd "$(RELEASE_DIR)/apps/hearth/hearth assistant parse" --show 0
	python3 tests/assistant/score.py --set zh-cn --cmd "$(RELEASE_DIR)/apps/hearth/hearth assistant parse" --show 0
	python3 tests/e2e/speech_eval.py --build-dir $(RELEASE_DIR)

clean:
	rm -rf build web/dist web/node_modules
