#!/usr/bin/env bash
# Sets up, builds and runs every test: unit (Catch2), integration (the real server over real
# WebSockets) and browser (Debian's chromium), all through ctest.
#   test-all.sh                 the normal build in build/
#   FP_SANITIZE=1 test-all.sh   an address + undefined-behaviour sanitizer build in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh --tests

build_dir=build
cmake_args=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DFP_WERROR=ON)
if [[ "${FP_SANITIZE:-0}" == "1" ]]; then
  build_dir=build-asan
  cmake_args=(-DCMAKE_BUILD_TYPE=Debug -DFP_WERROR=ON -DFP_SANITIZE=ON)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
cmake -S . -B "$build_dir" -G Ninja "${cmake_args[@]}"
cmake --build "$build_dir" -j2
ctest --test-dir "$build_dir" --output-on-failure -j2 ${FP_CTEST_ARGS:-}
