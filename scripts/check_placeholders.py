"""Fail when a deployable file holds a placeholder address: `python -m scripts.check_placeholders` (in `make test`).

Deployable means what `sam deploy` or `hs project upload` ships: template.yaml, samconfig.toml, the Lambda code and
layer, and the HubSpot project (hsproject.json and src/). Per-environment values come from config profiles and the
generated settings module instead (`make hubspot-config`), so a placeholder here is always a mistake.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOYABLE = ("template.yaml", "samconfig.toml", "functions", "layers", "hubspot/hsproject.json", "hubspot/src")
SKIPPED_DIRS = {"node_modules", "dist", "__pycache__", ".aws-sam"}
# Generated per environment from real stack outputs (which `make hubspot-config` checks), and git-ignored.
SKIPPED_FILES = re.compile(r"^(settings\.generated\.js|hsprofile\.[^.]+\.json)$")
TEXT_SUFFIXES = {".py", ".js", ".jsx", ".ts", ".tsx", ".json", ".yaml", ".yml", ".toml", ".txt", ".md", ".html"}
PLACEHOLDER = re.compile(r"REPLACE-WITH|(?<![\w-])example\.(?:com|org|net)\b", re.IGNORECASE)


def deployable_files(root: Path = ROOT) -> Iterator[Path]:
    for entry in DEPLOYABLE:
        path = root / entry
        if path.is_file():
            yield path
        elif path.is_dir():
            for file in sorted(path.rglob("*")):
                if file.is_file() and file.suffix in TEXT_SUFFIXES and not SKIPPED_FILES.match(file.name) \
                        and not SKIPPED_DIRS.intersection(file.relative_to(root).parts):
                    yield file


def placeholders_in(text: str) -> list[tuple[int, str]]:
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in PLACEHOLDER.finditer(line):
            token = match.group(0)
            if token.lower() == "replace-with" and token != "REPLACE-WITH":
                continue  # lower-case "replace-with-a-new-id" is an OpenAPI example value, not an address
            found.append((number, token))
    return found


def python_values(source: str) -> str:
    """The string values a Python module uses, one per line where they start; docstrings and comments are prose
    (a docstring may well show "example.com" as an example) and are left out. Unparsable code is checked whole."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    lines = [""] * (len(source.splitlines()) + 1)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            lines[node.lineno - 1] += " " + node.value.replace("\n", " ")
    return "\n".join(lines)


def find_placeholders(root: Path = ROOT) -> list[str]:
    problems = []
    for file in deployable_files(root):
        text = file.read_text(encoding="utf-8", errors="replace")
        if file.suffix == ".py":
            text = python_values(text)
        for number, token in placeholders_in(text):
            problems.append(f"{file.relative_to(root)}:{number}: placeholder {token!r}")
    return problems


def main() -> int:
    problems = find_placeholders()
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("Placeholder addresses in deployable files: use config profile variables (hubspot/*-hsmeta.json) or "
              "the generated settings module (make hubspot-config) instead.", file=sys.stderr)
        return 1
    print(f"no placeholder addresses in {sum(1 for _ in deployable_files())} deployable files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
