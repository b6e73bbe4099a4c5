"""Request counters per endpoint and tenant, so tests can prove how many calls a feature makes."""

from __future__ import annotations

import threading
from collections import Counter


class RequestStats:
    def __init__(self) -> None:
        self._counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def record(self, endpoint: str, tenant: str | None) -> None:
        with self._lock:
            self._counts[(endpoint, tenant or "-")] += 1

    def snapshot(self) -> dict[str, object]:
        with self._lock:
            items = sorted(self._counts.items())
        by_endpoint: dict[str, dict[str, int]] = {}
        for (endpoint, tenant), count in items:
            by_endpoint.setdefault(endpoint, {})[tenant] = count
        return {"total": sum(count for _, count in items), "endpoints": by_endpoint}

    def reset(self) -> None:
        with self._lock:
            self._counts.clear()
