#!/bin/sh
# The benchmark in one command (docs/performance.md): builds the server and the load generator,
# installs the Node reference's one dependency, raises the descriptor limit and runs
# bench/run.mjs. Arguments go to run.mjs: --full for the sizes of issue 8 (about 6 minutes),
# nothing for the quick mode (about 2 minutes).
#   BUILD_DIR=build-bench ./bench/run.sh --full
set -eu
here=$(cd "$(dirname "$0")" && pwd)
# FP_BENCH_NETNS=1: run everything in a fresh network namespace (root only), whose loopback has
# no firewall rules. A host with iptables NAT rules (podman's CNI adds some) sends every
# loopback packet through connection tracking, which costs both servers the same microseconds
# per message and so pushes every ratio towards 1 (docs/performance.md).
if [ "${FP_BENCH_NETNS:-0}" = 1 ] && [ -z "${FP_BENCH_IN_NETNS:-}" ]; then
  ns="fpbench-$$"
  ip netns add "$ns"
  trap 'ip netns delete "$ns"' EXIT
  ip netns exec "$ns" ip link set lo up
  FP_BENCH_IN_NETNS=1 ip netns exec "$ns" "$0" "$@"
  exit $?
fi
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
