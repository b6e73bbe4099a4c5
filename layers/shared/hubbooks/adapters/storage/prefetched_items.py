"""A table whose reads of a few items known in advance are answered from one BatchGetItem made up front.

A request that needs several single items (the card: the connected companies, the roles, the admins, the currency)
would otherwise make one GetItem each, one after the other as the domain asks for them. Wrapping the table for that
request turns them into one round trip without the domain or the stores knowing. Only for read-only requests: an item
written during the request would still be answered as it was read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import batch_get


class PrefetchedItems:
    def __init__(self, table: Any, keys: Sequence[dict[str, str]]) -> None:
        self._table = table
        self._items: dict[tuple[str, str], dict[str, Any] | None] = {(key["pk"], key["sk"]): None for key in keys}
        for item in batch_get(table, keys):  # consistent reads, like the GetItems they stand for
            self._items[(str(item["pk"]), str(item["sk"]))] = item

    def get_item(self, *, Key: dict[str, str], **kwargs: Any) -> dict[str, Any]:
        identity = (Key["pk"], Key["sk"])
        if identity not in self._items:
            return self._table.get_item(Key=Key, **kwargs)
        item = self._items[identity]
        return {"Item": item} if item is not None else {}

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._table, attribute)


def with_card_context(table: Any, portal_id: int) -> PrefetchedItems:
    """`table` with the portal's items a card reads besides the record's links already read, in one round trip."""
    return PrefetchedItems(table, table_keys.card_context_keys(portal_id))
