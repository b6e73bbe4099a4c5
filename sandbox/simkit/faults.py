"""Injected failures: a status answered for a share of requests under a path prefix, added latency, and lost answers
(the request is carried out, then its answer is replaced by a 504, as when a gateway times out after the backend
committed: the client cannot tell whether it happened)."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class FaultRule:
    status: int
    rate: float
    latency_ms: int
    path_prefix: str
    lost_rate: float = 0.0
    methods: tuple[str, ...] = field(default=())  # empty: every method


class FaultInjector:
    def __init__(self, rng: random.Random | None = None) -> None:
        self._rule: FaultRule | None = None
        self._lock = threading.Lock()
        self._rng = rng or random.Random()
        self.injected = {"status": 0, "lost": 0}

    def configure(self, status: int, rate: float = 1.0, latency_ms: int = 0, path_prefix: str = "/",
                  lost_rate: float = 0.0, methods: tuple[str, ...] = (), seed: int | None = None) -> FaultRule:
        if not 0.0 <= rate <= 1.0 or not 0.0 <= lost_rate <= 1.0:
            raise ValueError("rate and lost_rate must be between 0 and 1")
        if latency_ms < 0:
            raise ValueError("latency_ms must not be negative")
        if status and not 100 <= status <= 599:
            raise ValueError("status must be an HTTP status code (or 0 for latency only)")
        rule = FaultRule(status=status, rate=rate, latency_ms=latency_ms, path_prefix=path_prefix or "/",
                         lost_rate=lost_rate, methods=tuple(m.upper() for m in methods))
        with self._lock:
            self._rule = rule
            if seed is not None:
                self._rng.seed(seed)
        return rule

    def clear(self) -> None:
        with self._lock:
            self._rule = None

    def describe(self) -> dict[str, object] | None:
        rule = self._rule
        return {**asdict(rule), "injected": dict(self.injected)} if rule else None

    def _applies(self, rule: FaultRule | None, path: str, method: str | None) -> bool:
        if rule is None or not path.startswith(rule.path_prefix):
            return False
        return not rule.methods or method is None or method.upper() in rule.methods

    def check(self, path: str, method: str | None = None) -> int | None:
        """Apply the rule to one request: sleep its latency, and return the status to fail with (or None)."""
        rule = self._rule
        if rule is None or not self._applies(rule, path, method):
            return None
        if rule.latency_ms:
            time.sleep(rule.latency_ms / 1000)
        with self._lock:
            hit = bool(rule.status) and self._rng.random() < rule.rate
            if hit:
                self.injected["status"] += 1
        return rule.status if hit else None

    def lose_answer(self, path: str, method: str | None = None) -> bool:
        """After a request was carried out: whether its answer is lost (replaced by a 504)."""
        rule = self._rule
        if rule is None or not rule.lost_rate or not self._applies(rule, path, method):
            return False
        with self._lock:
            lost = self._rng.random() < rule.lost_rate
            if lost:
                self.injected["lost"] += 1
        return lost
