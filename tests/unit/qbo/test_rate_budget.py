"""The per-company budget: never more than N starts in a rolling minute, S in a rolling second, nor M in flight."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from hubbooks.adapters.qbo.rate_budget import BudgetLimits, RealmBudget, RealmBudgets
from hubbooks.domain.qbo_errors import QboThrottledError


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


def test_the_per_minute_limit_makes_the_next_request_wait_for_the_window() -> None:
    clock = FakeClock()
    budget = RealmBudget(BudgetLimits(per_minute=3, concurrent=10), clock=lambda: clock.now, sleep=clock.sleep)
    for _ in range(3):
        with budget.slot(max_wait_seconds=120):
            clock.now += 1
    with budget.slot(max_wait_seconds=120):
        pass
    assert clock.waits == [pytest.approx(57.0)]  # the first request started at 0, so its minute ends at 60


def test_the_per_second_limit_spreads_a_burst_over_seconds() -> None:
    """Intuit allows 10 requests per second per company and app (api-facts §Q9); a burst of 25 must not exceed it."""
    clock = FakeClock()
    budget = RealmBudget(BudgetLimits(), clock=lambda: clock.now, sleep=clock.sleep)
    starts = []
    for _ in range(25):
        with budget.slot(max_wait_seconds=30):
            starts.append(clock.now)
    for index, started in enumerate(starts):
        in_this_second = [t for t in starts[: index + 1] if t > started - 1.0]
        assert len(in_this_second) <= 10
    assert starts[-1] >= 2.0  # 25 requests at <= 9 per 1.05 s need over two seconds


def test_no_room_within_the_allowed_wait_raises_throttled() -> None:
    clock = FakeClock()
    budget = RealmBudget(BudgetLimits(per_minute=1, concurrent=10), clock=lambda: clock.now, sleep=clock.sleep)
    with budget.slot(max_wait_seconds=5):
        pass
    with pytest.raises(QboThrottledError), budget.slot(max_wait_seconds=5):
        pass


def test_never_more_than_the_concurrency_limit_in_flight() -> None:
    budget = RealmBudget(BudgetLimits(per_minute=1000, per_second=1000, concurrent=10))
    peak = 0
    lock = threading.Lock()

    def call() -> None:
        nonlocal peak
        with budget.slot(max_wait_seconds=10):
            with lock:
                peak = max(peak, budget.in_flight)
            time.sleep(0.01)

    with ThreadPoolExecutor(max_workers=30) as pool:
        list(pool.map(lambda _: call(), range(90)))
    assert peak == 10 and budget.in_flight == 0


def test_each_company_has_its_own_budget() -> None:
    budgets = RealmBudgets()
    assert budgets.for_realm("1") is budgets.for_realm("1")
    assert budgets.for_realm("1") is not budgets.for_realm("2")
