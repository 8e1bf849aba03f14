#!/usr/bin/env bash
# Builds the real image from docker/Dockerfile, unchanged, with podman and runs it: what a
# deploy ships, checked on a machine without Docker and without any registry.
#   1. base images: debian:bookworm-slim (the Dockerfile's FROM) made with mmdebstrap
#      --variant=minbase from the Debian mirror apt uses here, and the Redis sidecar of
#      docker/compose.yaml made the same way from Debian's redis-server; both `podman import`ed
#      under the names the Dockerfile and the compose file use. Cached between runs (below).
#   2. podman build --format docker (keeps HEALTHCHECK) -f docker/Dockerfile, with the build
#      context filtered by docker/Dockerfile.dockerignore, as `docker build` does.
#   3. the image alone: /healthz, /readyz, a WebSocket join answered by `welcome`, the process
#      is not root, the HEALTHCHECK passes (podman healthcheck run), SIGTERM ends it with exit
#      code 0 and "shutdown complete" in its log within the stop grace period.
#   4. docker/compose.yaml with podman-compose: the Redis sidecar and both servers ready, a
#      participant joined on one server is seen from the other, the room is in Redis, both
#      servers exit 0 on stop.
# Ports are published on 127.0.0.1 only. Everything podman keeps (images, containers, networks,
# volumes) lives in a temporary folder, removed at the end, with its own containers.conf
# (runc, no systemd, the rlimits this VM allows) and storage.conf.
#
#   image-test.sh
#   FP_IMAGE_CACHE=DIR     where base image tarballs are kept (default
#                          /var/cache/fire-poker/image-test; "off": always make them anew)
#   FP_IMAGE_CACHE_DAYS=N  remake them when older (default 7: security updates come in)
#   FP_SKIP_INSTALL=1      do not run scripts/install-deps.sh --image
# Needs root (rootful podman; mmdebstrap in root mode).
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
python=/usr/bin/python3  # Debian's, with python3-yaml
dockerfile=docker/Dockerfile
compose_file=docker/compose.yaml
passed=0
work=""
compose_net=""
compose_bridge=""

say() { echo "image-test: $*"; }
ok() { passed=$((passed + 1)); echo "  ok   $*"; }
since() { echo $(( $(date +%s) - $1 )); }

# Every container podman knows here, with its state and the end of its log.
dump_logs() {
  [[ -n "$work" && -d "$work/storage" ]] || return 0
  local name
  for name in $(podman ps -a --format '{{.Names}}' 2>/dev/null); do
    echo "---- container $name: $(podman inspect --format '{{.State.Status}}, exit code {{.State.ExitCode}}' "$name" 2>/dev/null)"
    podman logs --tail 60 "$name" 2>&1 | sed 's/^/    /'
  done
}
die() {
  trap - ERR
  echo "image-test: FAILED: $*" >&2
  dump_logs
  echo "image-test: $passed passed, 1 failed"
  exit 1
}
# Shows a log file's end and fails.
die_log() { local log=$1; shift; echo "---- last lines of $log:"; tail -n 60 "$log" | sed 's/^/    /'; die "$*"; }

