#!/usr/bin/env bash
# Sets up, builds and runs Fire Poker on the embedded default (storage-memory, in-process bus,
# results appended to data/results.jsonl). Open http://localhost:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2 --target fire-poker fp_plugin_transport_websocket \
  fp_plugin_storage_memory fp_plugin_bus_local fp_plugin_sink_jsonl
exec ./build/bin/fire-poker --config configs/local.json "$@"
