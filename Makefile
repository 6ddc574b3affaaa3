# Top-level driver: the two set-up commands are `make run` and `make test`.
# CMake does the real building; this file only installs dependencies and picks build folders.
JOBS ?= 2
DB ?= demo/gridgov.db
LISTEN ?= 127.0.0.1:8080

.PHONY: all deps build build-asan run test bench clean

all: build

deps:
	@bash scripts/deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j$(JOBS) --target gridgov -- --no-print-directory

build-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DGG_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)

run: build
	@bash scripts/web.sh
	@mkdir -p $(dir $(DB))
	./build/gridgov demo --db $(DB) --listen $(LISTEN) --web web/dist

test: build-asan
	@cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS)

bench: build
	@bash scripts/deps.sh --bench
	@cmake --build build -j$(JOBS) -- --no-print-directory >/dev/null
	@bash bench/run.sh

clean:
	rm -rf build build-asan
