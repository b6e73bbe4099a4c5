"""DynamoDB storage for auto-linking: the per-company switch and the records each invoice was placed on (every invoice
batch reads them); the invoice backfill's run record is in autolink_run_store.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import BATCH_GET_LIMIT, batch_get
from hubbooks.domain.invoicing.deal_sync import RecordRef
from hubbooks.models.autolink_settings import AutoLinkSettings
from hubbooks.models.invoicing import HubSpotObjectType


def _record_token(record: RecordRef) -> str:
    return f"{record[0].value}:{record[1]}"


def _record_of(token: str) -> RecordRef:
    object_type, object_id = token.split(":", 1)
    return HubSpotObjectType(object_type), object_id


class DynamoAutoLinkState:
    def __init__(self, table: Any) -> None:
        self._table = table

    def settings(self, portal_id: int, realm_id: str) -> AutoLinkSettings:
        item = self._table.get_item(Key=table_keys.autolink_settings_key(portal_id, realm_id),
                                    ConsistentRead=True).get("Item")
        if not item:
            return AutoLinkSettings(portal_id=portal_id, realm_id=realm_id)
        return AutoLinkSettings.model_validate_json(item["settings"])

    def save_settings(self, settings: AutoLinkSettings) -> None:
        self._table.put_item(Item={**table_keys.autolink_settings_key(settings.portal_id, settings.realm_id),
                                   "type": "autolink_settings", "settings": settings.model_dump_json()})

    def enabled_since(self, portal_id: int, realm_id: str) -> datetime | None:
        settings = self.settings(portal_id, realm_id)
        return (settings.enabled_at or settings.updated_at) if settings.enabled else None

    def placed(self, portal_id: int, realm_id: str, invoice_ids: Sequence[str]) -> dict[str, set[RecordRef]]:
        unique = list(dict.fromkeys(invoice_ids))
        found: dict[str, set[RecordRef]] = {}
        for start in range(0, len(unique), BATCH_GET_LIMIT):
            keys = [table_keys.autolinked_invoice_key(portal_id, realm_id, invoice_id)
                    for invoice_id in unique[start:start + BATCH_GET_LIMIT]]
            for item in batch_get(self._table, keys):
                found[str(item["invoice_id"])] = {_record_of(token) for token in item.get("records") or ()}
        return found

    def record_placed(self, portal_id: int, realm_id: str, invoice_id: str, records: Iterable[RecordRef],
                      at: datetime) -> None:
        tokens = {_record_token(record) for record in records}
        if not tokens:
            return
        self._table.update_item(Key=table_keys.autolinked_invoice_key(portal_id, realm_id, invoice_id),
                                UpdateExpression="ADD records :tokens SET #type = :type, invoice_id = :invoice, "
                                                 "placed_at = :at",
                                ExpressionAttributeNames={"#type": "type"},
                                ExpressionAttributeValues={":tokens": tokens, ":type": "autolinked_invoice",
                                                           ":invoice": invoice_id, ":at": at.isoformat()})
