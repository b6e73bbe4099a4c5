"""The QuickBooks side of the field catalogue that depends on the company: the custom fields its records carry."""

from __future__ import annotations

from hubbooks.adapters.qbo.client import QboClient
from hubbooks.domain.sync.qbo_fields import QboField, custom_fields_seen
from hubbooks.models.sync import SyncObject

SAMPLE_SIZE = 200  # one query page: enough records to see each custom field the company fills in


class QboSyncCatalogue:
    def __init__(self, client: QboClient) -> None:
        self._client = client
        self._cache: dict[str, list[QboField]] = {}

    def custom_fields(self, sync_object: SyncObject) -> list[QboField]:
        entity = sync_object.qbo_entity
        if entity not in self._cache:
            page = self._client.query(f"SELECT * FROM {entity} STARTPOSITION 1 MAXRESULTS {SAMPLE_SIZE}")  # noqa: S608
            self._cache[entity] = custom_fields_seen(page.get(entity) or [])
        return list(self._cache[entity])
