"""The portal's HubSpot company currency, remembered for a while: every card view needs it, HubSpot rarely changes
it, and reading it each time would spend the portal's 110-requests-per-10-seconds budget on a constant.

A warm container also remembers what it read or wrote, until the same freshness runs out, so a card view does not
pay a DynamoDB read for it either: the answer is the same the table would give (the item is rewritten only when it
is stale), at most FRESH_FOR_SECONDS old."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

from hubbooks.adapters.storage import table_keys

FRESH_FOR_SECONDS = 15 * 60

_remembered: dict[int, tuple[str, float]] = {}  # portal -> (currency, when HubSpot was asked), container-wide
_remembered_lock = threading.Lock()


def forget_remembered_currencies() -> None:
    """A cold container's view (tests)."""
    with _remembered_lock:
        _remembered.clear()


class DynamoCurrencyCache:
    def __init__(self, table: Any, clock: Callable[[], float] = time.time) -> None:
        self._table = table
        self._clock = clock

    def _fresh(self, checked_at: float) -> bool:
        return self._clock() - checked_at <= FRESH_FOR_SECONDS

    def get(self, portal_id: int) -> str | None:
        with _remembered_lock:
            remembered = _remembered.get(portal_id)
        if remembered and self._fresh(remembered[1]):
            return remembered[0]
        item = self._table.get_item(Key=table_keys.company_currency_cache_key(portal_id)).get("Item")
        if not item or not self._fresh(float(item["checked_at"])):
            return None
        self._remember(portal_id, str(item["currency"]), float(item["checked_at"]))
        return str(item["currency"])

    def put(self, portal_id: int, currency: str) -> None:
        checked_at = int(self._clock())
        self._table.put_item(Item={**table_keys.company_currency_cache_key(portal_id), "type": "currency_cache",
                                   "currency": currency, "checked_at": checked_at, "ttl": checked_at + 24 * 3600})
        self._remember(portal_id, currency, checked_at)

    @staticmethod
    def _remember(portal_id: int, currency: str, checked_at: float) -> None:
        with _remembered_lock:
            _remembered[portal_id] = (currency, checked_at)
