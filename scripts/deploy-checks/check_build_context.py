#!/usr/bin/env python3
"""Configures the image's real build context, the way `docker build -f docker/Dockerfile .` would,
without a container engine (scripts/check-deploy.sh, step 5):

  1. the build context: every file under ROOT that <Dockerfile>.dockerignore (or ROOT/.dockerignore)
     lets through, with the .dockerignore rules (Go filepath.Match patterns plus `**`, `!` to
     re-include, the last matching line wins, a line matching a parent folder matches the files
     in it);
  2. the build stage's `COPY` lines (those without --from) applied to that context, into a
     stand-in for the stage's file system (so `WORKDIR /src` + `COPY core/ core/` lands in
     <tmp>/root/src/core);
  3. the build stage's own `cmake -S ... -B ...` configure command, taken from its RUN line
     (not repeated here), run with the machine's cmake on that tree.

A folder the build needs but the context leaves out fails here as it fails in the image
(e.g. `add_subdirectory given source "bench" which is not an existing directory`).

  check_build_context.py [--root DIR] [--dockerfile docker/Dockerfile] [--work-dir DIR]
                         [--also CMAKE_ARG ...]
"""
import argparse
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile


def fail(msg):
    print(f"check_build_context: {msg}", file=sys.stderr)
    sys.exit(1)


# ---------------------------------------------------------------------------------------------
# .dockerignore

