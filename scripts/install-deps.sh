#!/usr/bin/env bash
# Installs what Fire Poker needs on Debian 12, as root. Only packages not yet installed are
# fetched, so a second run costs nothing.
#   install-deps.sh          build + run dependencies
#   install-deps.sh --tests  also what the tests need (redis-server, chromium, node packages)
#   install-deps.sh --image  also what scripts/image-test.sh needs (podman with runc, mmdebstrap,
#                            podman-compose; node packages); may be given with --tests
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config ca-certificates
          libpoco-dev libboost-dev libhiredis-dev libcurl4-openssl-dev libssl-dev
          libspdlog-dev libfmt-dev catch2)
with_node_packages=0
for arg in "$@"; do
  case "$arg" in
    --tests)
      with_node_packages=1
      packages+=(redis-server chromium clang-format clang libclang-rt-14-dev
                openssl  # the Redis TLS tests make a throwaway CA with it
                docker-compose python3-yaml)  # scripts/check-deploy.sh: compose file parser
      ;;
    --image)
      # Rootful podman with runc (crun refuses this VM's cgroups) on CNI networks with the
      # dnsname plugin (compose services find each other by name), the base images made with
      # mmdebstrap, podman-compose for docker/compose.yaml.
      with_node_packages=1
      packages+=(podman runc uidmap slirp4netns fuse-overlayfs containernetworking-plugins
                golang-github-containernetworking-plugin-dnsname iptables mmdebstrap
                podman-compose python3-yaml curl)
      ;;
    *) echo "install-deps: unknown option $arg (--tests, --image)" >&2; exit 2 ;;
  esac
done
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ((with_node_packages)); then
  # The integration tests use ws, the browser tests playwright-core driving Debian's chromium.
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi
