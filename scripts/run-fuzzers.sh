#!/usr/bin/env bash
# Builds the libFuzzer targets with clang and runs each for a bounded time on a copy of the
# committed seed corpus (fuzz/corpus/). Exits non-zero on the first crash, leak or UB report.
#   FP_FUZZ_SECONDS=60 scripts/run-fuzzers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FP_FUZZ_SECONDS:-45}
command -v clang++ >/dev/null || { echo "run-fuzzers: clang++ is missing (apt-get install clang)" >&2; exit 1; }
CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFP_FUZZ=ON -DFP_BUILD_TESTS=OFF -DFP_BUILD_PLUGINS=OFF >/dev/null
cmake --build build-fuzz -j2 --target fp_fuzz_messages fp_fuzz_config fp_fuzz_transport
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in messages config transport; do
  mkdir -p "$work/$name"
  cp fuzz/corpus/"$name"/* "$work/$name/"
  echo "run-fuzzers: $name for ${seconds}s"
  status=0
  ./build-fuzz/bin/fp_fuzz_"$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/$name-" "$work/$name" >"$work/$name.log" 2>&1 ||
    status=$?
  tail -n 12 "$work/$name.log"
  if [[ $status -ne 0 ]]; then
    echo "run-fuzzers: $name FAILED (exit $status); the report and the crashing input:" >&2
    grep -A40 -m1 "ERROR\|runtime error\|deadly signal" "$work/$name.log" >&2 || true
    for crash in "$work/$name-"*; do [[ -e $crash ]] && { echo "$crash:"; head -c 2000 "$crash"; echo; } >&2; done
    exit "$status"
  fi
done
echo "run-fuzzers: no crash in ${seconds}s per target"
