"""Stay inside QuickBooks' per-company limits from within one process: at most N requests in any rolling minute,
S in any rolling second, and M in flight at once. QBO allows 500/minute, 10/second (per company and app) and 10
concurrent per realm; going over earns 429s for every caller of that company, so we queue ourselves instead.
(Across Lambda instances the sync queue's concurrency caps us.)
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import NamedTuple

from hubbooks.domain.qbo_errors import QboThrottledError

QBO_REQUESTS_PER_MINUTE = 500
QBO_REQUESTS_PER_SECOND = 10
QBO_CONCURRENT_REQUESTS = 10


class BudgetLimits(NamedTuple):
    per_minute: int = QBO_REQUESTS_PER_MINUTE - 20  # headroom for clocks that disagree with Intuit's
    per_second: int = QBO_REQUESTS_PER_SECOND - 1
    concurrent: int = QBO_CONCURRENT_REQUESTS
    window_seconds: float = 60.0
    second_seconds: float = 1.05  # a little over a second, for the same reason


class RealmBudget:
    """One company's budget. `slot()` blocks until a request may start, or raises QboThrottledError after
    `max_wait_seconds` (so a Lambda near its deadline fails cleanly instead of being killed mid-wait)."""

    def __init__(self, limits: BudgetLimits, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._started: deque[float] = deque()
        self._in_flight = 0

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def _try_start(self) -> float:
        """Start a request now and return 0, or return how long to wait before trying again."""
        with self._lock:
            now = self._clock()
            while self._started and self._started[0] <= now - self._limits.window_seconds:
                self._started.popleft()
            if len(self._started) >= self._limits.per_minute:
                return self._started[0] + self._limits.window_seconds - now
            if len(self._started) >= self._limits.per_second:
                oldest_in_second = self._started[-self._limits.per_second]
                if oldest_in_second > now - self._limits.second_seconds:
                    return oldest_in_second + self._limits.second_seconds - now
            if self._in_flight >= self._limits.concurrent:
                return 0.02
            self._started.append(now)
            self._in_flight += 1
            return 0.0

    def _finish(self) -> None:
        with self._lock:
            self._in_flight -= 1

    @contextmanager
    def slot(self, max_wait_seconds: float) -> Iterator[None]:
        give_up_at = self._clock() + max_wait_seconds
        while (wait := self._try_start()) > 0:
            if self._clock() + wait > give_up_at:
                raise QboThrottledError(fault_message="HubBooks' own per-company request budget is used up",
                                        http_status=429)
            self._sleep(wait)
        try:
            yield
        finally:
            self._finish()


class RealmBudgets:
    """The budgets of every company this process talks to (kept warm across invocations, like the HTTP pool)."""

    def __init__(self, limits: BudgetLimits | None = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._limits = limits or BudgetLimits()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._budgets: dict[str, RealmBudget] = {}

    def for_realm(self, realm_id: str) -> RealmBudget:
        with self._lock:
            budget = self._budgets.get(realm_id)
            if budget is None:
                budget = self._budgets[realm_id] = RealmBudget(self._limits, self._clock, self._sleep)
            return budget
