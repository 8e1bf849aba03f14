#!/usr/bin/env bash
# User-space instructions per delivery of the server at saturation (20 rooms x 10, storage-memory),
# counted by callgrind over every thread: unlike CPU time, the same for the same binary and load
# on a busy machine or a quiet one, so it shows what a change to the core costs or saves.
# Kernel work (the sends) is not in it: bench/run.sh measures the whole.
#   ./bench/instructions.sh                 the build in build/
#   BUILD_DIR=build-x ./bench/instructions.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build}
command -v valgrind >/dev/null || { echo "instructions: valgrind is missing (apt-get install valgrind)" >&2; exit 2; }
for file in "$build/bin/fire-poker" "$build/bin/fp-loadgen"; do
  [[ -x "$file" ]] || { echo "instructions: $file is missing: build first" >&2; exit 2; }
done
ulimit -n 20000 2>/dev/null || true
dir=$(mktemp -d /tmp/fp-instructions.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$dir/config.json" <<JSON
{"server": {"listen": "127.0.0.1:$port", "instanceId": "bench-1", "messagesPerSecond": 10000,
            "messageBurst": 10000, "maxRoomsPerInstance": 100000},
 "log": {"format": "text", "level": "warn"},
 "transport": {"plugin": "transport-websocket", "options": {"maxConnectionsPerAddress": 0}},
 "storage": {"plugin": "storage-memory"}, "bus": {"plugin": "bus-local"}, "sinks": []}
JSON
metric() { curl -s "127.0.0.1:$port/metrics" | awk -v name="$1" '$1 == name {print $2}'; }
FP_RESUME_SECRET=bench-resume-secret-0123456789 valgrind --tool=callgrind --instr-atstart=no \
  --callgrind-out-file="$dir/callgrind.out" "$build/bin/fire-poker" --config "$dir/config.json" \
  > "$dir/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -s -o /dev/null "127.0.0.1:$port/healthz" && break; sleep 0.3; done
"$build/bin/fp-loadgen" --mode saturate --rooms 20 --per-room 10 --connect-rate 2500 --warmup 4 \
  --duration 12 --prefix ir --port "$port" > "$dir/loadgen.json" 2> "$dir/loadgen.log" &
loadgen=$!
sleep 8  # connected and voting
before=$(metric fp_room_commits_total)
callgrind_control -i on "$server" > /dev/null
sleep 6
callgrind_control -i off "$server" > /dev/null
after=$(metric fp_room_commits_total)
callgrind_control -d "$server" > /dev/null
wait "$loadgen" || true
total=$(callgrind_annotate "$dir/callgrind.out.1" 2>/dev/null | awk '/PROGRAM TOTALS/ && !done {gsub(",", "", $1); print $1; done = 1}')
commits=$((after - before))
echo "instructions: $commits commits (votes) measured, $total instructions in user space"
echo "instructions: $((total / (commits * 10))) per delivery (a vote reaches its room's 10 connections)"
echo "instructions: profile in $dir/callgrind.out.1 (callgrind_annotate --inclusive=yes ...)"
