"""The product's notion of "now" for business dates (due dates, overdue, invoice dates).

Deployed stacks read the system clock. In the sandbox, SANDBOX_CLOCK_URL (set only by the sandbox's gateway) points
at the QuickBooks simulator's clock, which tests and demos move forward; following it lets `make demo` show an invoice
turning overdue without waiting 30 days. Signature checks, token expiry and preview links stay on the real clock:
HubSpot and Intuit sign and expire with theirs.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache

import requests

from hubbooks.config import get_settings
from hubbooks.observability import logger

Clock = Callable[[], datetime]
_TIMEOUT_SECONDS = 2.0


def system_now() -> datetime:
    return datetime.now(UTC)


class SimulatorClock:
    """The simulator's time as an offset from ours, re-read at most every `refresh_seconds`.

    The default re-reads on every call: a demo moves the clock between two requests, and a sandbox can afford one
    loopback request per business date.
    """

    def __init__(self, url: str, *, refresh_seconds: float = 0.0, session: requests.Session | None = None,
                 monotonic: Callable[[], float] = time.monotonic, wall: Callable[[], float] = time.time) -> None:
        self._url = url
        self._refresh = refresh_seconds
        self._session = session or requests.Session()
        self._monotonic, self._wall = monotonic, wall
        self._offset = 0.0
        self._read_at: float | None = None
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            if self._read_at is None or self._monotonic() - self._read_at >= self._refresh:
                self._offset = self._read_offset()
                self._read_at = self._monotonic()
            return datetime.fromtimestamp(self._wall() + self._offset, tz=UTC)

    def _read_offset(self) -> float:
        try:
            answer = self._session.get(self._url, timeout=_TIMEOUT_SECONDS)
            answer.raise_for_status()
            return float(answer.json()["now"]) - self._wall()
        except (requests.RequestException, ValueError, KeyError) as error:
            logger.warning("sandbox clock unreadable; using the last known offset", extra={"error": str(error)})
            return self._offset


def business_clock() -> Clock:
    url = get_settings().sandbox_clock_url
    return _simulator_clock(str(url)) if url else system_now


@cache
def _simulator_clock(url: str) -> SimulatorClock:
    return SimulatorClock(url)  # one per process: warm invocations reuse the offset it read
