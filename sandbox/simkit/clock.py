"""A wall clock that tests can move forward, so expiry logic is exercised without sleeping."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime


class SimClock:
    def __init__(self) -> None:
        self._offset = 0.0
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the simulated clock only moves forward")
        with self._lock:
            self._offset += seconds

    def utcnow(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    @property
    def offset(self) -> float:
        return self._offset
