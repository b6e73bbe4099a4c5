"""Accounting API operations for one company, on top of the transport: reads, writes, query pages and CDC."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from hubbooks.adapters.qbo.faults import fault_in
from hubbooks.adapters.qbo.transport import QboRequest, QboTransport
from hubbooks.domain.qbo_errors import QboServerError

MAX_QUERY_RESULTS = 1000  # QBO's cap on MAXRESULTS
MAX_BATCH_ITEMS = 30  # QBO's cap on items in one batch request
CDC_MAX_OBJECTS = 1000  # QBO returns at most this many objects per CDC call
CDC_MAX_LOOKBACK = timedelta(days=30)
_QUERY_META_KEYS = frozenset({"startPosition", "maxResults", "totalCount"})
# Compiled on first use (re caches them): only the paged reads and the counts of backfills and reminders use them,
# never a worker's webhook message.
_PAGING_CLAUSE = r"\b(STARTPOSITION|MAXRESULTS)\b"
_ENTITY_NAME = r"[A-Za-z]{1,40}"


def quote_literal(value: str) -> str:
    """A string literal for a QBO query: single quotes, with quotes and backslashes escaped by a backslash."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


class CdcChange(NamedTuple):
    entity: str
    object: dict[str, Any]

    @property
    def deleted(self) -> bool:
        return self.object.get("status") == "Deleted"