def pattern_regex(pattern):
    """A .dockerignore pattern (already cleaned) as an anchored regular expression."""
    out = "^"
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*":
            if pattern[i + 1:i + 2] == "*":
                i += 1
                if pattern[i + 1:i + 2] == "/":
                    i += 1  # `**/` is `**`
                out += ".*" if i + 1 >= len(pattern) else "(.*/)?"
            else:
                out += "[^/]*"
        elif ch == "?":
            out += "[^/]"
        elif ch == "[":
            end = pattern.find("]", i + 1)
            if end < 0:
                raise ValueError(f"unterminated [ in {pattern!r}")
            body = pattern[i + 1:end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out += "[" + body.replace("\\", "\\\\") + "]"
            i = end
        elif ch == "\\" and i + 1 < len(pattern):
            i += 1
            out += re.escape(pattern[i])
        else:
            out += re.escape(ch)
        i += 1
    return re.compile(out + "$")


def read_dockerignore(path):
    rules = []
    if not os.path.exists(path):
        return rules
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            include = line.startswith("!")
            if include:
                line = line[1:].strip()
            cleaned = os.path.normpath(line).lstrip("/")
            if cleaned in ("", "."):
                continue
            try:
                rules.append((include, pattern_regex(cleaned), cleaned))
            except ValueError as e:
                fail(f"{path}:{number}: {e}")
    return rules


def excluded(rel, rules):
    """The last rule matching the path or one of its parent folders decides."""
    parts = rel.split("/")
    candidates = ["/".join(parts[:n]) for n in range(len(parts), 0, -1)]
    verdict = False
    for include, regex, _ in rules:
        if any(regex.match(c) for c in candidates):
            verdict = not include
    return verdict


def literal_prefix(pattern):
    m = re.match(r"[^*?\[\\]*", pattern)
    return m.group(0)


def may_reinclude_below(rel_dir, rules):
    """Whether some `!` line could match a path below rel_dir (so the walk must go in)."""
    for include, _, cleaned in rules:
        if not include:
            continue
        prefix = literal_prefix(cleaned)
        if prefix.startswith(rel_dir + "/") or (rel_dir + "/").startswith(prefix) or prefix == rel_dir:
            return True
    return False


def context_files(root, rules):
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir
        keep = []
        for d in dirnames:
            rel = f"{rel_dir}/{d}" if rel_dir else d
            if os.path.islink(os.path.join(dirpath, d)):
                filenames.append(d)  # a link to a folder is sent as a link
            elif not excluded(rel, rules) or may_reinclude_below(rel, rules):
                keep.append(d)
        dirnames[:] = sorted(keep)
        for name in filenames:
            rel = f"{rel_dir}/{name}" if rel_dir else name
            if not excluded(rel, rules):
                files.append(rel)
    return sorted(files)


# ---------------------------------------------------------------------------------------------
# Dockerfile

def instructions(dockerfile):
    """(keyword, arguments) of each instruction, continuation lines joined."""
    out = []
    current = ""
    with open(dockerfile, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not current and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if current and line.lstrip().startswith("#"):
                continue  # a comment inside a continued instruction
            if line.endswith("\\"):
                current += line[:-1] + " "
                continue
            current += line
            keyword, _, args = current.strip().partition(" ")
            out.append((keyword.upper(), args.strip()))
            current = ""
    return out


def build_stage(dockerfile, stage):
    lines = []
    inside = False
    for keyword, args in instructions(dockerfile):
        if keyword == "FROM":
            inside = re.search(rf"\bAS\s+{re.escape(stage)}\s*$", args, re.IGNORECASE) is not None
            continue
        if inside:
            lines.append((keyword, args))
    if not lines:
        fail(f"{dockerfile} has no stage named {stage}")
    return lines


def configure_command(stage_lines, dockerfile):
    """The cmake configure command (the one with -S) of the stage's RUN lines, as arguments."""
    for keyword, args in stage_lines:
        if keyword != "RUN":
            continue
        tokens = shlex.split(args, posix=True)
        commands, command = [], []
        for t in tokens:
            if t in ("&&", ";", "||"):
                commands.append(command)
                command = []
            else:
                command.append(t)
        commands.append(command)
        for c in commands:
            if c and c[0] == "cmake" and "-S" in c:
                return c[1:]
    fail(f"{dockerfile}: no `cmake -S ... -B ...` configure command in the build stage")


# ---------------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--root", default=".", help="the build context (the repository root)")
    ap.add_argument("--dockerfile", default="docker/Dockerfile", help="relative to --root")
    ap.add_argument("--stage", default="build")
    ap.add_argument("--work-dir", help="work in this (new or empty) folder and leave it there; default: a temporary folder, removed")
    ap.add_argument("--also", action="append", default=[], metavar="CMAKE_ARG",
                    help="one more argument after the Dockerfile's own (check-deploy.sh's self-test)")
    args = ap.parse_args()

    root = os.path.abspath(args.root)
    dockerfile = os.path.join(root, args.dockerfile)
    if not os.path.isfile(dockerfile):
        fail(f"no {dockerfile}")
    ignore = dockerfile + ".dockerignore"
    if not os.path.exists(ignore):
        ignore = os.path.join(root, ".dockerignore")
    rules = read_dockerignore(ignore)
    files = context_files(root, rules)
    if not files:
        fail(f"{os.path.relpath(ignore, root)} lets no file through")
    stage = build_stage(dockerfile, args.stage)
    cmake_args = configure_command(stage, dockerfile)
    if any("$" in a for a in cmake_args):
        fail(f"the configure command uses shell expansion, which this check cannot evaluate: {shlex.join(cmake_args)}")

    work = args.work_dir or tempfile.mkdtemp(prefix="fire-poker-build-context.")
    os.makedirs(work, exist_ok=True)
    fs_root = os.path.join(work, "root")  # stands for the build stage's /
    try:
        # The build stage's WORKDIR and COPY lines, applied to the context.
        workdir = "/"
        copied = 0
        for keyword, line in stage:
            if keyword == "WORKDIR":
                workdir = os.path.normpath(os.path.join(workdir, line))
                os.makedirs(fs_root + workdir, exist_ok=True)
            elif keyword in ("COPY", "ADD"):
                parts = shlex.split(line)
                if any(p.startswith("--from") for p in parts):
                    continue
                parts = [p for p in parts if not p.startswith("--")]
                *sources, dest = parts
                dest_abs = os.path.normpath(os.path.join(workdir, dest))
                into_folder = dest.endswith("/") or dest in (".", "./") or len(sources) > 1
                for src in sources:
                    src = os.path.normpath(src).lstrip("/")
                    if src in ("", "."):
                        pairs = [(f, f) for f in files]  # the whole context into dest
                    elif any(ch in src for ch in "*?["):
                        rx = pattern_regex(src)
                        pairs = [(f, os.path.basename(f)) for f in files if rx.match(f)]
                        into_folder = True
                    elif src in files:
                        pairs = [(src, os.path.basename(src) if into_folder else "")]
                    else:  # a folder: its contents into dest
                        pairs = [(f, os.path.relpath(f, src)) for f in files if f.startswith(src + "/")]
                    if not pairs:
                        fail(f"{args.dockerfile}: `{keyword} {line}`: {src} is not in the build context "
                             f"({os.path.relpath(ignore, root)} leaves it out, or it does not exist)")
                    for f, rel in pairs:
                        out = fs_root + (os.path.join(dest_abs, rel) if rel else dest_abs)
                        os.makedirs(os.path.dirname(out), exist_ok=True)
                        shutil.copy2(os.path.join(root, f), out, follow_symlinks=False)
                        copied += 1

        # The configure command, with -S and -B mapped into the stand-in file system.
        mapped = []
        i = 0
        while i < len(cmake_args):
            a = cmake_args[i]
            if a in ("-S", "-B") and i + 1 < len(cmake_args):
                path = os.path.normpath(os.path.join(workdir, cmake_args[i + 1]))
                mapped += [a, fs_root + path]
                i += 2
                continue
            mapped.append(a)
            i += 1
        print(f"  build context: {len(files)} files through {os.path.relpath(ignore, root)}; "
              f"the build stage copies {copied} into {workdir}")
        print(f"  cmake {shlex.join(cmake_args)}   (from the build stage's RUN line)"
              + (f" + {shlex.join(args.also)}" if args.also else ""))
        mapped += args.also
        proc = subprocess.run(["cmake", *mapped], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        log = proc.stdout.replace(fs_root, "")
        if proc.returncode != 0:
            print(log)
            fail(f"cmake configure of the image's build context failed (exit {proc.returncode}): "
                 f"the image build would stop here")
        print("  configured: " + (log.strip().splitlines() or ["(no output)"])[-1])
    finally:
        if not args.work_dir:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
