"""DynamoDB bookmarks of the HubSpot-side reconciliation: per portal, QuickBooks company and object, one small item."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.storage import table_keys
from hubbooks.models.changes import CompanyScope
from hubbooks.models.hubspot_changes import HubSpotChangeBookmark
from hubbooks.models.sync import SyncObject


class DynamoHubSpotBookmarks:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, scope: CompanyScope, sync_object: SyncObject) -> HubSpotChangeBookmark | None:
        item = self._table.get_item(
            Key=table_keys.hubspot_change_bookmark_key(scope.portal_id, scope.realm_id, sync_object.value),
            ConsistentRead=True).get("Item")
        return HubSpotChangeBookmark.model_validate_json(item["bookmark"]) if item else None

    def save(self, bookmark: HubSpotChangeBookmark) -> None:
        # One JSON attribute: the recent-records map stays a plain string, not hundreds of DynamoDB attributes.
        self._table.put_item(Item={
            **table_keys.hubspot_change_bookmark_key(bookmark.portal_id, bookmark.realm_id, bookmark.object.value),
            "type": "hubspot_change_bookmark", "bookmark": bookmark.model_dump_json()})