def _entities_of(query_response: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {name: value for name, value in query_response.items()
            if name not in _QUERY_META_KEYS and isinstance(value, list)}


class QboClient:
    def __init__(self, transport: QboTransport, realm_id: str) -> None:
        self._transport = transport
        self.realm_id = realm_id

    # -- single objects ------------------------------------------------------------------------------------------
    def company_info(self) -> dict[str, Any]:
        body = self._transport.json(self.realm_id, QboRequest("GET", f"companyinfo/{self.realm_id}"))
        return dict(body.get("CompanyInfo") or {})

    def preferences(self) -> dict[str, Any]:
        body = self._transport.json(self.realm_id, QboRequest("GET", "preferences"))
        return dict(body.get("Preferences") or {})

    def read(self, entity: str, entity_id: str, *, include: str | None = None) -> dict[str, Any]:
        params = {"include": include} if include else None
        body = self._transport.json(self.realm_id, QboRequest("GET", f"{entity.lower()}/{entity_id}", params=params))
        return dict(body[entity])

    def send(self, entity: str, entity_id: str, *, send_to: str | None = None,
             include: str | None = None) -> dict[str, Any]:
        """E-mail a sales form. QBO does not deduplicate sends by requestid, so a timed-out send is not repeated."""
        params = {key: value for key, value in (("sendTo", send_to), ("include", include)) if value}
        body = self._transport.json(self.realm_id, QboRequest("POST", f"{entity.lower()}/{entity_id}/send",
                                                              params=params or None,
                                                              content_type="application/octet-stream",
                                                              replay_safe=False))
        return dict(body[entity])

    def void(self, entity: str, entity_id: str, sync_token: str, *, request_id: str | None = None) -> dict[str, Any]:
        """Void an invoice: `operation=void` with just Id and SyncToken; QBO keeps it with zeroed amounts."""
        body = self._transport.json(self.realm_id, QboRequest("POST", entity.lower(), params={"operation": "void"},
                                                              json_body={"Id": entity_id, "SyncToken": sync_token},
                                                              request_id=request_id))
        return dict(body[entity])

    def create(self, entity: str, data: dict[str, Any], *, request_id: str | None = None) -> dict[str, Any]:
        """Pass a request_id derived from the business operation to make retries across invocations safe."""
        body = self._transport.json(self.realm_id, QboRequest("POST", entity.lower(), json_body=data,
                                                              request_id=request_id))
        return dict(body[entity])

    def sparse_update(self, entity: str, entity_id: str, sync_token: str, changes: dict[str, Any], *,
                      request_id: str | None = None) -> dict[str, Any]:
        data = {**changes, "Id": entity_id, "SyncToken": sync_token, "sparse": True}
        body = self._transport.json(self.realm_id, QboRequest("POST", entity.lower(), json_body=data,
                                                              request_id=request_id))
        return dict(body[entity])

    # -- query ---------------------------------------------------------------------------------------------------
    def query(self, statement: str, *, include: str | None = None) -> dict[str, Any]:
        params = {"query": statement, **({"include": include} if include else {})}
        body = self._transport.json(self.realm_id, QboRequest("GET", "query", params=params))
        return dict(body.get("QueryResponse") or {})

    def query_all(self, statement: str, *, page_size: int = MAX_QUERY_RESULTS) -> Iterator[dict[str, Any]]:
        """Every row of `SELECT * FROM X [WHERE ...] [ORDERBY ...]`, fetched page by page (STARTPOSITION is 1-based).

        Without an ORDERBY, QBO's order is by Id in practice; pass one when rows may change while paging."""
        if re.search(_PAGING_CLAUSE, statement, re.IGNORECASE):
            raise ValueError("query_all adds STARTPOSITION/MAXRESULTS itself; leave them out of the statement")
        if not 1 <= page_size <= MAX_QUERY_RESULTS:
            raise ValueError(f"page_size must be between 1 and {MAX_QUERY_RESULTS}")
        start = 1
        while True:
            page = self.query(f"{statement.strip()} STARTPOSITION {start} MAXRESULTS {page_size}")
            rows = [row for rows in _entities_of(page).values() for row in rows]
            yield from rows
            if len(rows) < page_size:
                return
            start += page_size

    def count(self, entity: str, where: str = "") -> int:
        """`where` must quote its values with quote_literal()."""
        if not re.fullmatch(_ENTITY_NAME, entity):
            raise ValueError(f"not a QuickBooks entity name: {entity!r}")
        statement = f"SELECT COUNT(*) FROM {entity}" + (f" WHERE {where}" if where else "")  # noqa: S608
        return int(self.query(statement).get("totalCount", 0))

    def counts(self, entities: Sequence[str]) -> dict[str, int]:
        """How many records of each entity type, in one batch request (QuickBooks takes up to 30 items per batch)."""
        names = list(dict.fromkeys(entities))
        for entity in names:
            if not re.fullmatch(_ENTITY_NAME, entity):
                raise ValueError(f"not a QuickBooks entity name: {entity!r}")
        if not names:
            return {}
        if len(names) == 1:
            return {names[0]: self.count(names[0])}
        if len(names) > MAX_BATCH_ITEMS:
            raise ValueError(f"at most {MAX_BATCH_ITEMS} counts per batch")
        items = [{"bId": f"n{index}", "Query": f"SELECT COUNT(*) FROM {entity}"}  # noqa: S608 - checked names
                 for index, entity in enumerate(names)]
        body = self._transport.json(self.realm_id, QboRequest("POST", "batch", json_body={"BatchItemRequest": items}))
        answers = {str(item.get("bId")): item for item in body.get("BatchItemResponse") or []
                   if isinstance(item, dict)}
        counted: dict[str, int] = {}
        for index, entity in enumerate(names):
            answer = answers.get(f"n{index}")
            if answer is None or fault_in(answer) is not None:
                fault = fault_in(answer) if answer is not None else None
                raise QboServerError(fault_code=fault.code if fault else "",
                                     fault_message=(fault.message if fault else "")
                                     or f"QuickBooks did not count the {entity} records in its batch answer")
            counted[entity] = int((answer.get("QueryResponse") or {}).get("totalCount", 0))
        return counted

    # -- change data capture -------------------------------------------------------------------------------------
    def changes_since(self, entities: Iterable[str], changed_since: datetime, *,
                      now: datetime | None = None) -> Iterator[CdcChange]:
        """Everything created, changed or deleted since `changed_since` (at most 30 days back).

        One CDC call returns at most 1000 objects per entity; when an entity hits that cap we ask again from the
        newest LastUpdatedTime we saw, skipping objects already yielded, until a call comes back under the cap."""
        names = sorted(set(entities))
        if not names:
            return
        if changed_since.tzinfo is None:
            raise ValueError("changed_since must be timezone-aware")
        if (now or datetime.now(UTC)) - changed_since > CDC_MAX_LOOKBACK:
            raise ValueError("QuickBooks CDC looks back at most 30 days; read older changes with a query")
        seen: set[tuple[str, str, str]] = set()
        since = changed_since
        while True:
            by_entity = self._cdc_call(names, since)
            newest = since
            capped = False
            for entity, objects in by_entity.items():
                capped = capped or len(objects) >= CDC_MAX_OBJECTS
                for obj in objects:
                    updated = str((obj.get("MetaData") or {}).get("LastUpdatedTime", ""))
                    identity = (entity, str(obj.get("Id")), updated)
                    if identity in seen:
                        continue
                    seen.add(identity)
                    yield CdcChange(entity=entity, object=obj)
                    stamp = _parse_time(updated)
                    if stamp is not None and stamp > newest:
                        newest = stamp
            if not capped or newest <= since:
                return
            since = newest

    def _cdc_call(self, entities: list[str], since: datetime) -> dict[str, list[dict[str, Any]]]:
        body = self._transport.json(self.realm_id, QboRequest("GET", "cdc", params={
            "entities": ",".join(entities), "changedSince": since.isoformat(timespec="seconds")}))
        merged: dict[str, list[dict[str, Any]]] = {}
        for block in body.get("CDCResponse") or []:
            for query_response in block.get("QueryResponse") or []:
                for entity, objects in _entities_of(query_response).items():
                    merged.setdefault(entity, []).extend(objects)
        return merged


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
