"""The repository stands alone: nothing it tracks points outside it (a symlink, a path of one machine, ../shared),
so a fresh clone with nothing beside it builds and tests."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = re.compile("|".join([r"/work/", r"\.\./shared\b", r"/root/", r"/home/[a-z]", r"/Users/"]))
TEXT_SUFFIXES = {".py", ".md", ".toml", ".yaml", ".yml", ".json", ".ts", ".tsx", ".js", ".mjs", ".txt", ".cfg",
                 ".ini", ".sh", ".html"}


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def tracked() -> list[tuple[str, str, str]]:
    """(mode, blob id, path) of every tracked file."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    rows = []
    for line in _git("ls-files", "-s").splitlines():
        meta, path = line.split("\t", 1)
        mode, blob, _stage = meta.split()
        rows.append((mode, blob, path))
    return rows


def test_no_tracked_symlink_points_outside_the_repository(tracked: list[tuple[str, str, str]]) -> None:
    for mode, blob, path in tracked:
        if mode != "120000":
            continue
        target = _git("cat-file", "blob", blob)
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
        assert not posixpath.isabs(target) and not resolved.startswith(".."), f"{path} -> {target}"


def test_no_tracked_file_names_a_path_outside_the_repository(tracked: list[tuple[str, str, str]]) -> None:
    me = Path(__file__).resolve().relative_to(ROOT).as_posix()
    offenders = []
    for mode, _blob, path in tracked:
        name = Path(path)
        if mode == "120000" or path == me or name.name == "package-lock.json":
            continue
        if name.suffix not in TEXT_SUFFIXES and name.name != "Makefile":
            continue
        for number, line in enumerate((ROOT / path).read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{path}:{number}: {line.strip()[:100]}")
    assert not offenders, "paths outside the repository:\n" + "\n".join(offenders)
