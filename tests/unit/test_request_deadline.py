"""A request deadline shortens attempts and stops retries, so a slow provider yields a clear error in time."""

from __future__ import annotations

import pytest
import requests

from hubbooks.adapters.http_retry import Deadline, RetriesExhausted, RetryPolicy, send_with_retries


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Context:
    def __init__(self, remaining_ms: int) -> None:
        self.remaining_ms = remaining_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def test_a_budget_ends_before_the_invocation_does() -> None:
    clock = FakeClock()
    deadline = Deadline.from_lambda_context(Context(25_000), budget_seconds=12, clock=clock)
    assert deadline.remaining_ms() == 12_000
    assert deadline.capped((3.05, 20.0)) == (3.05, 10.5)  # the read timeout ends with the budget (less the margin)
    clock.now += 9
    assert deadline.capped((3.05, 20.0)) == (1.5, 1.5)
    clock.now += 1
    with pytest.raises(RetriesExhausted) as exhausted:
        deadline.capped((3.05, 20.0))
    assert exhausted.value.out_of_time
    assert Deadline.from_lambda_context(Context(5_000), budget_seconds=12, clock=clock).remaining_ms() == 5_000


def test_timeouts_are_not_retried_past_the_deadline() -> None:
    clock = FakeClock()
    deadline = Deadline.from_lambda_context(None, budget_seconds=4, clock=clock)
    attempts: list[tuple[float, float]] = []

    def send() -> requests.Response:
        timeout = deadline.capped((3.05, 20.0))
        attempts.append(timeout)
        clock.now += timeout[1]  # the provider never answers
        raise requests.Timeout("read timed out")

    with pytest.raises(RetriesExhausted) as exhausted:
        send_with_retries(send, policy=RetryPolicy(), deadline=deadline, sleep=lambda s: None)
    assert exhausted.value.out_of_time and attempts == [(2.5, 2.5)]
    assert clock.now - 100 <= 4
