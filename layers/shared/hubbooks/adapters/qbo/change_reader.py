"""The change engine's view of one QuickBooks company: current entities by id, change data capture, full reads.

Everything goes through the company's QboClient, so the transport's auth, retries and per-company rate budget apply.
"""

# ruff: noqa: S608 - QuickBooks queries, not SQL: entity names are checked, ids are quoted literals.

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.client import MAX_QUERY_RESULTS, QboClient, quote_literal
from hubbooks.adapters.qbo.factory import qbo_client, qbo_token_manager
from hubbooks.domain.auth.token_manager import TokenManager
from hubbooks.domain.invoicing.errors import CompanyNotConnectedError
from hubbooks.models.changes import CompanyScope, EntityChange

if TYPE_CHECKING:
    from hubbooks.domain.connect.ports import ConnectionStore

IDS_PER_QUERY = 200  # keeps `Id IN (...)` well inside QuickBooks' URL length and result limits
_ENTITY = re.compile(r"[A-Z][A-Za-z]{1,39}")
NOT_CONNECTED = "That QuickBooks company is no longer connected to this HubSpot account."


def _checked(entity: str) -> str:
    if not _ENTITY.fullmatch(entity):
        raise ValueError(f"not a QuickBooks entity name: {entity!r}")
    return entity


class QboCompanyChanges:
    def __init__(self, client: QboClient) -> None:
        self._client = client

    def current(self, entity: str, entity_ids: Sequence[str]) -> list[EntityChange]:
        ids = list(dict.fromkeys(entity_ids))
        found: dict[str, dict[str, object]] = {}
        for start in range(0, len(ids), IDS_PER_QUERY):
            chunk = ids[start:start + IDS_PER_QUERY]
            id_list = "(" + ", ".join(quote_literal(i) for i in chunk) + ")"
            page = self._client.query(f"SELECT * FROM {_checked(entity)} WHERE Id IN {id_list} "
                                      f"MAXRESULTS {MAX_QUERY_RESULTS}")
            found.update({str(row["Id"]): row for row in page.get(entity) or [] if isinstance(row, dict)})
        return [EntityChange(entity=entity, entity_id=i, current=found.get(i)) for i in ids]

    def changed_since(self, entities: Sequence[str], since: datetime) -> Iterator[EntityChange]:
        for change in self._client.changes_since([_checked(e) for e in entities], since):
            yield EntityChange(entity=change.entity, entity_id=str(change.object.get("Id")),
                               current=None if change.deleted else change.object)

    def every(self, entity: str) -> Iterator[EntityChange]:
        for row in self._client.query_all(f"SELECT * FROM {_checked(entity)} ORDERBY Id"):
            yield EntityChange(entity=entity, entity_id=str(row["Id"]), current=row)


class QboChangeSources:
    """Opens a connected company for the engine; one token manager per invocation, shared by the companies."""

    def __init__(self, connections: ConnectionStore, *, deadline: Deadline | None = None,
                 token_manager: Callable[[], TokenManager] | None = None) -> None:
        self._connections = connections
        self._deadline = deadline
        self._make_manager = token_manager or (lambda: qbo_token_manager(deadline))
        self._manager: TokenManager | None = None

    def open(self, scope: CompanyScope) -> QboCompanyChanges:
        connection = self._connections.get(scope.portal_id, scope.realm_id)
        if connection is None or connection.status != "connected":
            raise CompanyNotConnectedError(NOT_CONNECTED, details={"realm_id": scope.realm_id})
        if self._manager is None:
            self._manager = self._make_manager()
        return QboCompanyChanges(qbo_client(scope.portal_id, scope.realm_id, deadline=self._deadline,
                                            token_manager=self._manager))
