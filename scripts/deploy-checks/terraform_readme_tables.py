#!/usr/bin/env python3
"""The "## Inputs" and "## Outputs" tables of every terraform/**/README.md, made from the .tf
files next to it, so a README never describes variables a module no longer has.

  terraform_readme_tables.py [ROOT]          rewrite the tables in place
  terraform_readme_tables.py --check [ROOT]  exit 1 and name every README whose tables differ

Reads the files as `terraform fmt` writes them (as check_terraform.py does): top-level blocks
close with '}' in column 0, arguments are indented by two spaces.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_terraform import blocks, tf_files  # noqa: E402


def argument(body, name):
    """The text of a top-level argument: one line, or `{...}`-style for multi-line values."""
    for i, line in enumerate(body):
        m = re.match(r"^  " + name + r"\s*=\s*(.*)$", line)
        if not m:
            continue
        value = m.group(1).strip()
        if value.endswith("({"):  # object({ ... }) over several lines
            return value[:-2] + "({...})"
        if value.endswith(("{", "[")):
            return value[:-1] + {"{": "{...}", "[": "[...]"}[value[-1]]
        return value
    return None


def description(body):
    value = argument(body, "description")
    if value is None:
        return ""
    text = value[1:-1] if value.startswith('"') and value.endswith('"') else value
    return text.replace('\\"', '"').replace("|", "\\|")


def tables(directory):
    inputs, outputs = [], []
    for path in tf_files(directory):
        for kind, labels, body, _ in blocks(path):
            if kind == "variable":
                type_ = argument(body, "type") or "any"
                default = argument(body, "default")
                inputs.append(f"| `{labels[0]}` | `{type_}` | {'required' if default is None else '`' + default + '`'} | {description(body)} |")
            elif kind == "output":
                outputs.append(f"| `{labels[0]}` | {description(body)} |")
    text = {}
    if inputs:
        text["Inputs"] = "| name | type | default | description |\n| --- | --- | --- | --- |\n" + "\n".join(inputs) + "\n"
    if outputs:
        text["Outputs"] = "| name | description |\n| --- | --- |\n" + "\n".join(outputs) + "\n"
    return text


def rewrite(readme, generated):
    """The README with each '## Inputs' / '## Outputs' table replaced (the rest kept)."""
    out = readme
    for title, table in generated.items():
        m = re.search(r"(^## " + title + r"\n\n)((?:\|.*\n)+)", out, re.M)
        if m:
            out = out[:m.start(2)] + table + out[m.end(2):]
    return out


def main(args):
    check = "--check" in args
    args = [a for a in args if a != "--check"]
    root = args[0] if args else "terraform"
    differ = []
    for d, _, files in sorted(os.walk(root)):
        if "/.terraform" in d or "README.md" not in files or not any(f.endswith(".tf") for f in files):
            continue
        path = os.path.join(d, "README.md")
        with open(path, encoding="utf-8") as f:
            readme = f.read()
        new = rewrite(readme, tables(d))
        if new != readme:
            differ.append(path)
            if not check:
                with open(path, "w", encoding="utf-8") as f:
                    f.write(new)
    verb = "differ from the .tf files" if check else "rewritten"
    for path in differ:
        print(f"terraform-readme: {path}: Inputs/Outputs tables {verb}")
    if check and differ:
        print("terraform-readme: run python3 scripts/deploy-checks/terraform_readme_tables.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
