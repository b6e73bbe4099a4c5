"""The retry loop both provider transports share: bounded attempts, jittered exponential backoff, Retry-After,
and never sleeping past the Lambda invocation's remaining time."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from email.utils import parsedate_to_datetime
from typing import Any, NamedTuple

import requests

RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class RetryPolicy(NamedTuple):
    max_attempts: int = 4
    base_delay_seconds: float = 0.5
    max_delay_seconds: float = 10.0
    timeout_seconds: tuple[float, float] = (3.05, 20.0)  # (connect, read)

    def backoff(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """attempt is 1-based: the delay before attempt + 1."""
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.max_delay_seconds)
        ceiling = min(self.base_delay_seconds * (2 ** (attempt - 1)), self.max_delay_seconds)
        return rng.uniform(ceiling / 2, ceiling)


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        return max(parsedate_to_datetime(value).timestamp() - time.time(), 0.0)
    except (TypeError, ValueError):
        return None


# An attempt with less time than this left is not worth starting.
MIN_ATTEMPT_SECONDS = 1.0
# How long to wait for another invocation that is renewing the same OAuth grant, when no deadline is nearer.
TOKEN_WAIT_SECONDS = 15.0
# Waiting for a rate-budget slot must leave at least this long for the request itself.
ATTEMPT_RESERVE_SECONDS = 5.0


def _a_minute() -> int:
    return 60_000


class Deadline:
    """Time left for this request; attempts are cut short, and retries skipped, so that the caller still gets
    an answer (a clear error) before it gives up on us. A plain class: every provider call's module loads it, and a
    dataclass compiles its methods from source when defined (about 0.3 ms of each cold start)."""

    __slots__ = ("remaining_ms", "safety_margin_ms")

    def __init__(self, remaining_ms: Callable[[], int] = _a_minute, safety_margin_ms: int = 1_500) -> None:
        self.remaining_ms = remaining_ms
        self.safety_margin_ms = safety_margin_ms

    def __repr__(self) -> str:
        return f"Deadline(remaining_ms={self.remaining_ms!r}, safety_margin_ms={self.safety_margin_ms!r})"

    def spare_seconds(self) -> float:
        return (self.remaining_ms() - self.safety_margin_ms) / 1000

    def allows(self, delay_seconds: float, next_timeout_seconds: float = 0.0) -> bool:
        budget_ms = self.remaining_ms() - self.safety_margin_ms
        return (delay_seconds + next_timeout_seconds) * 1000 < budget_ms

    def seconds_to_wait(self, up_to: float) -> float:
        """How long a wait (for another invocation, a slot) may last and still leave time for an attempt."""
        return max(0.0, min(up_to, self.spare_seconds() - MIN_ATTEMPT_SECONDS))

    def capped(self, timeout: tuple[float, float]) -> tuple[float, float]:
        """The (connect, read) timeout of the next attempt, ending before the deadline does."""
        spare = self.spare_seconds()
        if spare < MIN_ATTEMPT_SECONDS:
            raise RetriesExhausted("no time left for another attempt", out_of_time=True)
        return min(timeout[0], spare), min(timeout[1], spare)

    @classmethod
    def from_lambda_context(cls, context: Any, *, budget_seconds: float | None = None,
                            clock: Callable[[], float] = time.monotonic) -> Deadline:
        """The invocation's remaining time, or, with budget_seconds, at most that long from now (a caller such
        as hubspot.fetch that gives up sooner than the function's timeout)."""
        getter = getattr(context, "get_remaining_time_in_millis", None)
        if budget_seconds is None:
            return cls(remaining_ms=getter) if callable(getter) else cls()
        ends_at = clock() + budget_seconds

        def remaining_ms() -> int:
            left = int((ends_at - clock()) * 1000)
            return min(left, int(getter())) if callable(getter) else left

        return cls(remaining_ms=remaining_ms)


class RetriesExhausted(Exception):
    def __init__(self, message: str, response: requests.Response | None = None,
                 error: Exception | None = None, *, out_of_time: bool = False) -> None:
        super().__init__(message)
        self.response = response
        self.error = error
        self.out_of_time = out_of_time


class AnswerLost(RetriesExhausted):
    """A non-idempotent request got no usable answer: it may or may not have been applied."""


_JITTER = random.Random()  # backoff jitter for every call: seeding a generator per call costs a system read


def send_with_retries(
    send: Callable[[], requests.Response],
    *,
    policy: RetryPolicy,
    deadline: Deadline | None = None,
    should_retry: Callable[[requests.Response], bool] = lambda r: r.status_code in RETRYABLE_STATUSES,
    retry_after_of: Callable[[requests.Response], float | None] = lambda r: parse_retry_after(
        r.headers.get("Retry-After")),
    sleep: Callable[[float], None] = time.sleep,
    rng: random.Random | None = None,
    retry_ambiguous: bool = True,
) -> requests.Response:
    """Call `send` until it gives a non-retryable answer; returns the last response when attempts run out.

    With `retry_ambiguous=False` (a create that carries no idempotency key) a failure after which the request may
    have been applied (no answer, a read timeout, a 5xx) is not retried here: the caller must first look for what the
    lost attempt made. Refused connections and throttling answers are still retried (nothing was applied)."""
    deadline = deadline or Deadline()
    rng = rng or _JITTER
    # A retry is worth it when a useful attempt still fits after the pause; the attempt's own timeout is capped to
    # what is left (Deadline.capped), so it never outlives the deadline.
    next_attempt = min(policy.timeout_seconds[1], MIN_ATTEMPT_SECONDS)
    for attempt in range(1, policy.max_attempts + 1):
        try:
            response = send()
        except (requests.ConnectionError, requests.Timeout) as error:
            if not retry_ambiguous and not isinstance(error, requests.ConnectTimeout):
                raise AnswerLost(f"no answer, and the request may have been applied: {error}", error=error) from error
            if attempt == policy.max_attempts:
                raise RetriesExhausted(f"no answer after {attempt} attempts: {error}", error=error) from error
            delay = policy.backoff(attempt, None, rng)
            if not deadline.allows(delay, next_attempt):
                raise RetriesExhausted(f"no answer and no time left to retry: {error}", error=error,
                                       out_of_time=True) from error
            sleep(delay)
            continue
        if not should_retry(response) or attempt == policy.max_attempts:
            return response
        if not retry_ambiguous and response.status_code >= 500:
            return response
        delay = policy.backoff(attempt, retry_after_of(response), rng)
        if not deadline.allows(delay, next_attempt):
            return response
        sleep(delay)
    raise AssertionError("unreachable: the loop returns or raises")
