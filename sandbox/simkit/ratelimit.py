"""Provider-style limits: a sliding window of N requests per period, and a cap on requests in flight."""

from __future__ import annotations

import threading
from collections import defaultdict, deque

from sandbox.simkit.clock import SimClock


class SlidingWindowLimiter:
    def __init__(self, limit: int, window_seconds: float, clock: SimClock) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self._clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def try_acquire(self, key: str) -> float | None:
        """Count one request; None when allowed, else the seconds until a slot frees up."""
        now = self._clock.now()
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - self.window_seconds:
                hits.popleft()
            if len(hits) >= self.limit:
                return max(hits[0] + self.window_seconds - now, 0.001)
            hits.append(now)
            return None

    def remaining(self, key: str) -> int:
        now = self._clock.now()
        with self._lock:
            return max(self.limit - sum(1 for t in self._hits[key] if t > now - self.window_seconds), 0)

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


class ConcurrencyLimiter:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._in_flight: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()

    def acquire(self, key: str) -> bool:
        with self._lock:
            if self._in_flight[key] >= self.limit:
                return False
            self._in_flight[key] += 1
            return True

    def release(self, key: str) -> None:
        with self._lock:
            self._in_flight[key] = max(self._in_flight[key] - 1, 0)
