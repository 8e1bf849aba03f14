#!/usr/bin/env python3
"""Static checks of terraform/ that need no provider (terraform validate needs one).

  * every variable has a description and a type; every output has a description;
  * every `var.X` used in a module or environment is declared there, and every declared
    variable is used;
  * every call of a local module passes only variables the module declares, and all the
    variables it requires (those without a default);
  * every `module.M.O` reference names an output that module M declares.

The files are read as `terraform fmt` writes them (check-deploy.sh runs fmt -check first):
top-level blocks close with '}' in column 0 and their arguments are indented by two spaces.
Exit code 1 and one line per problem when something is wrong.
"""
import os
import re
import sys

META_ARGS = {"source", "version", "count", "for_each", "depends_on", "providers"}
BLOCK_RE = re.compile(r'^(variable|output|module|resource|data|locals|terraform|provider|check|run)\b(.*)\{\s*$')


def blocks(path):
    """Top-level blocks of one file: (kind, labels, body lines, first line number)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = BLOCK_RE.match(lines[i])
        if not m:
            i += 1
            continue
        labels = re.findall(r'"([^"]*)"', m.group(2))
        start, body = i + 1, []
        i += 1
        while i < len(lines) and lines[i] != "}":
            body.append(lines[i])
            i += 1
        out.append((m.group(1), labels, body, start))
        i += 1
    return out


def top_args(body):
    """Arguments written directly in a block (two-space indent)."""
    names = []
    for line in body:
        m = re.match(r"^  ([A-Za-z_][A-Za-z0-9_-]*)\s*=", line)
        if m:
            names.append(m.group(1))
    return names


def tf_files(directory):
    return sorted(os.path.join(directory, f) for f in os.listdir(directory) if f.endswith(".tf"))


class Module:
    def __init__(self, directory):
        self.dir = directory
        self.variables = {}  # name -> has default
        self.outputs = set()
        self.calls = []  # (file, line, name, source, args)
        self.text = ""
        self.problems = []
        for path in tf_files(directory):
            with open(path, encoding="utf-8") as f:
                self.text += f.read() + "\n"
            rel = os.path.relpath(path)
            for kind, labels, body, line in blocks(path):
                args = top_args(body)
                if kind == "variable":
                    name = labels[0]
                    self.variables[name] = "default" in args
                    for required in ("description", "type"):
                        if required not in args:
                            self.problems.append(f"{rel}:{line}: variable \"{name}\" has no {required}")
                elif kind == "output":
                    self.outputs.add(labels[0])
                    if "description" not in args:
                        self.problems.append(f"{rel}:{line}: output \"{labels[0]}\" has no description")
                elif kind == "module":
                    src = next((re.search(r'"(.*)"', l).group(1) for l in body
                                if re.match(r"^  source\s*=", l)), None)
                    self.calls.append((rel, line, labels[0], src, [a for a in args if a not in META_ARGS]))


def main(root):
    dirs = sorted({os.path.dirname(os.path.join(d, f)) for d, _, fs in os.walk(root)
                   for f in fs if f.endswith(".tf") and "/.terraform" not in d})
    modules = {os.path.abspath(d): Module(d) for d in dirs}
    problems, checked_vars, checked_calls = [], 0, 0
    for mod in modules.values():
        problems += mod.problems
        checked_vars += len(mod.variables)
        used = set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_]*)", mod.text))
        for name in sorted(used):
            if name not in mod.variables:
                problems.append(f"{os.path.relpath(mod.dir)}: var.{name} is used but not declared")
        for name in sorted(set(mod.variables) - used):
            problems.append(f"{os.path.relpath(mod.dir)}: variable \"{name}\" is declared but never used")
        for rel, line, name, src, args in mod.calls:
            checked_calls += 1
            if not src or not src.startswith("."):
                continue
            target = modules.get(os.path.abspath(os.path.join(mod.dir, src)))
            if target is None:
                problems.append(f"{rel}:{line}: module \"{name}\": source {src} has no .tf files")
                continue
            for arg in args:
                if arg not in target.variables:
                    problems.append(f"{rel}:{line}: module \"{name}\" ({src}) has no variable \"{arg}\"")
            for var, has_default in sorted(target.variables.items()):
                if not has_default and var not in args:
                    problems.append(f"{rel}:{line}: module \"{name}\" ({src}) needs \"{var}\"")
            for out in sorted(set(re.findall(r"\bmodule\." + re.escape(name) + r"(?:\[[^\]]*\])?\.([A-Za-z_][A-Za-z0-9_]*)", mod.text))):
                if out not in target.outputs:
                    problems.append(f"{rel}: module.{name}.{out}: {src} has no such output")
        # Tests: run blocks name variables and expect failures of declared variables.
        tests = os.path.join(mod.dir, "tests")
        if os.path.isdir(tests):
            for f in sorted(os.listdir(tests)):
                if f.endswith(".tftest.hcl"):
                    with open(os.path.join(tests, f), encoding="utf-8") as fh:
                        text = fh.read()
                    for name in sorted(set(re.findall(r"\bvar\.([A-Za-z_][A-Za-z0-9_]*)", text))):
                        if name not in mod.variables:
                            problems.append(f"{os.path.relpath(tests)}/{f}: var.{name} is not a variable of the module")
    for p in problems:
        print(f"check-terraform: {p}")
    print(f"check-terraform: {len(modules)} modules/environments, {checked_vars} variables, "
          f"{checked_calls} module calls checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "terraform"))
