"""Warm worker processes per function, like Lambda execution environments: spawned lazily, reused, replaced on death."""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sandbox.gateway.functions import FunctionSpec
from sandbox.procs import pump_lines, stop_process

BOOTSTRAP = Path(__file__).resolve().parent / "_bootstrap.py"
INIT_TIMEOUT_S = 10.0  # Lambda's limit for the init phase

Outcome = Literal["ok", "error", "timeout", "crash", "throttled"]


@dataclass
class InvocationResult:
    outcome: Outcome
    request_id: str
    result: Any = None  # the handler's return value when outcome == "ok"
    error: dict[str, Any] | None = None  # Lambda's {errorMessage, errorType, stackTrace} otherwise
    duration_ms: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class _WorkerDied(Exception):
    pass


class Worker:
    """One execution environment: a `_bootstrap.py` process serving one invocation at a time."""

    def __init__(self, spec: FunctionSpec, index: int) -> None:
        self.spec = spec
        self.label = f"{spec.name}#{index}"
        self._replies: queue.Queue[str | None] = queue.Queue()
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-u", str(BOOTSTRAP), spec.handler, str(spec.code_dir),
             *(str(layer) for layer in spec.layer_dirs)],
            cwd=spec.code_dir, env=spec.environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE)
        assert self.process.stdout is not None and self.process.stderr is not None
        self._log_pump = pump_lines(self.process.stderr, self.label)
        threading.Thread(target=self._read_replies, name=f"replies-{self.label}", daemon=True).start()
        self._init_error: dict[str, Any] | None = None
        self._initialised = False

    def _read_replies(self) -> None:
        assert self.process.stdout is not None
        with self.process.stdout:
            for raw in iter(self.process.stdout.readline, b""):
                self._replies.put(raw.decode("utf-8"))
        self._replies.put(None)

    def _next_reply(self, timeout: float) -> dict[str, Any]:
        try:
            line = self._replies.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            raise TimeoutError from None
        if line is None:
            raise _WorkerDied
        reply: dict[str, Any] = json.loads(line)
        return reply

    def alive(self) -> bool:
        return self.process.poll() is None

    def invoke(self, event: Any, request_id: str) -> InvocationResult:
        started = time.monotonic()
        deadline_ms = int(time.time() * 1000 + self.spec.timeout_s * 1000)
        try:
            if not self._initialised:
                ready = self._next_reply(INIT_TIMEOUT_S)
                if not ready.get("ready"):
                    self.stop()
                    return InvocationResult("crash", request_id, error=ready.get("error"),
                                            duration_ms=_ms_since(started))
                self._initialised = True
            request = {"event": event, "request_id": request_id, "deadline_ms": deadline_ms,
                       "invoked_function_arn": self.spec.arn}
            assert self.process.stdin is not None
            self.process.stdin.write((json.dumps(request) + "\n").encode())
            self.process.stdin.flush()
            reply = self._next_reply(deadline_ms / 1000 - time.time())
        except TimeoutError:
            self.stop()
            message = f"Task timed out after {self.spec.timeout_s:.2f} seconds"
            error = {"errorMessage": message, "errorType": "Sandbox.Timedout"}
            return InvocationResult("timeout", request_id, error=error, duration_ms=_ms_since(started))
        except (_WorkerDied, BrokenPipeError, OSError):
            code = self.process.wait(timeout=5)
            message = f"Runtime exited with error: exit status {code}"
            error = {"errorMessage": message, "errorType": "Runtime.ExitError"}
            return InvocationResult("crash", request_id, error=error, duration_ms=_ms_since(started))
        if reply.get("ok"):
            return InvocationResult("ok", request_id, result=reply.get("result"), duration_ms=_ms_since(started))
        return InvocationResult("error", request_id, error=reply.get("error"), duration_ms=_ms_since(started))

    def stop(self) -> None:
        if self.process.stdin is not None and not self.process.stdin.closed:
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        stop_process(self.process, timeout=2)
        self._log_pump.join(timeout=2)


def _ms_since(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


class WorkerPool:
    """Up to `spec.pool_size` warm workers; a caller waits (bounded) for a free one, like reserved concurrency."""

    def __init__(self, spec: FunctionSpec) -> None:
        self.spec = spec
        self._idle: list[Worker] = []
        self._all: set[Worker] = set()
        self._busy = 0
        self._spawned = 0
        self._closed = False
        self._condition = threading.Condition()

    def stats(self) -> dict[str, int]:
        with self._condition:
            return {"idle": len(self._idle), "busy": self._busy, "max": self.spec.pool_size,
                    "started": self._spawned}

    def _acquire(self, timeout: float) -> Worker | None:
        deadline = time.monotonic() + timeout
        with self._condition:
            while True:
                if self._closed:
                    return None
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        self._busy += 1
                        return worker
                    self._all.discard(worker)
                if self._busy < self.spec.pool_size:
                    self._busy += 1
                    self._spawned += 1
                    index = self._spawned
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._condition.wait(timeout=remaining)
        try:
            worker = Worker(self.spec, index)
        except OSError:
            self._release(None, reusable=False)
            raise
        with self._condition:
            self._all.add(worker)
        return worker

    def _release(self, worker: Worker | None, *, reusable: bool) -> None:
        with self._condition:
            self._busy -= 1
            keep = worker is not None and reusable and worker.alive() and not self._closed
            if worker is not None and keep:
                self._idle.append(worker)
            elif worker is not None:
                self._all.discard(worker)
            self._condition.notify()
        if worker is not None and not keep:
            worker.stop()

    def invoke(self, event: Any, *, request_id: str | None = None, wait_s: float | None = None) -> InvocationResult:
        request_id = request_id or str(uuid.uuid4())
        worker = self._acquire(self.spec.timeout_s if wait_s is None else wait_s)
        if worker is None:
            error = {"errorMessage": "Rate Exceeded.", "errorType": "TooManyRequestsException"}
            return InvocationResult("throttled", request_id, error=error)
        result: InvocationResult | None = None
        try:
            result = worker.invoke(event, request_id)
            return result
        finally:
            self._release(worker, reusable=result is not None and result.outcome in ("ok", "error"))

    def close(self) -> None:
        """Stop every worker, busy ones too (their callers see a crash), so no process outlives the gateway."""
        with self._condition:
            self._closed = True
            workers, self._idle = list(self._all), []
            self._condition.notify_all()
        for worker in workers:
            worker.stop()
