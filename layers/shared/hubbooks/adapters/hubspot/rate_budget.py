"""Stay under HubSpot's burst limits before HubSpot has to say 429.

A public OAuth app may make 110 requests per rolling 10 seconds per installing account, and CRM search is limited
separately to 5 requests per second per account (search answers carry no rate-limit headers). One budget per warm
Lambda container spaces this container's calls; the X-HubSpot-RateLimit-* headers HubSpot returns tell us what the
other containers have used, so when HubSpot reports nothing left we pause that portal for one interval.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import NamedTuple

from hubbooks.adapters.http_retry import parse_retry_after


class RequestKind(StrEnum):
    STANDARD = "standard"
    SEARCH = "search"


class BudgetLimits(NamedTuple):
    burst_requests: int = 110
    burst_window_seconds: float = 10.0
    search_requests: int = 5
    search_window_seconds: float = 1.0
    # HubSpot counts a request when it arrives, a little after we count it when sending; without slack the
    # request that opens a new window can land while HubSpot still counts the oldest one.
    slack_seconds: float = 0.1
    # Background work (the sync) stops while HubSpot reports this few requests left in the window, so the app
    # cards, which people wait for, always find some.
    reserve_for_others: int = 0


HUBSPOT_LIMITS = BudgetLimits()


class RequestBudget:
    def __init__(self, limits: BudgetLimits = HUBSPOT_LIMITS, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._sent: dict[tuple[int, RequestKind], deque[float]] = defaultdict(deque)
        self._paused_until: dict[tuple[int, RequestKind], float] = {}

    def acquire(self, portal_id: int, kind: RequestKind, *, max_wait_seconds: float) -> bool:
        """Take a slot, sleeping for it if needed; False (nothing taken) when the wait would exceed max_wait."""
        while True:
            with self._lock:
                now = self._clock()
                wait = self._wait_locked(portal_id, kind, now)
                if wait <= 0:
                    self._sent[(portal_id, kind)].append(now)
                    return True
            if wait > max_wait_seconds:
                return False
            self._sleep(wait)
            max_wait_seconds -= wait

    def forget(self) -> None:
        """Drop every portal's history: a new container's view (tests start each case from one)."""
        with self._lock:
            self._sent.clear()
            self._paused_until.clear()

    def observe(self, portal_id: int, kind: RequestKind, status: int, headers: Mapping[str, str]) -> None:
        """Learn from HubSpot's answer: a 429, or nothing remaining, means every container must hold off.

        A 429's Retry-After says for how long; otherwise we wait out one whole interval to be safe.
        """
        remaining = _int_header(headers, "X-HubSpot-RateLimit-Remaining")
        if status != 429 and (remaining is None or remaining > self._limits.reserve_for_others):
            return
        retry_after = parse_retry_after(headers.get("Retry-After")) if status == 429 else None
        interval_ms = _int_header(headers, "X-HubSpot-RateLimit-Interval-Milliseconds")
        pause = retry_after if retry_after is not None else (
            (interval_ms or int(self._limits.burst_window_seconds * 1000)) / 1000)
        with self._lock:
            until = self._clock() + pause
            key = (portal_id, kind)
            self._paused_until[key] = max(self._paused_until.get(key, 0.0), until)

    def _wait_locked(self, portal_id: int, kind: RequestKind, now: float) -> float:
        limit, window = ((self._limits.search_requests, self._limits.search_window_seconds)
                         if kind is RequestKind.SEARCH
                         else (self._limits.burst_requests, self._limits.burst_window_seconds))
        sent = self._sent[(portal_id, kind)]
        while sent and sent[0] <= now - window - self._limits.slack_seconds:
            sent.popleft()
        wait = sent[0] + window + self._limits.slack_seconds - now if len(sent) >= limit else 0.0
        wait = max(wait, self._paused_until.get((portal_id, kind), 0.0) - now)
        return max(wait, 0.0)


def _int_header(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


_shared = RequestBudget()
# The sync takes at most 80 of a portal's 110 requests per 10 s and yields when HubSpot says 30 or fewer are left.
SYNC_LIMITS = BudgetLimits(burst_requests=80, reserve_for_others=30)
_sync = RequestBudget(SYNC_LIMITS)


def shared_budget() -> RequestBudget:
    """The container-wide budget every portal-bound transport uses (warm invocations keep its history)."""
    return _shared


def sync_budget() -> RequestBudget:
    """The sync's budget: a smaller share, leaving headroom for the cards in every window."""
    return _sync
