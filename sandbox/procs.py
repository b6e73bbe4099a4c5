"""Child processes of the sandbox: launched so they die with their parent, their output prefixed onto stderr."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parent.parent

# Runs a module as __main__ after asking Linux to SIGTERM this child when its parent dies, so a killed sandbox
# leaves no orphans even when it had no chance to clean up. Linux ties this to the spawning thread: start
# long-lived children from a long-lived thread (the Stack starts them from the thread calling start()).
_LAUNCHER = """
import os, runpy, signal, sys
try:
    import ctypes
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)
    if os.getppid() == 1:
        sys.exit(0)
except Exception:
    pass
module = sys.argv[1]
sys.argv = [module, *sys.argv[2:]]
runpy.run_module(module, run_name="__main__", alter_sys=True)
"""

_stderr_lock = threading.Lock()


def log_line(prefix: str, line: str) -> None:
    with _stderr_lock:
        sys.stderr.write(f"[{prefix}] {line.rstrip()}\n")
        sys.stderr.flush()


def pump_lines(stream: IO[bytes], prefix: str) -> threading.Thread:
    """Copy a child's output to our stderr line by line, each line prefixed, until the stream closes."""

    def pump() -> None:
        with stream:
            for raw in iter(stream.readline, b""):
                log_line(prefix, raw.decode("utf-8", "replace"))

    thread = threading.Thread(target=pump, name=f"log-{prefix}", daemon=True)
    thread.start()
    return thread


class ManagedProcess:
    """A `python -m module` child with prefixed logs and a bounded, escalating stop."""

    def __init__(self, name: str, module: str, args: Sequence[str] = (), *, env: Mapping[str, str] | None = None,
                 quiet: bool = False, cwd: Path = REPO_ROOT) -> None:
        self.name = name
        child_env = dict(os.environ if env is None else env)
        child_env["PYTHONUNBUFFERED"] = "1"
        output = subprocess.DEVNULL if quiet else subprocess.PIPE
        self.process = subprocess.Popen(
            [sys.executable, "-c", _LAUNCHER, module, *args], cwd=cwd, env=child_env,
            stdin=subprocess.DEVNULL, stdout=output, stderr=subprocess.STDOUT)
        self._pump = pump_lines(self.process.stdout, name) if self.process.stdout else None

    @property
    def pid(self) -> int:
        return self.process.pid

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        stop_process(self.process, timeout)
        if self._pump is not None:
            self._pump.join(timeout=2)


def stop_process(process: subprocess.Popen[bytes], timeout: float = 5.0) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=timeout)


def wait_for_http(url: str, timeout: float, *, process: ManagedProcess | None = None) -> None:
    """Poll `url` until it answers (any HTTP status), the process dies, or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    last_error = ""
    while time.monotonic() < deadline:
        if process is not None and not process.alive():
            raise RuntimeError(f"{process.name} exited with code {process.process.returncode} while starting")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except urllib.error.HTTPError:
            return
        except OSError as exc:
            last_error = str(exc)
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s ({last_error})")
