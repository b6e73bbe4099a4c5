"""DynamoDB storage of HubSpot installs (not their tokens, which DynamoTokenStore keeps encrypted)."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.storage import table_keys
from hubbooks.models.hubspot_install import HubSpotInstall


class DynamoInstallStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def save(self, install: HubSpotInstall) -> None:
        self._table.put_item(Item={**table_keys.hubspot_install_key(install.portal_id), "type": "hubspot_install",
                                   **install.model_dump(mode="json", exclude_none=True)})

    def get(self, portal_id: int) -> HubSpotInstall | None:
        item = self._table.get_item(Key=table_keys.hubspot_install_key(portal_id), ConsistentRead=True).get("Item")
        return HubSpotInstall.model_validate(item) if item else None
