"""Injected failures: a status answered for a share of requests under a path prefix, and added latency."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class FaultRule:
    status: int
    rate: float
    latency_ms: int
    path_prefix: str


class FaultInjector:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._rule: FaultRule | None = None
        self._lock = threading.Lock()
        self._rng = rng or random.Random()

    def configure(self, status: int, rate: float = 1.0, latency_ms: int = 0, path_prefix: str = "/") -> FaultRule:
        if not 0.0 <= rate <= 1.0:
            raise ValueError("rate must be between 0 and 1")
        if latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        if status and not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code (or 0 for latency only)")
        rule = FaultRule(status=status, rate=rate, latency_ms=latency_ms, path_prefix=path_prefix or "/")
        with self._lock:
            self._rule = rule
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rule = None

    def describe(self) -> dict[str, object] | None:
        rule = self._rule
        return asdict(rule) if rule else None

    def check(self, path: str) -> int | None:
        """Apply the rule to one request: sleep its latency, and return the status to fail with (or None)."""
        rule = self._rule
        if rule is None or not path.startswith(rule.path_prefix):
            return None
        if rule.latency_ms:
            time.sleep(rule.latency_ms / 1000)
        with self._lock:
            hit = self._rng.random() < rule.rate
        return rule.status if hit and rule.status else None
