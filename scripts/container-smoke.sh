#!/usr/bin/env bash
# A container-like smoke test without Docker: installs the build into a staging prefix exactly
# as docker/Dockerfile does (DESTDIR=... cmake --install --prefix /opt/fire-poker --component runtime --strip),
# makes it root-owned and read-only for the server, and starts the installed binary as a
# non-root user (nobody, via setpriv) with the image's production-like config
# (share/fire-poker/configs/aws.json: storage-redis + bus-redis on a Redis "sidecar", the Notion
# sink, OTLP metrics), configured only through the environment as on ECS. Then checks /healthz,
# /readyz, the HEALTHCHECK command, a full vote round, delivery to Notion (a local double),
# /metrics, the OTLP export, JSON logs and a graceful SIGTERM (scripts/deploy-checks/smoke-round.mjs).
#
#   container-smoke.sh [BUILD_DIR]      (default: $FP_BUILD_DIR or build; must be built)
#
# Needs redis-server, node and tests/node_modules (scripts/install-deps.sh --tests).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-${FP_BUILD_DIR:-build}}
[[ -x "$build/bin/fire-poker" ]] || { echo "container-smoke: $build is not built (no bin/fire-poker)" >&2; exit 1; }
for tool in redis-server redis-cli node setpriv; do
  command -v "$tool" >/dev/null || { echo "container-smoke: $tool is missing (scripts/install-deps.sh --tests)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/fire-poker-smoke.XXXXXX)
redis_pid=""
cleanup() {
  if [[ -n "$redis_pid" ]]; then kill "$redis_pid" 2>/dev/null || true; wait "$redis_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Install as the image does, into $work/opt/fire-poker.
DESTDIR="$work" cmake --install "$build" --prefix /opt/fire-poker --component runtime --strip >/dev/null
stage="$work/opt/fire-poker"
echo "container-smoke: installed $(find "$stage" -type f | wc -l) files into a staging /opt/fire-poker:"
(cd "$stage" && find . -maxdepth 4 \( -name 'fire-poker' -o -name '*.so' -o -name '*.json' -o -name 'index.html' \) | sort | sed 's/^/  /')

# Root-owned and not writable by the server's user: the stand-in for a read-only root file
# system. The resume secret comes from a file, as with Docker/Kubernetes secrets.
mkdir -p "$work/run/secrets"
printf 'container-smoke-resume-secret-0123456789\n' > "$work/run/secrets/resume"
chown -R root:root "$work"
chmod -R u+rwX,go+rX,go-w "$work"
chmod 0444 "$work/run/secrets/resume"

# 2. The configuration: the image's aws.json when the plugins it names are built.
plugins="$stage/lib/fire-poker/plugins"
config="$stage/share/fire-poker/configs/aws.json"
missing=()
for p in storage-redis bus-redis sink-notion transport-websocket; do
  [[ -f "$plugins/fire-poker-$p.so" ]] || missing+=("$p")
done
redis_args=()
notion_args=()
if ((${#missing[@]})); then
  for p in "${missing[@]}"; do
    if grep -rqE "firepoker_add_plugin\(NAME $p( |\$)" plugins --include=CMakeLists.txt; then
      echo "container-smoke: plugin $p is in the tree but $plugins/fire-poker-$p.so was not installed" >&2
      exit 1
    fi
  done
  # Plugins still being written are not in the tree yet: smoke-test the same installed image
  # with aws.json minus what is missing (storage-memory/bus-local, sink-jsonl), and say so.
  echo "container-smoke: NOTE: ${missing[*]} not in this tree yet: configs/aws.json with stand-ins for them"
  mkdir -p "$work/etc/fire-poker" "$work/var/lib/fire-poker"
  node -e '
    const fs = require("fs");
    const [src, dst, ...missing] = process.argv.slice(1);
    const c = JSON.parse(fs.readFileSync(src, "utf8"));
    if (missing.includes("storage-redis")) c.storage = { plugin: "storage-memory" };
    if (missing.includes("bus-redis")) c.bus = { plugin: "bus-local" };
    if (missing.includes("sink-notion")) c.sinks = [{ name: "results-file", plugin: "sink-jsonl",
      options: { path: "../../var/lib/fire-poker/results.jsonl" } }];
    fs.writeFileSync(dst, JSON.stringify(c, null, 2));' "$config" "$work/etc/fire-poker/config.json" "${missing[@]}"
  config="$work/etc/fire-poker/config.json"
  chmod 0444 "$config"
  chown 65534:65534 "$work/var/lib/fire-poker"  # the one writable place (a volume in the image)
fi
if [[ -f "$plugins/fire-poker-storage-redis.so" ]]; then
  # 3. The Redis "sidecar": no persistence, capped, loopback only, on a free port.
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --maxmemory 64mb \
    --maxmemory-policy noeviction --daemonize no --loglevel warning > "$work/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do
    redis-cli -p "$port" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  redis-cli -p "$port" ping | grep -q PONG || { echo "container-smoke: redis-server did not start" >&2; cat "$work/redis.log" >&2; exit 1; }
  redis_args=(--redis-port "$port")
fi
if grep -q '"sink-notion"' "$config"; then
  notion_args=(--notion-double tests/notion-double/notion-double.mjs)
fi

# 4. The server as nobody, and the checks.
node scripts/deploy-checks/smoke-round.mjs --exe "$stage/bin/fire-poker" --config "$config" \
  --user 65534 --secret-file "$work/run/secrets/resume" "${redis_args[@]}" "${notion_args[@]}"
