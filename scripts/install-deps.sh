#!/usr/bin/env bash
# Installs what Fire Poker needs on Debian 12, as root. Only packages not yet installed are
# fetched, so a second run costs nothing.
#   install-deps.sh          build + run dependencies
#   install-deps.sh --tests  also what the tests need (redis-server, chromium, node packages)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(build-essential cmake ninja-build pkg-config ca-certificates
          libpoco-dev libboost-dev libhiredis-dev libcurl4-openssl-dev
          libspdlog-dev libfmt-dev catch2)
with_tests=0
if [[ "${1:-}" == "--tests" ]]; then
  with_tests=1
  packages+=(redis-server chromium clang-format clang libclang-rt-14-dev
            docker-compose python3-yaml)  # scripts/check-deploy.sh: compose file parser
fi
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

if ((with_tests)); then
  # The integration tests use ws, the browser tests playwright-core driving Debian's chromium.
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi
