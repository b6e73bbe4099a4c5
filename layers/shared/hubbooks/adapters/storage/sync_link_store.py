"""DynamoDB storage of the sync's record links, apart from the rest of the sync's storage (sync_store.py): every
invoice batch reads them for auto-linking and needs nothing else of the sync."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from boto3.dynamodb.conditions import Key

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import BATCH_GET_LIMIT, batch_get, query_all
from hubbooks.models.record_link import RecordLink
from hubbooks.models.sync_object import SyncObject


class DynamoSyncLinks:
    def __init__(self, table: Any) -> None:
        self._table = table

    @staticmethod
    def _item(link: RecordLink) -> dict[str, Any]:
        return {**table_keys.sync_link_key(link.portal_id, link.realm_id, link.object.value, link.qbo_id),
                **table_keys.sync_link_index_keys(link.portal_id, link.realm_id, link.object.value,
                                                  link.hubspot_id),
                "type": "sync_link", **link.model_dump(mode="json", exclude_none=True)}

    def save(self, link: RecordLink) -> None:
        self._table.put_item(Item=self._item(link))

    def save_many(self, links: Sequence[RecordLink]) -> None:
        """BatchWriteItem, 25 at a time (boto3's batch writer resends what DynamoDB leaves unprocessed)."""
        with self._table.batch_writer(overwrite_by_pkeys=["pk", "sk"]) as batch:
            for link in links:
                batch.put_item(Item=self._item(link))

    def delete(self, link: RecordLink) -> None:
        self._table.delete_item(Key=table_keys.sync_link_key(link.portal_id, link.realm_id, link.object.value,
                                                             link.qbo_id))

    def get_many(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                 qbo_ids: Sequence[str]) -> dict[str, RecordLink]:
        """The links of these QuickBooks records (one BatchGetItem per 100 ids)."""
        found: dict[str, RecordLink] = {}
        unique = list(dict.fromkeys(qbo_ids))
        for start in range(0, len(unique), BATCH_GET_LIMIT):
            keys = [table_keys.sync_link_key(portal_id, realm_id, sync_object.value, qbo_id)
                    for qbo_id in unique[start:start + BATCH_GET_LIMIT]]
            for item in self._batch_get(keys):
                link = RecordLink.model_validate(item)
                found[link.qbo_id] = link
        return found

    def all_links(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> Iterator[RecordLink]:
        """Every link of one object of a company, streamed (the reconciliation's full read compares them)."""
        items = query_all(self._table, IndexName="gsi1", KeyConditionExpression=Key("gsi1pk").eq(
            table_keys.sync_links_of_object_pk(portal_id, realm_id, sync_object.value)))
        for item in items:
            yield RecordLink.model_validate(item)

    def qbo_id_of(self, portal_id: int, realm_id: str, sync_object: SyncObject, hubspot_id: str) -> str | None:
        items = list(query_all(self._table, IndexName="gsi1", KeyConditionExpression=Key("gsi1pk").eq(
            table_keys.sync_links_of_object_pk(portal_id, realm_id, sync_object.value))
            & Key("gsi1sk").eq(f"HS#{hubspot_id}")))
        return str(items[0]["qbo_id"]) if items else None

    def by_hubspot_ids(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                       hubspot_ids: Iterable[str]) -> dict[str, RecordLink]:
        """One index query per HubSpot id (a webhook batch names at most 100)."""
        found: dict[str, RecordLink] = {}
        for hubspot_id in dict.fromkeys(hubspot_ids):
            items = list(query_all(self._table, IndexName="gsi1", KeyConditionExpression=Key("gsi1pk").eq(
                table_keys.sync_links_of_object_pk(portal_id, realm_id, sync_object.value))
                & Key("gsi1sk").eq(f"HS#{hubspot_id}")))
            if items:
                found[hubspot_id] = RecordLink.model_validate(items[0])
        return found

    def linked_hubspot_ids(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                           hubspot_ids: Iterable[str]) -> set[str]:
        return {h for h in set(hubspot_ids) if self.qbo_id_of(portal_id, realm_id, sync_object, h) is not None}

    def _batch_get(self, keys: list[dict[str, str]]) -> list[dict[str, Any]]:
        return batch_get(self._table, keys)
