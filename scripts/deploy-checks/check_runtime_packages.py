#!/usr/bin/env python3
"""Compares the runtime stage of docker/Dockerfile with what the built binary and plugins link.

  check_runtime_packages.py DOCKERFILE ELF...

For every shared library `ldd` resolves for the ELF files, `dpkg -S` names the Debian package
that ships it. Then:
  * every such package must be installed by the runtime stage's `apt-get install`, be pulled
    in by one of those packages (Depends/Pre-Depends, recursively, as installed here), or be
    part of debian:bookworm-slim itself (libc6, libgcc-s1, libstdc++6);
  * every library package the runtime stage installs must be linked by something built
    (a leftover package is an image that is bigger than it needs to be, or a plugin missing
    from the build); ca-certificates is the one non-library package allowed (the HTTPS sinks).
Exit code 1 with one line per problem.
"""
import os
import re
import subprocess
import sys

BASE_IMAGE_PACKAGES = {"libc6", "libgcc-s1", "libstdc++6"}
NON_LIBRARY_ALLOWED = {"ca-certificates": "CA certificates for the HTTPS sinks (Notion, webhooks)"}


def runtime_install_list(dockerfile):
    with open(dockerfile, encoding="utf-8") as f:
        text = f.read()
    # Join continuation lines, then split into instructions.
    joined = re.sub(r"\\\n", " ", text)
    stage, packages = None, None
    for line in joined.split("\n"):
        words = line.strip().split()
        if not words or words[0].startswith("#"):
            continue
        if words[0].upper() == "FROM":
            lowered = [w.lower() for w in words]
            stage = lowered[lowered.index("as") + 1] if "as" in lowered else None
        elif words[0].upper() == "RUN" and stage == "runtime" and "apt-get" in words and "install" in words:
            packages = []
            for w in words[words.index("install") + 1:]:
                if w in ("&&", ";", "||"):
                    break
                if not w.startswith("-"):
                    packages.append(w)
    if packages is None:
        sys.exit(f"check-runtime-packages: {dockerfile}: no `apt-get install` in a stage named runtime")
    return packages


def ldd(path):
    out = subprocess.run(["ldd", path], capture_output=True, text=True, check=False)
    libs, missing = [], []
    for line in out.stdout.splitlines():
        line = line.strip()
        m = re.match(r"^(\S+) => (\S+) \(0x[0-9a-f]+\)$", line)
        if m:
            libs.append((m.group(1), m.group(2)))
        elif "=> not found" in line:
            missing.append(line.split()[0])
        else:
            m = re.match(r"^(/\S+) \(0x[0-9a-f]+\)$", line)  # the dynamic loader
            if m:
                libs.append((os.path.basename(m.group(1)), m.group(1)))
    return libs, missing


def dpkg_owner(path, cache={}):
    if path in cache:
        return cache[path]
    candidates = [path, os.path.realpath(path)]
    for p in list(candidates):  # Debian 12 is /usr-merged; dpkg may know either spelling
        candidates.append(p[4:] if p.startswith("/usr/") else "/usr" + p)
    owner = None
    for p in candidates:
        r = subprocess.run(["dpkg", "-S", p], capture_output=True, text=True, check=False)
        if r.returncode == 0:
            owner = r.stdout.split(":")[0].strip()
            break
    cache[path] = owner
    return owner


def dependencies(package, cache={}):
    if package in cache:
        return cache[package]
    r = subprocess.run(["dpkg-query", "-W", "-f=${Depends}, ${Pre-Depends}", package],
                       capture_output=True, text=True, check=False)
    deps = set()
    if r.returncode == 0:
        for alternative in r.stdout.split(","):
            first = alternative.split("|")[0].strip()
            if first:
                deps.add(re.split(r"[\s(:]", first)[0])
    cache[package] = deps if r.returncode == 0 else None
    return cache[package]


def main(dockerfile, elves):
    listed = runtime_install_list(dockerfile)
    problems = []
    needed = {}  # package -> [(elf, library)]
    for elf in elves:
        libs, missing = ldd(elf)
        for name in missing:
            problems.append(f"{elf}: {name} is not found by ldd")
        for name, path in libs:
            owner = dpkg_owner(path)
            if owner is None:
                problems.append(f"{elf}: {path} belongs to no Debian package")
                continue
            needed.setdefault(owner, []).append((os.path.basename(elf), name))

    closure, todo = set(), list(listed)
    while todo:
        p = todo.pop()
        if p in closure:
            continue
        closure.add(p)
        deps = dependencies(p)
        if deps is None:
            if p in needed or p not in NON_LIBRARY_ALLOWED:
                problems.append(f"{dockerfile}: {p} is not installed on this machine, its dependencies cannot be checked")
            continue
        todo.extend(deps)

    for package, users in sorted(needed.items()):
        if package in closure or package in BASE_IMAGE_PACKAGES:
            continue
        elf, lib = users[0]
        problems.append(f"{dockerfile}: the runtime stage lacks {package} (for {lib}, linked by {elf}): add it to its apt-get install")
    for package in listed:
        if package in needed or package in NON_LIBRARY_ALLOWED:
            continue
        problems.append(f"{dockerfile}: the runtime stage installs {package}, but nothing built links it: remove it (or build the plugin that needs it)")

    for p in problems:
        print(f"check-runtime-packages: {p}")
    direct = sorted(p for p in needed if p not in BASE_IMAGE_PACKAGES)
    print(f"check-runtime-packages: {len(elves)} ELF files link {len(needed)} packages; runtime stage installs "
          f"{' '.join(listed)}; {len(problems)} problems")
    if not problems:
        print(f"check-runtime-packages: linked: {' '.join(direct)} (+ base image: {' '.join(sorted(BASE_IMAGE_PACKAGES & set(needed)))})")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: check_runtime_packages.py DOCKERFILE ELF...")
    sys.exit(main(sys.argv[1], sys.argv[2:]))
