#!/bin/sh
# Entrypoint of the Redis sidecar stand-in that scripts/image-test.sh builds from Debian's
# redis-server (no registry is reachable, so the official image cannot be pulled). It behaves as
# the official image's entrypoint does for docker/compose.yaml: options alone mean
# `redis-server OPTIONS`, and protected mode is off (in a container the clients are on the
# container network, not on loopback; the official image builds Redis with it off by default).
# `--protected-mode no` goes right after the optional config file, so a later option still wins.
set -e
case "$1" in
  -*|*.conf) set -- redis-server "$@" ;;
esac
case "$2" in
  -v|--version|-h|--help|--test-memory|--check-system) exec "$@" ;;  # only as the first option
esac
if [ "$1" = redis-server ]; then
  shift
  conf=""
  case "$1" in
    *.conf) conf=$1; shift ;;
  esac
  set -- redis-server ${conf:+"$conf"} --protected-mode no "$@"
fi
exec "$@"
