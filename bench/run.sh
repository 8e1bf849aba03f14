#!/bin/sh
# The benchmark in one command (docs/performance.md): builds the server and the load generator,
# installs the Node reference's one dependency, raises the descriptor limit and runs
# bench/run.mjs. Arguments go to run.mjs: --full for the sizes of issue 8 (about 6 minutes),
# nothing for the quick mode (about 2 minutes).
#   BUILD_DIR=build-bench ./bench/run.sh --full
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${BUILD_DIR:-$root/build}
if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" -j"$(nproc)" --target fp-bench
(cd "$here/reference-node" && npm ci --no-audit --no-fund --silent)
# Server and load generator each hold up to ~10,000 sockets.
ulimit -n 20000 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec node "$here/run.mjs" --build-dir "$build" "$@"
