"""Compile the `sam build` output to bytecode, so a cold start loads .pyc instead of compiling every module.

    python -m scripts.compile_bytecode .aws-sam/build

SAM's Python builder copies sources and unpacks wheels without compiling them, and Lambda's file system is read-only:
without this step every cold start compiles HubBooks (and the layer's libraries) from source and throws the result
away. The .pyc files are unchecked-hash: Python loads them without comparing source timestamps, which the zip
packaging does not preserve reliably. They must come from the Lambda runtime's Python (3.11): the bytecode format
changes with every minor version and a mismatched .pyc is silently ignored.
"""

from __future__ import annotations

import argparse
import compileall
import py_compile
import sys
from pathlib import Path

LAMBDA_PYTHON = (3, 11)


def compile_tree(root: Path) -> int:
    """Compile every .py under root next to its source (__pycache__); returns how many modules were compiled."""
    if sys.version_info[:2] != LAMBDA_PYTHON:
        raise SystemExit(f"compile with Python {'.'.join(map(str, LAMBDA_PYTHON))}, the Lambda runtime's version; "
                         f"this is {sys.version.split()[0]}")
    if not root.is_dir():
        raise SystemExit(f"{root} does not exist: run sam build first")
    sources = [path for path in root.rglob("*.py") if path.is_file()]
    ok = compileall.compile_dir(str(root), quiet=2, workers=0, force=True,
                                invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    if not ok:  # a library may ship a file for another Python; it stays source, as pip leaves it
        print(f"note: some files under {root} are not valid Python {LAMBDA_PYTHON[0]}.{LAMBDA_PYTHON[1]}; "
              "they were left as source", file=sys.stderr)
    return len(sources)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build_dir", type=Path, nargs="?", default=Path(".aws-sam/build"))
    args = parser.parse_args()
    count = compile_tree(args.build_dir)
    print(f"compiled {count} modules under {args.build_dir} to unchecked-hash bytecode for Python 3.11")


if __name__ == "__main__":
    main()
