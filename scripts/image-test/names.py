#!/usr/bin/env python3
"""What scripts/image-test.sh reads from the project's own files, so that nothing is repeated
there: the base image the Dockerfile's FROM lines name, the images and the stop grace period
docker/compose.yaml uses, and the Debian mirror apt uses on this machine.

  names.py from DOCKERFILE           the one image every FROM names (ARG defaults resolved)
  names.py compose COMPOSE_FILE      lines: built IMAGE / sidecar SERVICE IMAGE / grace SECONDS
  names.py mirrors CODENAME          one "deb URI SUITE COMPONENTS" line per Debian source of
                                     apt (/etc/apt/sources.list*) for CODENAME and its
                                     -updates and -security suites
"""
import glob
import os
import re
import sys


def fail(msg):
    print(f"names.py: {msg}", file=sys.stderr)
    sys.exit(1)


def dockerfile_base(path):
    args = {}
    names = set()
    stages = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\s*ARG\s+(\w+)=(\S+)", line)
            if m and not names:  # ARGs before the first FROM are the ones FROM can use
                args[m.group(1)] = m.group(2)
            m = re.match(r"\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", line, re.IGNORECASE)
            if m:
                name = re.sub(r"\$\{?(\w+)\}?", lambda v: args.get(v.group(1), v.group(0)), m.group(1))
                if name not in stages:
                    names.add(name)
                if m.group(2):
                    stages.add(m.group(2))
    if len(names) != 1 or "$" in next(iter(names), "$"):
        fail(f"{path}: expected every FROM to name one base image, found {sorted(names)}")
    return names.pop()


def default_of(value):
    """${VAR:-default} -> default (compose's own defaults, as an operator who sets nothing gets)."""
    return re.sub(r"\$\{\w+:?-([^}]*)\}", r"\1", str(value))


def seconds(duration):
    m = re.fullmatch(r"(?:(\d+)m)?(?:(\d+)s)?", str(duration).strip())
    if not m or not any(m.groups()):
        fail(f"cannot read the duration {duration!r}")
    return int(m.group(1) or 0) * 60 + int(m.group(2) or 0)


def compose(path):
    import yaml

    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    built, graces = set(), set()
    for name, svc in (doc.get("services") or {}).items():
        image = default_of(svc.get("image", ""))
        if not image:
            fail(f"{path}: service {name} names no image")
        if svc.get("build"):
            built.add(image)
            if "stop_grace_period" in svc:
                graces.add(seconds(svc["stop_grace_period"]))
        else:
            print(f"sidecar {name} {image}")
    if len(built) != 1:
        fail(f"{path}: expected one built image for the servers, found {sorted(built)}")
    print(f"built {built.pop()}")
    print(f"grace {max(graces) if graces else 10}")


def mirrors(codename):
    suites = {codename, f"{codename}-updates", f"{codename}-security"}
    found = []
    for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*"))]:
        if not os.path.isfile(path):
            continue
        text = open(path, encoding="utf-8").read()
        if path.endswith(".sources"):
            for stanza in re.split(r"\n\s*\n", text):
                fields = {}
                for line in stanza.splitlines():
                    if line.startswith("#") or ":" not in line or line[:1].isspace():
                        continue
                    key, _, value = line.partition(":")
                    fields[key.strip().lower()] = value.strip()
                if "deb" not in fields.get("types", "").split() or fields.get("enabled", "yes") == "no":
                    continue
                for uri in fields.get("uris", "").split():
                    for suite in fields.get("suites", "").split():
                        if suite in suites:
                            found.append(f"deb {uri} {suite} {fields.get('components', 'main')}")
        elif path.endswith(".list"):
            for line in text.splitlines():
                line = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
                if len(line) >= 4 and line[0] == "deb" and line[2] in suites:
                    found.append(" ".join(line))
    if not any(f.split()[2] == codename for f in found):
        fail(f"no Debian {codename} source in /etc/apt/sources.list or /etc/apt/sources.list.d/")
    for line in dict.fromkeys(found):
        print(line)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "from":
        print(dockerfile_base(sys.argv[2]))
    elif len(sys.argv) == 3 and sys.argv[1] == "compose":
        compose(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "mirrors":
        mirrors(sys.argv[2])
    else:
        fail(__doc__)
