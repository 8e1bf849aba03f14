#!/bin/sh
# The soak test (issue 9; not in CI): bench/soak.sh [DURATION] [--storage redis] ...
# DURATION defaults to 30m (also 90s, 3m, 1h). Exits non-zero on growth of the server's RSS,
# descriptors or threads beyond noise, or on any unexpected error. See docs/performance.md.
#   BUILD_DIR=build-bench ./bench/soak.sh 3m
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD_DIR:-$root/build}
cmake --build "$build" -j"$(nproc)" --target fp-bench
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec node "$here/soak.mjs" --build-dir "$build" "$@"
