"""HubSpot's burst limits: 110 requests per 10 s per installing account for OAuth apps, 5/s for search."""

from __future__ import annotations

import threading
from typing import Any

from sandbox.hubspot.errors import HubSpotError, correlation_id
from sandbox.simkit.clock import SimClock
from sandbox.simkit.ratelimit import SlidingWindowLimiter


def rate_limited(message: str, policy: str, retry_after: float, send_retry_after: bool = False) -> HubSpotError:
    """A 429 with the api-facts H6 body; `category` is added because the spec's Error schema requires it.

    HubSpot documents no `Retry-After` on REST 429s (api-facts H6, [U]: "back off using the Interval header"), so
    none is sent unless `send_retry_after` (the `/_sandbox/limits` setting `retry_after`) asks for one.
    """
    headers = {"Retry-After": str(max(int(retry_after + 0.999), 1))} if send_retry_after else {}
    return HubSpotError(429, "RATE_LIMITS", message,
                        extra={"errorType": "RATE_LIMIT", "policyName": policy, "requestId": correlation_id()},
                        headers=headers)


class ApiLimits:
    def __init__(self, clock: SimClock, burst_limit: int = 110, burst_window_seconds: float = 10.0,
                 search_per_second: int = 5, retry_after: bool = False) -> None:
        self.clock = clock
        self._lock = threading.Lock()
        self.retry_after = retry_after
        self.configure(burst_limit, burst_window_seconds, search_per_second)

    def configure(self, burst_limit: int, burst_window_seconds: float, search_per_second: int) -> None:
        with self._lock:
            self.burst = SlidingWindowLimiter(burst_limit, burst_window_seconds, self.clock)
            self.search = SlidingWindowLimiter(search_per_second, 1.0, self.clock)

    def describe(self) -> dict[str, Any]:
        return {"burst_limit": self.burst.limit, "burst_window_seconds": self.burst.window_seconds,
                "search_per_second": self.search.limit, "retry_after": self.retry_after}

    def check(self, kind: str, portal_id: int, app_id: int | None) -> dict[str, str]:
        """Count one request; raise a 429 when over the limit, else return the rate-limit headers to send."""
        if kind == "search":
            # Search has its own per-account limit and sends no rate-limit headers.
            wait = self.search.try_acquire(str(portal_id))
            if wait is not None:
                raise rate_limited("You have reached your secondly limit.", "SECONDLY", wait, self.retry_after)
            return {}
        key = f"{portal_id}:{app_id or 'static'}"
        wait = self.burst.try_acquire(key)
        headers = {"X-HubSpot-RateLimit-Interval-Milliseconds": str(int(self.burst.window_seconds * 1000)),
                   "X-HubSpot-RateLimit-Max": str(self.burst.limit),
                   "X-HubSpot-RateLimit-Remaining": str(self.burst.remaining(key))}
        if wait is not None:
            error = rate_limited("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING", wait,
                                 self.retry_after)
            error.headers.update(headers)
            raise error
        return headers
