"""The portal's HubSpot company currency, remembered for a while: every card view needs it, HubSpot rarely changes
it, and reading it each time would spend the portal's 110-requests-per-10-seconds budget on a constant."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from hubbooks.adapters.storage import table_keys

FRESH_FOR_SECONDS = 15 * 60


class DynamoCurrencyCache:
    def __init__(self, table: Any, clock: Callable[[], float] = time.time) -> None:
        self._table = table
        self._clock = clock

    def get(self, portal_id: int) -> str | None:
        item = self._table.get_item(Key=table_keys.company_currency_cache_key(portal_id)).get("Item")
        if not item or self._clock() - float(item["checked_at"]) > FRESH_FOR_SECONDS:
            return None
        return str(item["currency"])

    def put(self, portal_id: int, currency: str) -> None:
        self._table.put_item(Item={**table_keys.company_currency_cache_key(portal_id), "type": "currency_cache",
                                   "currency": currency, "checked_at": int(self._clock()),
                                   "ttl": int(self._clock()) + 24 * 3600})
