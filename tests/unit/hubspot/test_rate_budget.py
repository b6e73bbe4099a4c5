"""The in-process request budget: 110 per 10 s per portal, 5 per second for search, and HubSpot's own signals."""

from __future__ import annotations

import pytest

from hubbooks.adapters.hubspot.rate_budget import SYNC_LIMITS, BudgetLimits, RequestBudget, RequestKind


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _budget(limits: BudgetLimits = BudgetLimits()) -> tuple[RequestBudget, FakeTime]:
    fake = FakeTime()
    return RequestBudget(limits, clock=lambda: fake.now, sleep=fake.sleep), fake


def test_110_requests_per_10_seconds_then_waits_for_the_oldest_to_leave_the_window() -> None:
    budget, fake = _budget()
    for _ in range(110):
        assert budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=0)
    assert fake.slept == []
    assert budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=30)
    assert fake.slept == pytest.approx([10.1])  # the window plus slack for HubSpot counting on arrival


def test_portals_have_separate_budgets() -> None:
    budget, _ = _budget(BudgetLimits(burst_requests=1))
    assert budget.acquire(1, RequestKind.STANDARD, max_wait_seconds=0)
    assert budget.acquire(2, RequestKind.STANDARD, max_wait_seconds=0)
    assert not budget.acquire(1, RequestKind.STANDARD, max_wait_seconds=0)


def test_search_is_limited_to_five_per_second_apart_from_other_calls() -> None:
    budget, fake = _budget()
    for _ in range(5):
        assert budget.acquire(7, RequestKind.SEARCH, max_wait_seconds=0)
    assert not budget.acquire(7, RequestKind.SEARCH, max_wait_seconds=0.5)  # would need ~1.1 s
    assert budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=0)
    assert budget.acquire(7, RequestKind.SEARCH, max_wait_seconds=2)
    assert fake.slept == pytest.approx([1.1])


def test_no_remaining_calls_pause_the_portal_for_one_interval() -> None:
    budget, fake = _budget()
    budget.observe(7, RequestKind.STANDARD, 200, {"X-HubSpot-RateLimit-Remaining": "0",
                                                  "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"})
    assert budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=15)
    assert fake.slept == [10.0]


def test_a_429_pauses_for_its_retry_after() -> None:
    budget, fake = _budget()
    budget.observe(7, RequestKind.SEARCH, 429, {"Retry-After": "2"})
    assert budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=0)  # search's limit only
    assert budget.acquire(7, RequestKind.SEARCH, max_wait_seconds=5)
    assert fake.slept == [2.0]


def test_remaining_calls_do_not_pause() -> None:
    budget, fake = _budget()
    budget.observe(7, RequestKind.STANDARD, 200, {"X-HubSpot-RateLimit-Remaining": "3"})
    budget.observe(7, RequestKind.STANDARD, 200, {})
    assert budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=0) and fake.slept == []


def test_the_sync_takes_a_smaller_share_and_yields_while_the_cards_need_the_rest() -> None:
    budget, fake = _budget(SYNC_LIMITS)
    for _ in range(80):
        assert budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=0)
    assert not budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=0)  # 30 of 110 left for the cards
    fake.now += 11
    headers = {"X-HubSpot-RateLimit-Remaining": "25", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000"}
    budget.observe(7, RequestKind.STANDARD, 200, headers)  # other containers (cards) used the window
    assert not budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=5)
    assert budget.acquire(7, RequestKind.STANDARD, max_wait_seconds=11)
    plain, _ = _budget()
    plain.observe(7, RequestKind.STANDARD, 200, headers)  # the cards' own budget does not hold back
    assert plain.acquire(7, RequestKind.STANDARD, max_wait_seconds=0)
