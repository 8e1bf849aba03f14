#!/usr/bin/env python3
"""Checks the output of `docker-compose config` (or `docker compose config`) for
docker/compose.yaml: every service names an image and a health check, the Redis sidecar runs
without persistence and with a memory cap and policy, every server waits for Redis to be
healthy, and the `scaled` profile adds a second server on the same Redis.

  check_compose.py DEFAULT.yaml SCALED.yaml     (the resolved files of both profiles)
"""
import sys

import yaml


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def flag_value(command, flag):
    if flag in command:
        i = command.index(flag)
        if i + 1 < len(command):
            return str(command[i + 1])
    return None


def check(doc, label, problems):
    services = doc.get("services") or {}
    if "redis" not in services:
        problems.append(f"{label}: no redis service")
        return [], services
    servers = [n for n, s in services.items() if n != "redis"]
    for name, svc in services.items():
        if not svc.get("image"):
            problems.append(f"{label}: service {name} names no image")
        hc = svc.get("healthcheck") or {}
        test = hc.get("test")
        if not test or hc.get("disable"):
            problems.append(f"{label}: service {name} has no health check")
    redis = services["redis"]
    command = [str(c) for c in (redis.get("command") or [])]
    if flag_value(command, "--save") != "":
        problems.append(f"{label}: redis must run with --save \"\" (no RDB snapshots)")
    if flag_value(command, "--appendonly") != "no":
        problems.append(f"{label}: redis must run with --appendonly no")
    if not flag_value(command, "--maxmemory"):
        problems.append(f"{label}: redis needs --maxmemory")
    if not flag_value(command, "--maxmemory-policy"):
        problems.append(f"{label}: redis needs --maxmemory-policy")
    test = " ".join(str(t) for t in ((redis.get("healthcheck") or {}).get("test") or []))
    if "redis-cli" not in test or "ping" not in test:
        problems.append(f"{label}: redis health check must be redis-cli ping, not '{test}'")
    for name in servers:
        svc = services[name]
        dep = (svc.get("depends_on") or {}).get("redis") if isinstance(svc.get("depends_on"), dict) else None
        if not dep or dep.get("condition") != "service_healthy":
            problems.append(f"{label}: {name} must depend on redis with condition service_healthy")
        test = " ".join(str(t) for t in ((svc.get("healthcheck") or {}).get("test") or []))
        if "fire-poker --healthcheck" not in test or "/healthz" not in test:
            problems.append(f"{label}: {name} health check must be fire-poker --healthcheck .../healthz")
        if not svc.get("read_only"):
            problems.append(f"{label}: {name} should run with a read-only root file system")
    return servers, services


def main(default_path, scaled_path):
    problems = []
    default_servers, default_services = check(load(default_path), "default profile", problems)
    scaled_servers, _ = check(load(scaled_path), "profile scaled", problems)
    # docker-compose 1.x prints every service in `config`; profiles decide what `up` starts.
    active_default = [n for n in default_servers if not default_services[n].get("profiles")]
    if len(active_default) != 1:
        problems.append(f"default profile: expected one server without a profile, got {active_default}")
    if len(scaled_servers) < 2:
        problems.append(f"profile scaled: expected two server instances, got {scaled_servers}")
    for p in problems:
        print(f"check-compose: {p}")
    print(f"check-compose: default profile servers {active_default}, scaled profile servers "
          f"{scaled_servers}, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
