"""`make demo` is one of the README's two commands: the whole narrated scenario must pass, every step."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.e2e
def test_the_narrated_demo_passes_every_step() -> None:
    finished = subprocess.run([sys.executable, "-m", "sandbox.demo"], cwd=ROOT, capture_output=True, text=True,
                              timeout=600, check=False)
    assert finished.returncode == 0, finished.stdout[-4000:] + finished.stderr[-4000:]
    assert "all steps passed" in finished.stdout
    assert "✗" not in finished.stdout
