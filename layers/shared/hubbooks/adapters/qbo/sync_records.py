"""Two-way sync's writes to one QuickBooks company: customers and items read by `IN` query, sparse updates with the
SyncToken, customer and item creation with a requestid, items looked up by SKU and name; QuickBooks faults become the
sync's errors (the rest pass on, so the queue retries the message)."""

# ruff: noqa: S608 - these are QuickBooks queries, not SQL; every id goes through id_list().

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hubbooks.adapters.qbo.client import QboClient
from hubbooks.adapters.qbo.invoicing import id_list, plain_detail, quoted
from hubbooks.domain.invoicing.ports import DisplayNameTakenError
from hubbooks.domain.qbo_errors import QboDuplicateNameError, QboStaleObjectError, QboValidationError
from hubbooks.domain.sync.ports import QboRecordRefusedError, QboStaleRecordError

IDS_PER_QUERY = 200  # keeps `Id IN (...)` inside QuickBooks' URL and result limits
_ENTITIES = frozenset({"Customer", "Item"})


def _refusal(error: QboValidationError) -> QboRecordRefusedError:
    detail = plain_detail(error)
    reason = detail[:300] if detail else error.message
    return QboRecordRefusedError(f"{reason} (QuickBooks error {error.fault_code})")


class QboSyncRecords:
    def __init__(self, client: QboClient) -> None:
        self._client = client

    @staticmethod
    def _entity(entity: str) -> str:
        if entity not in _ENTITIES:
            raise ValueError(f"two-way sync writes customers and items, not {entity}")
        return entity

    def read_many(self, entity: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        name = self._entity(entity)
        unique = list(dict.fromkeys(ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(unique), IDS_PER_QUERY):
            chunk = unique[start:start + IDS_PER_QUERY]
            page = self._client.query(f"SELECT * FROM {name} WHERE Id IN {id_list(chunk)} MAXRESULTS {len(chunk)}")
            found |= {str(row["Id"]): row for row in page.get(name) or []}
        return found

    def update(self, entity: str, entity_id: str, sync_token: str, changes: dict[str, Any],
               request_id: str) -> dict[str, Any]:
        try:
            return self._client.sparse_update(self._entity(entity), entity_id, sync_token, changes,
                                              request_id=request_id)
        except QboStaleObjectError as stale:
            raise QboStaleRecordError(str(stale)) from stale
        except QboValidationError as refused:
            raise _refusal(refused) from refused

    def create(self, entity: str, body: dict[str, Any], request_id: str) -> dict[str, Any]:
        try:
            return self._client.create(self._entity(entity), body, request_id=request_id)
        except QboDuplicateNameError as taken:
            raise DisplayNameTakenError(str(body.get("DisplayName") or body.get("Name") or "")) from taken
        except QboValidationError as refused:
            raise _refusal(refused) from refused

    def display_names_starting(self, prefix: str) -> list[str]:
        page = self._client.query(f"SELECT * FROM Customer WHERE DisplayName LIKE {quoted(prefix + '%')} "
                                  "MAXRESULTS 1000")
        return [str(row.get("DisplayName") or "") for row in page.get("Customer") or []]

    def item_names_starting(self, prefix: str) -> list[str]:
        # Inactive items keep their names (QuickBooks refuses a new item under one), so they are listed too.
        page = self._client.query(f"SELECT * FROM Item WHERE Name LIKE {quoted(prefix + '%')} "
                                  "AND Active IN (true, false) MAXRESULTS 1000")
        return [str(row.get("Name") or "") for row in page.get("Item") or []]

    def items_matching(self, key: str, value: str) -> list[dict[str, Any]]:
        column = {"sku": "Sku", "name": "Name"}[key]
        page = self._client.query(f"SELECT * FROM Item WHERE {column} = {quoted(value)} MAXRESULTS 100")
        return [row for row in page.get("Item") or []
                if " ".join(str(row.get(column) or "").split()).casefold() == " ".join(value.split()).casefold()]
