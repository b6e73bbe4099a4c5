"""Runs functions through their worker pools and keeps the recent-invocation log the control API shows."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from sandbox.gateway.functions import FunctionSpec
from sandbox.gateway.workers import InvocationResult, WorkerPool

LOG_SIZE = 1000


@dataclass(frozen=True)
class InvocationRecord:
    function: str
    trigger: str  # http | sqs | schedule | direct
    source: str  # route key, queue name or schedule name
    request_id: str
    started_at: float
    duration_ms: float
    status: str  # ok | error | timeout | crash | throttled
    error: str | None = None
    details: dict[str, Any] = field(default_factory=dict)  # e.g. records / failed for SQS batches

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class Invoker:
    def __init__(self, specs: Mapping[str, FunctionSpec]) -> None:
        self.specs = dict(specs)
        self._pools = {name: WorkerPool(spec) for name, spec in specs.items()}
        self._log: deque[InvocationRecord] = deque(maxlen=LOG_SIZE)
        self._lock = threading.Lock()

    def invoke(self, function: str, event: Any, *, trigger: str, source: str,
               request_id: str | None = None) -> InvocationResult:
        started = time.time()
        result = self._pools[function].invoke(event, request_id=request_id)
        self.record(function, trigger, source, result, started)
        return result

    def record(self, function: str, trigger: str, source: str, result: InvocationResult, started: float,
               details: dict[str, Any] | None = None) -> None:
        error = None
        if result.error:
            error = f"{result.error.get('errorType', 'Error')}: {result.error.get('errorMessage', '')}"
        with self._lock:
            self._log.append(InvocationRecord(
                function=function, trigger=trigger, source=source, request_id=result.request_id,
                started_at=round(started, 3), duration_ms=result.duration_ms, status=result.outcome, error=error,
                details=details or {}))

    def annotate_last(self, request_id: str, details: dict[str, Any]) -> None:
        """Attach what is only known after the invocation (an SQS batch's failures) to its record."""
        with self._lock:
            for index in range(len(self._log) - 1, -1, -1):
                record = self._log[index]
                if record.request_id == request_id:
                    self._log[index] = InvocationRecord(**{**asdict(record), "details": {**record.details,
                                                                                         **details}})
                    return

    def invocations(self, function: str | None = None, trigger: str | None = None,
                    limit: int = 100) -> list[InvocationRecord]:
        with self._lock:
            records = [r for r in self._log if (function is None or r.function == function)
                       and (trigger is None or r.trigger == trigger)]
        return records[-limit:] if limit > 0 else records

    def pool_stats(self) -> dict[str, dict[str, int]]:
        return {name: pool.stats() for name, pool in self._pools.items()}

    def close(self) -> None:
        for pool in self._pools.values():
            pool.close()