cleanup() {
  local rc=$?
  trap - ERR
  set +e
  if [[ -n "$work" && -d "$work" ]]; then
    if [[ -d "$work/storage" ]]; then
      podman rm --all --force --time 0 >/dev/null 2>&1
      podman volume rm --all --force >/dev/null 2>&1
      podman network prune --force >/dev/null 2>&1
      podman rmi --all --force >/dev/null 2>&1
    fi
    # CNI keeps a little per network outside podman's folders: the compose network's address
    # allocations and the INPUT rule that lets its containers reach its DNS.
    if [[ -n "$compose_net" ]]; then
      rm -rf "/var/lib/cni/networks/$compose_net"
      if [[ -n "$compose_bridge" ]] && ! ip link show "$compose_bridge" >/dev/null 2>&1; then
        while iptables -D INPUT -i "$compose_bridge" -p udp -m udp --dport 53 -j ACCEPT 2>/dev/null; do :; done
      fi
    fi
    # Layers still mounted (an interrupted build) before the folder goes.
    grep -o " $work/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf "$work"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Any other command that fails says so too (in the script's own shell, not in $(...)).
set -E
trap 'status=$?; [[ $BASHPID == "$$" ]] && die "line $LINENO: $BASH_COMMAND (exit $status)"' ERR

[[ $(id -u) -eq 0 ]] || die "run as root: podman runs rootful here and mmdebstrap needs root mode"
# In an unprivileged container (a CI job's `container:`) neither podman nor mmdebstrap can mount.
cap_eff=$(awk '/^CapEff:/ {print $2}' /proc/self/status)
(( (16#$cap_eff >> 21) & 1 )) || die "no CAP_SYS_ADMIN (an unprivileged container?): podman and mmdebstrap must mount; run on the machine itself or in a privileged container"
if [[ "${FP_SKIP_INSTALL:-0}" != "1" ]]; then
  ./scripts/install-deps.sh --image
fi
for tool in podman runc mmdebstrap podman-compose node curl iptables; do
  command -v "$tool" >/dev/null || die "$tool is missing (scripts/install-deps.sh --image)"
done
[[ -d /usr/lib/cni && -x /usr/lib/cni/dnsname ]] || die "the CNI plugins are missing (containernetworking-plugins, golang-github-containernetworking-plugin-dnsname)"
[[ -d tests/node_modules/ws ]] || die "tests/node_modules/ws is missing (npm ci in tests/)"

# ---------------------------------------------------------------------------------------------
# podman's own configuration, all of it in $work.
work=$(mktemp -d "${TMPDIR:-/tmp}/fire-poker-image-test.XXXXXX")
mkdir -p "$work/storage" "$work/run" "$work/cni" "$work/tmp"
cat > "$work/containers.conf" <<EOF
[containers]
# The rlimits this VM grants (no CAP_SYS_RESOURCE, hard nofile 20000); podman's defaults fail.
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]

[network]
network_config_dir = "$work/cni"

[engine]
# crun refuses this VM's cgroups (hybrid mode); no systemd here.
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$work/events.log"
tmp_dir = "$work/run/libpod"
static_dir = "$work/storage/libpod"
volume_path = "$work/storage/volumes"
EOF
cat > "$work/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$work/storage"
runroot = "$work/run"
EOF
export CONTAINERS_CONF="$work/containers.conf" CONTAINERS_STORAGE_CONF="$work/storage.conf"
export TMPDIR="$work/tmp"  # podman build's context copies, mmdebstrap's chroots
say "podman $(podman version --format '{{.Client.Version}}') with $(podman info --format '{{.Host.OCIRuntime.Name}}') and $(podman info --format '{{.Host.NetworkBackend}}'); storage in $work"

# ---------------------------------------------------------------------------------------------
# 1. Base images.
phase=$(date +%s)
base_name=$("$python" scripts/image-test/names.py from "$dockerfile") || die "$dockerfile: cannot tell its base image"
mapfile -t compose_names < <("$python" scripts/image-test/names.py compose "$compose_file") \
  || die "$compose_file: cannot tell its images"
server_image=$(printf '%s\n' "${compose_names[@]}" | sed -n 's/^built //p')
grace=$(printf '%s\n' "${compose_names[@]}" | sed -n 's/^grace //p')
read -r _ redis_service redis_name < <(printf '%s\n' "${compose_names[@]}" | grep '^sidecar ') || true
[[ -n "$server_image" && -n "$grace" ]] || die "$compose_file: cannot tell the servers' image and stop grace period"
[[ -n "${redis_name:-}" ]] || die "$compose_file has no sidecar service (redis)"
# A short name is Docker Hub's, as docker build and docker compose read it.
qualify() { if [[ "$1" == */* ]]; then echo "$1"; else echo "docker.io/library/$1"; fi; }
[[ "$base_name" =~ ^debian:([a-z]+)(-slim)?$ ]] || die "$dockerfile builds FROM $base_name; this script can make only debian:<codename>[-slim]"
codename=${BASH_REMATCH[1]}
host_codename=$(. /etc/os-release && echo "$VERSION_CODENAME")
[[ "$codename" == "$host_codename" ]] || die "$dockerfile builds FROM debian:$codename, but apt here is on $host_codename: no mirror to make it from"
mapfile -t mirrors < <("$python" scripts/image-test/names.py mirrors "$codename")
((${#mirrors[@]})) || die "no Debian $codename mirror in /etc/apt/sources.list*"

# Like the official slim images: no manuals, docs (copyright files stay), locales.
mm_common=(--variant=minbase --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr --format=tar
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/doc/*'
  --dpkgopt='path-include=/usr/share/doc/*/copyright' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/groff/*'
  --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/linda/*')
# Apt here accepts the mirror's Release files past their Valid-Until (a snapshot mirror): so
# must apt inside the images, or the Dockerfile's apt-get update fails where the host's works.
if [[ "$(apt-config dump)" == *$'\nAcquire::Check-Valid-Until "false";'* ]]; then
  mm_common+=(--aptopt='Acquire::Check-Valid-Until "false"')
fi
mm_redis=(--include=redis-server
  --customize-hook='upload scripts/image-test/redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh'
  --customize-hook='chroot "$1" chmod 0755 /usr/local/bin/docker-entrypoint.sh')

cache=${FP_IMAGE_CACHE:-/var/cache/fire-poker/image-test}
cache_days=${FP_IMAGE_CACHE_DAYS:-7}
[[ "$cache" == off ]] && cache="$work/base"
mkdir -p "$cache"
# The cache key covers everything that makes the tarballs (a change of any remakes them).
key=$( { echo "recipe 1"; mmdebstrap --version; printf '%s\n' "$codename" "${mirrors[@]}" "${mm_common[@]}" "${mm_redis[@]}";
         cat scripts/image-test/redis-entrypoint.sh; } | sha256sum | cut -c1-16)
base_tar="$cache/debian-$codename-slim-$key.tar"
redis_tar="$cache/redis-$codename-$key.tar"
find "$cache" -maxdepth 1 \( -name '*.tar' \( -mtime "+$((cache_days - 1))" -o \! -name "*-$key.tar" \) \
  -o -name '*.partial' -mtime +0 \) -delete 2>/dev/null || true

make_tar() {  # make_tar OUT LOG mmdebstrap-options...
  local out=$1 log=$2; shift 2
  mmdebstrap "$@" "$codename" "$out.partial" "${mirrors[@]}" > "$log" 2>&1 && mv "$out.partial" "$out"
}
pids=()
made=()
if [[ ! -f "$base_tar" ]]; then
  make_tar "$base_tar" "$work/mmdebstrap-base.log" "${mm_common[@]}" & pids+=($!); made+=(base)
fi
if [[ ! -f "$redis_tar" ]]; then
  make_tar "$redis_tar" "$work/mmdebstrap-redis.log" "${mm_common[@]}" "${mm_redis[@]}" & pids+=($!); made+=(redis)
fi
if ((${#pids[@]})); then
  say "making ${made[*]} with mmdebstrap --variant=minbase from ${mirrors[0]#deb } ..."
  for i in "${!pids[@]}"; do
    wait "${pids[$i]}" || { rm -f "$cache"/*.partial; die_log "$work/mmdebstrap-${made[$i]}.log" "mmdebstrap (${made[$i]} image)"; }
  done
  base_how="made with mmdebstrap (${made[*]}), cached in $cache"
else
  base_how="from the cache $cache"
fi
env_path='ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
podman import --quiet --change "$env_path" --change 'CMD ["bash"]' \
  "$base_tar" "$(qualify "$base_name")" > "$work/import.log" 2>&1 || die_log "$work/import.log" "podman import $base_name"
podman import --quiet --change "$env_path" --change 'USER redis' --change 'WORKDIR /var/lib/redis' \
  --change 'EXPOSE 6379' --change 'ENTRYPOINT ["docker-entrypoint.sh"]' --change 'CMD ["redis-server"]' \
  "$redis_tar" "$(qualify "$redis_name")" >> "$work/import.log" 2>&1 || die_log "$work/import.log" "podman import $redis_name"
base_seconds=$(since "$phase")
say "base images $(qualify "$base_name") and $(qualify "$redis_name") (Debian's $(podman run --rm --entrypoint redis-server "$(qualify "$redis_name")" --version | grep -o 'v=[0-9.]*')) in ${base_seconds} s, $base_how"

# ---------------------------------------------------------------------------------------------
# 2. The image, from docker/Dockerfile as it is.
phase=$(date +%s)
revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
say "podman build --format docker -f $dockerfile -t $server_image . (log: build.log; each step's start below)"
build_status=0
podman build --format docker --pull=never --layers=false --jobs 2 -f "$dockerfile" -t "$server_image" \
  --build-arg REVISION="$revision" --build-arg CREATED="$(date -u +%Y-%m-%dT%H:%M:%SZ)" --build-arg SOURCE=image-test . 2>&1 \
  | while IFS= read -r line; do
      printf '%s\n' "$line" >> "$work/build.log"
      if [[ "$line" == *"STEP "* ]]; then printf '  [%4s s] %.110s\n' "$(since "$phase")" "$line"; fi
    done || build_status=$?
((build_status == 0)) || die_log "$work/build.log" "podman build -f $dockerfile (exit $build_status)"
build_seconds=$(since "$phase")
image_size=$(podman images --format '{{.Size}}' "$server_image")
say "built $server_image in ${build_seconds} s: $(podman images --format '{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' "$server_image")"

# ---------------------------------------------------------------------------------------------
# 3. The image alone, as the ECS task runs it (read-only root file system).
phase=$(date +%s)
echo; say "the image alone"
inspect() { podman image inspect --format "$1" "$server_image"; }
[[ "$(inspect '{{.Config.User}}')" =~ ^[1-9][0-9]*(:[0-9]+)?$ ]] || die "the image's USER is '$(inspect '{{.Config.User}}')', not a numeric non-root user"
[[ "$(inspect '{{index .Config.Labels "org.opencontainers.image.revision"}}')" == "$revision" ]] || die "the image's revision label is not $revision"
healthcheck=$(inspect '{{json .HealthCheck}}')
[[ "$healthcheck" == *'--healthcheck'* ]] || die "the image has no HEALTHCHECK (built with --format docker?): $healthcheck"
ok "image config: user $(inspect '{{.Config.User}}'), HEALTHCHECK $(inspect '{{join .HealthCheck.Test " "}}'), revision label"

# Waits (up to $2 s) until the command in $3... succeeds; fails naming $1.
wait_for() {
  local what=$1 seconds=$2; shift 2
  local deadline=$(( $(date +%s) + seconds ))
  until "$@" >/dev/null 2>&1; do
    (( $(date +%s) < deadline )) || die "timed out after $seconds s waiting for $what"
    sleep 0.5
  done
}
running() { [[ "$(podman inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" == true ]]; }
http_ok() { curl -fsS --max-time 3 -o /dev/null "http://$1$2"; }
# Waits (up to $4 s) for 200 from http://$2$3, failing at once when container $1 stops.
wait_http() {
  local name=$1 addr=$2 path=$3 deadline=$(( $(date +%s) + $4 ))
  until http_ok "$addr" "$path" 2>/dev/null; do
    running "$name" || die "$name stopped before $path answered 200"
    (( $(date +%s) < deadline )) || die "$name: $path did not answer 200 within $4 s ($(curl -sS --max-time 3 "http://$addr$path" 2>&1 | head -c 300))"
    sleep 0.5
  done
}
host_port() { podman port "$1" 8080/tcp | head -1; }  # 127.0.0.1:PORT
# The server process of container $1 runs as a non-root uid (real, effective, saved, fs).
not_root() {
  local pid uids
  pid=$(podman inspect --format '{{.State.Pid}}' "$1")
  uids=$(awk '/^Uid:/ {print $2, $3, $4, $5}' "/proc/$pid/status")
  [[ -n "$uids" && ! " $uids " =~ " 0 " ]] || die "$1: the server process $pid runs as uid $uids (root)"
  ok "$1: the server process ($(cat "/proc/$pid/comm"), pid $pid) runs as uid ${uids%% *}, not root"
}
ws_check() {
  local out status=0
  out=$(node scripts/image-test/ws-check.mjs "$@" 2>&1) || status=$?
  echo "$out"
  passed=$((passed + $(grep -c '^  ok ' <<<"$out" || true)))
  ((status == 0)) || die "WebSocket check ($*)"
}
# podman stop (SIGTERM, the image's STOPSIGNAL; SIGKILL after the grace period), then: exit
# code 0, "shutdown complete" logged, in time.
stops_cleanly() {
  local name=$1 t0 took code
  t0=$(date +%s%N)
  podman stop --time "$grace" "$name" >> "$work/podman.log" 2>&1 || die_log "$work/podman.log" "podman stop $name"
  took=$(( ($(date +%s%N) - t0) / 1000000 ))
  code=$(podman inspect --format '{{.State.ExitCode}}' "$name")
  ((code == 0)) || die "$name: exit code $code after SIGTERM (137: killed after the $grace s grace period)"
  [[ "$(podman logs "$name" 2>&1)" == *"shutdown complete"* ]] || die "$name: no \"shutdown complete\" in its log"
  ((took < grace * 1000)) || die "$name: took $took ms to stop, the grace period is $grace s"
  ok "$name: SIGTERM -> exit code 0, \"shutdown complete\" logged, stopped in $took ms (grace period $grace s)"
}

smoke=fire-poker-smoke
# (podman logs, without systemd here, that it cannot set up timers for health checks: those are
# run by hand below, so that is kept out of the way in podman.log.)
podman run -d --name "$smoke" --read-only -p 127.0.0.1::8080 \
  -e FP_RESUME_SECRET="image-test-$(date +%s%N)" "$server_image" >> "$work/podman.log" 2>&1 || die_log "$work/podman.log" "podman run $server_image"
wait_for "the published port of $smoke" 20 host_port "$smoke"
addr=$(host_port "$smoke")
[[ "$addr" == 127.0.0.1:* ]] || die "$smoke is published on $addr, not on loopback"
wait_http "$smoke" "$addr" /healthz 30
ok "$smoke: /healthz answers 200 on $addr (the image's default command, read-only root file system)"
wait_http "$smoke" "$addr" /readyz 20
ok "$smoke: /readyz answers 200"
ws_check join "ws://$addr/ws" "image-test-$$"
not_root "$smoke"
podman healthcheck run "$smoke" > "$work/healthcheck.log" 2>&1 || die_log "$work/healthcheck.log" "$smoke: podman healthcheck run (the image's HEALTHCHECK)"
ok "$smoke: podman healthcheck run: $(podman inspect --format '{{.State.Health.Status}}' "$smoke" 2>/dev/null || echo healthy)"
stops_cleanly "$smoke"
podman rm "$smoke" >> "$work/podman.log" 2>&1
smoke_seconds=$(since "$phase")

# ---------------------------------------------------------------------------------------------
# 4. docker/compose.yaml: the Redis sidecar and both servers. podman-compose 1.0.3 has no
# --profile (it starts every service, so the `scaled` second server too) and ignores
# depends_on conditions: Redis is started and waited for first, as compose would.
phase=$(date +%s)
echo; say "$compose_file with podman-compose $(podman-compose version 2>/dev/null | sed -n 's/^podman-composer* version *//p' | head -1)"
project="fpit$$"
read -r port_1 port_2 < <("$python" -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
FP_RESUME_SECRET="image-test-$(date +%s%N)"
export FP_RESUME_SECRET FP_BIND_ADDRESS=127.0.0.1 FP_PORT="$port_1" FP_PORT_2="$port_2"
unset FP_IMAGE FP_REDIS_IMAGE  # the names the compose file uses by default
compose=(podman-compose -p "$project" -f "$compose_file")
compose_net="${project}_default"
"${compose[@]}" up -d "$redis_service" > "$work/compose-up.log" 2>&1 || die_log "$work/compose-up.log" "podman-compose up -d $redis_service"
compose_bridge=$(podman network inspect --format '{{.NetworkInterface}}' "$compose_net" 2>/dev/null || true)
container_of() { podman ps -a --filter "label=io.podman.compose.project=$project" --filter "label=com.docker.compose.service=$1" --format '{{.Names}}' | head -1; }
redis_ctr=$(container_of "$redis_service")
[[ -n "$redis_ctr" ]] || die_log "$work/compose-up.log" "podman-compose made no container for $redis_service"
wait_for "$redis_ctr: healthy (its compose health check)" 30 podman healthcheck run "$redis_ctr"
ok "$redis_ctr: its compose health check (redis-cli ping) passes"
"${compose[@]}" up -d >> "$work/compose-up.log" 2>&1 || die_log "$work/compose-up.log" "podman-compose up -d"
mapfile -t servers < <(podman ps -a --filter "label=io.podman.compose.project=$project" --format '{{.Names}}' | grep -v "^$redis_ctr\$" | sort)
((${#servers[@]} == 2)) || die_log "$work/compose-up.log" "expected two servers (server, server-2), podman-compose made: ${servers[*]}"
urls=()
for name in "${servers[@]}"; do
  wait_for "the published port of $name" 20 host_port "$name"
  addr=$(host_port "$name")
  [[ "$addr" == 127.0.0.1:* ]] || die "$name is published on $addr, not on loopback"
  wait_http "$name" "$addr" /healthz 60
  wait_http "$name" "$addr" /readyz 60
  ok "$name: /healthz and /readyz answer 200 on $addr"
  urls+=("ws://$addr/ws")
done
room="image-test-compose-$$"
ws_check across "${urls[0]}" "${urls[1]}" "$room"
redis_cli() { podman exec "$redis_ctr" redis-cli "$@"; }
room_keys=$(redis_cli --scan --pattern "*$room*" | sort | paste -sd' ')
[[ -n "$room_keys" ]] || die "no key of room $room in Redis (keys: $(redis_cli --scan | head -20 | paste -sd' '))"
ok "$redis_ctr: the room is in Redis: $room_keys ($(redis_cli dbsize) keys in all)"
redis_conf=$(redis_cli config get save appendonly maxmemory-policy protected-mode | paste -sd' ')
[[ "$redis_conf" == *"appendonly no"* && "$redis_conf" == *"noeviction"* && "$redis_conf" == *"protected-mode no"* ]] \
  || die "$redis_ctr does not run with the compose file's settings: $redis_conf"
[[ "$(redis_cli config get save | sed -n 2p)" == "" ]] || die "$redis_ctr saves RDB snapshots: save $(redis_cli config get save | sed -n 2p)"
ok "$redis_ctr: runs with the compose file's settings (save \"\", appendonly no, maxmemory-policy noeviction) and protected mode off"
for name in "${servers[@]}"; do
  not_root "$name"
  podman healthcheck run "$name" > "$work/healthcheck.log" 2>&1 || die_log "$work/healthcheck.log" "$name: podman healthcheck run (the compose health check)"
  ok "$name: its compose health check (fire-poker --healthcheck) passes"
done
for name in "${servers[@]}"; do stops_cleanly "$name"; done
"${compose[@]}" down -v > "$work/compose-down.log" 2>&1 || die_log "$work/compose-down.log" "podman-compose down -v"
compose_seconds=$(since "$phase")

echo
say "image $server_image: $image_size (podman images); base images ${base_seconds} s ($base_how)"
say "build ${build_seconds} s, image smoke test ${smoke_seconds} s, compose test ${compose_seconds} s, total $(since "$start") s"
echo "image-test: $passed passed, 0 failed"
