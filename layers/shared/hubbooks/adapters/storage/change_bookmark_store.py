"""DynamoDB bookmarks of the change engine: per portal, QuickBooks company and entity type, one small item."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hubbooks.adapters.storage import table_keys
from hubbooks.models.changes import ChangeBookmark, CompanyScope

_FIELDS = frozenset(ChangeBookmark.model_fields)


class DynamoChangeBookmarks:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, scope: CompanyScope, entity: str) -> ChangeBookmark | None:
        item = self._table.get_item(Key=table_keys.change_bookmark_key(scope.portal_id, scope.realm_id, entity),
                                    ConsistentRead=True).get("Item")
        if not item:
            return None
        return ChangeBookmark.model_validate({k: (int(v) if isinstance(v, Decimal) else v)
                                              for k, v in item.items() if k in _FIELDS})

    def save(self, bookmark: ChangeBookmark) -> None:
        self._table.put_item(Item={
            **table_keys.change_bookmark_key(bookmark.portal_id, bookmark.realm_id, bookmark.entity),
            "type": "change_bookmark", **bookmark.model_dump(mode="json", exclude_none=True)})
