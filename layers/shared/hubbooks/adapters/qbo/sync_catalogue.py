"""The QuickBooks side of the catalogues that depend on the company: the custom fields its records carry, and the
accounts new items may post to."""

from __future__ import annotations

from hubbooks.adapters.qbo.client import QboClient
from hubbooks.adapters.qbo.invoicing import id_list
from hubbooks.domain.sync.item_accounts import EXPENSE_TYPES, INCOME_TYPES, QboAccount
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

    def item_accounts(self) -> list[QboAccount]:
        # Name-list queries answer active records only unless the statement filters on Active (Intuit's query docs).
        rows = self._client.query_all("SELECT * FROM Account WHERE AccountType IN "  # noqa: S608 - quoted literals
                                      f"{id_list([*INCOME_TYPES, *EXPENSE_TYPES])} ORDERBY Id")
        return sorted((QboAccount(id=str(row["Id"]), name=str(row.get("FullyQualifiedName") or row.get("Name") or ""),
                                  account_type=str(row.get("AccountType") or ""),
                                  account_sub_type=row.get("AccountSubType"),
                                  classification=row.get("Classification"))
                       for row in rows if row.get("Active") is not False), key=lambda a: a.name.casefold())
