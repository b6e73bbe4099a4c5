"""CRM records (deals, contacts, companies, products, line items, quotes...) at /crm/objects/2026-03/{type}."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from hubbooks.adapters.hubspot.paging import BATCH_LIMIT, chunks, follow_pages
from hubbooks.adapters.hubspot.rate_budget import RequestKind
from hubbooks.adapters.hubspot.transport import HubSpotTransport, segment, versioned
from hubbooks.models.hubspot import (
    BatchError,
    BatchResult,
    CrmRecord,
    RecordInput,
    RecordUpdate,
)

if TYPE_CHECKING:
    from hubbooks.models.hubspot_upserts import UpsertResult

SEARCH_PAGE_LIMIT = 200  # HubSpot's maximum per search page
LIST_PAGE_LIMIT = 100


def _objects_path(object_type: str, rest: str = "") -> str:
    return versioned("crm/objects", segment(object_type) + (f"/{rest}" if rest else ""))


def _csv(values: Sequence[str]) -> str | None:
    return ",".join(values) if values else None


class HubSpotObjects:
    def __init__(self, transport: HubSpotTransport) -> None:
        self._transport = transport

    # ---- one record --------------------------------------------------------------------------------------------

    def get(self, object_type: str, object_id: str, *, properties: Sequence[str] = (),
            associations: Sequence[str] = (), id_property: str | None = None) -> CrmRecord:
        params = {"properties": _csv(properties), "associations": _csv(associations), "idProperty": id_property}
        raw = self._transport.json("GET", _objects_path(object_type, segment(object_id)),
                                   action=f"reading {object_type} {object_id}",
                                   params={k: v for k, v in params.items() if v is not None})
        return CrmRecord.model_validate(raw)

    def create(self, object_type: str, record: RecordInput) -> CrmRecord:
        raw = self._transport.json("POST", _objects_path(object_type), action=f"creating a {object_type} record",
                                   json=record.to_wire(), idempotent=False)
        return CrmRecord.model_validate(raw)

    def update(self, object_type: str, object_id: str, properties: dict[str, str]) -> CrmRecord:
        raw = self._transport.json("PATCH", _objects_path(object_type, segment(object_id)),
                                   action=f"updating {object_type} {object_id}", json={"properties": properties})
        return CrmRecord.model_validate(raw)

    def archive(self, object_type: str, object_id: str) -> None:
        self._transport.request("DELETE", _objects_path(object_type, segment(object_id)),
                                action=f"archiving {object_type} {object_id}")

    # ---- many records ------------------------------------------------------------------------------------------

    def iter_all(self, object_type: str, *, properties: Sequence[str] = (),
                 associations: Sequence[str] = ()) -> Iterator[CrmRecord]:
        def fetch(after: str | None) -> dict[str, Any]:
            params = {"limit": LIST_PAGE_LIMIT, "properties": _csv(properties),
                      "associations": _csv(associations), "after": after}
            return self._transport.json("GET", _objects_path(object_type), action=f"listing {object_type}",
                                        params={k: v for k, v in params.items() if v is not None})

        for raw in follow_pages(fetch):
            yield CrmRecord.model_validate(raw)

    def search(self, object_type: str, *, filter_groups: Sequence[dict[str, Any]] = (),
               properties: Sequence[str] = (), sorts: Sequence[str] = (), query: str | None = None,
               page_size: int = SEARCH_PAGE_LIMIT) -> Iterator[CrmRecord]:
        """Every match, page by page. Sorts are property names, "-name" for descending (the spec's string form)."""
        if not 1 <= page_size <= SEARCH_PAGE_LIMIT:
            raise ValueError(f"search pages hold 1 to {SEARCH_PAGE_LIMIT} records")

        def fetch(after: str | None) -> dict[str, Any]:
            body: dict[str, Any] = {"filterGroups": list(filter_groups), "properties": list(properties),
                                    "sorts": list(sorts), "limit": page_size, "after": after or "0"}
            if query is not None:
                body["query"] = query
            return self._transport.json("POST", _objects_path(object_type, "search"), json=body,
                                        action=f"searching {object_type}", kind=RequestKind.SEARCH)

        for raw in follow_pages(fetch):
            yield CrmRecord.model_validate(raw)

    def batch_read(self, object_type: str, ids: Sequence[str], *, properties: Sequence[str] = (),
                   id_property: str | None = None) -> BatchResult:
        return self._batch(object_type, "read", [{"id": i} for i in ids], f"reading {object_type} in bulk",
                           extra={"properties": list(properties), "propertiesWithHistory": []}
                           | ({"idProperty": id_property} if id_property else {}))

    def batch_create(self, object_type: str, records: Sequence[RecordInput]) -> BatchResult:
        return self._batch(object_type, "create", [r.to_wire() for r in records], f"creating {object_type}")

    def batch_update(self, object_type: str, updates: Sequence[RecordUpdate]) -> BatchResult:
        return self._batch(object_type, "update", [u.to_wire() for u in updates], f"updating {object_type}")

    def batch_upsert(self, object_type: str, updates: Sequence[RecordUpdate]) -> UpsertResult:
        """Create or update by a unique property (each input names its id_property, e.g. email). Its answer's models
        load with the first upsert: only the contact and product sync makes them."""
        from hubbooks.models.hubspot_upserts import UpsertedRecord, UpsertResult

        results: list[UpsertedRecord] = []
        errors: list[BatchError] = []
        for chunk in chunks([u.to_wire() for u in updates], BATCH_LIMIT):
            raw = self._transport.json("POST", _objects_path(object_type, "batch/upsert"),
                                       action=f"upserting {object_type}", json={"inputs": list(chunk)})
            results += [UpsertedRecord.model_validate(r) for r in raw.get("results") or []]
            errors += [BatchError.model_validate(e) for e in raw.get("errors") or []]
        return UpsertResult(results=results, errors=errors)

    def batch_archive(self, object_type: str, ids: Sequence[str]) -> None:
        for chunk in chunks(list(ids), BATCH_LIMIT):
            self._transport.request("POST", _objects_path(object_type, "batch/archive"),
                                    action=f"archiving {object_type}", json={"inputs": [{"id": i} for i in chunk]})

    def _batch(self, object_type: str, operation: str, inputs: list[dict[str, Any]], action: str,
               extra: dict[str, Any] | None = None) -> BatchResult:
        results: list[CrmRecord] = []
        errors: list[BatchError] = []
        for chunk in chunks(inputs, BATCH_LIMIT):
            raw = self._transport.json("POST", _objects_path(object_type, f"batch/{operation}"), action=action,
                                       json={"inputs": list(chunk), **(extra or {})})
            results += [CrmRecord.model_validate(r) for r in raw.get("results") or []]
            errors += [BatchError.model_validate(e) for e in raw.get("errors") or []]
        return BatchResult(results=results, errors=errors)
