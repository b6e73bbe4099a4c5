"""The sync's writes to one portal's CRM: batch upserts and updates of up to 100 records, searches for matching.

Each input carries its QuickBooks id as objectWriteTraceId, so HubSpot's answers (and the `errors[]` of a 207) map
back to records. Should HubSpot refuse a whole batch (400, or 409 for a unique value another record holds), the batch
is halved until the refused records are isolated: they are reported with HubSpot's reason (conflicts apart, so the
caller can match them) and every other record is still written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence

from hubbooks.adapters.hubspot.client import HubSpotClient
from hubbooks.adapters.hubspot.errors import HubSpotConflictError, HubSpotValidationError
from hubbooks.adapters.hubspot.paging import BATCH_LIMIT
from hubbooks.adapters.hubspot.sync_catalogue import HubSpotSyncCatalogue
from hubbooks.domain.sync.defaults import QBO_REFERENCE_PROPERTY
from hubbooks.domain.sync.ports import CrmWrite, HubSpotRecord, WriteOutcome
from hubbooks.models.hubspot import BatchError, CrmRecord, RecordUpdate
from hubbooks.models.sync import Candidate, HubSpotField

SEARCH_VALUES_LIMIT = 100  # values in one IN filter
SEARCH_FILTER_GROUPS = 5  # HubSpot allows a few ORed filter groups per search (api-facts H5: at most 6)
FIELDS_TTL_SECONDS = 300.0
EXPECTED_FIELD_RECHECK_SECONDS = 60.0
_FIELDS_CACHE: dict[tuple[int, str], tuple[float, dict[str, HubSpotField]]] = {}
_STILL_MISSING: dict[tuple[int, str], tuple[float, frozenset[str]]] = {}  # expected names a fresh read lacked
_LABEL_PROPERTIES = ("name", "email", "firstname", "lastname", "domain", "hs_sku")
# Error categories for an input another record's unique value blocks (a contact's e-mail, our reference property).
_CONFLICT_CATEGORIES = frozenset({"CONFLICT", "OBJECT_ALREADY_EXISTS"})


def _label(record: CrmRecord) -> str:
    values = record.properties
    person = " ".join(v for v in (values.get("firstname"), values.get("lastname")) if v)
    return str(values.get("name") or person or values.get("email") or values.get("domain") or record.id)


def _reason(error: BatchError) -> str:
    return error.message or error.category or "refused"


class HubSpotSyncCrm:
    def __init__(self, client: HubSpotClient, *, portal_id: int, fields_ttl_seconds: float = FIELDS_TTL_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._objects = client.objects
        self._properties = client.properties
        self._catalogue = HubSpotSyncCatalogue(client.properties)
        self._portal_id = portal_id
        self._ttl = fields_ttl_seconds
        self._clock = clock

    def fields(self, object_type: str, *, expect: Collection[str] = ()) -> dict[str, HubSpotField]:
        """The portal's properties, remembered by the warm container for a few minutes: every batch of every
        backfill page needs them, and HubSpot answers them all in one (large) call. `expect`: properties a mapping
        names; when the remembered list lacks one (created since it was read), it is read again, and a name still
        missing then (a property deleted in HubSpot) is not looked for again for a minute."""
        key = (self._portal_id, object_type)
        now = self._clock()
        cached = _FIELDS_CACHE.get(key)
        catalogue = self._catalogue
        if cached is not None and now - cached[0] < self._ttl:
            missing = set(expect) - cached[1].keys()
            known_missing = _STILL_MISSING.get(key)
            if not missing or (known_missing is not None and missing <= known_missing[1]
                               and now - known_missing[0] < EXPECTED_FIELD_RECHECK_SECONDS):
                return dict(cached[1])
            catalogue = HubSpotSyncCatalogue(self._properties)  # past this request's own remembered list too
        fields = catalogue.fields(object_type)
        _FIELDS_CACHE[key] = (now, fields)
        _STILL_MISSING[key] = (now, frozenset(set(expect) - fields.keys()))
        return dict(fields)

    def any_record(self, object_type: str) -> bool:
        return next(iter(self._objects.search(object_type, page_size=1, properties=["hs_object_id"])), None) is not None

    def find(self, object_type: str, prop: str, values: Sequence[str]) -> list[tuple[str, Candidate]]:
        """One search per 500 values: filter groups are ORed, each with an IN list of up to 100 values."""
        found: list[tuple[str, Candidate]] = []
        wanted = sorted(set(values))
        per_search = SEARCH_VALUES_LIMIT * SEARCH_FILTER_GROUPS
        for start in range(0, len(wanted), per_search):
            chunk = wanted[start:start + per_search]
            groups = [{"filters": [{"propertyName": prop, "operator": "IN",
                                    "values": chunk[i:i + SEARCH_VALUES_LIMIT]}]}
                      for i in range(0, len(chunk), SEARCH_VALUES_LIMIT)]
            records = self._objects.search(object_type, properties=sorted({prop, *_LABEL_PROPERTIES}),
                                           filter_groups=groups)
            found += [(str(r.properties.get(prop) or ""), Candidate(hubspot_id=r.id, label=_label(r)))
                      for r in records if r.properties.get(prop)]
        return found

    def upsert(self, object_type: str, writes: Sequence[CrmWrite], id_property: str) -> WriteOutcome:
        def send(chunk: Sequence[CrmWrite]) -> tuple[list[CrmRecord], list[BatchError]]:
            result = self._objects.batch_upsert(object_type, [
                RecordUpdate(id=w.reference or w.trace_id, id_property=id_property, properties=w.properties,
                             trace_id=w.trace_id) for w in chunk])
            return list(result.results), list(result.errors)

        return self._isolated(writes, send)

    def update(self, object_type: str, writes: Sequence[CrmWrite]) -> WriteOutcome:
        def send(chunk: Sequence[CrmWrite]) -> tuple[list[CrmRecord], list[BatchError]]:
            result = self._objects.batch_update(object_type, [
                RecordUpdate(id=w.hubspot_id or "", properties=w.properties, trace_id=w.trace_id) for w in chunk])
            return list(result.results), list(result.errors)

        return self._isolated(writes, send)

    def archive(self, object_type: str, hubspot_ids: Sequence[str]) -> None:
        self._objects.batch_archive(object_type, hubspot_ids)

    def read(self, object_type: str, hubspot_ids: Sequence[str], properties: Sequence[str]) -> dict[str, HubSpotRecord]:
        """Batch reads of 100; ids HubSpot no longer has come back as errors and are simply absent."""
        result = self._objects.batch_read(object_type, hubspot_ids, properties=properties)
        return {r.id: HubSpotRecord(hubspot_id=r.id, properties=dict(r.properties)) for r in result.results
                if not r.archived}

    def _isolated(self, writes: Sequence[CrmWrite],
                  send: Callable[[Sequence[CrmWrite]], tuple[list[CrmRecord], list[BatchError]]]) -> WriteOutcome:
        outcome = WriteOutcome()
        pending = [list(writes[i:i + BATCH_LIMIT]) for i in range(0, len(writes), BATCH_LIMIT)]
        while pending:
            chunk = pending.pop()
            try:
                results, errors = send(chunk)
            except (HubSpotValidationError, HubSpotConflictError) as refused:
                if len(chunk) == 1:
                    kind = outcome.conflicts if isinstance(refused, HubSpotConflictError) else outcome.refused
                    kind[chunk[0].trace_id] = refused.message
                else:
                    middle = len(chunk) // 2
                    pending += [chunk[:middle], chunk[middle:]]
                continue
            by_trace = {w.trace_id for w in chunk}
            # The spec echoes objectWriteTraceId; should an answer lack it, the id or our reference still tells.
            by_key = {key: w.trace_id for w in chunk for key in (w.hubspot_id, w.reference) if key}
            for record in results:
                trace = record.trace_id if record.trace_id in by_trace else (
                    by_key.get(record.id) or by_key.get(str(record.properties.get(QBO_REFERENCE_PROPERTY) or "")))
                if trace:
                    outcome.written[trace] = record.id
            for error in errors:
                kind = outcome.conflicts if (error.category or "").upper() in _CONFLICT_CATEGORIES else outcome.refused
                for trace_id in error.context.get("objectWriteTraceId") or []:
                    kind[trace_id] = _reason(error)
            for write in chunk:  # an input HubSpot neither wrote nor refused is retried later, never assumed done
                if write.trace_id not in outcome.written and write.trace_id not in outcome.refused | outcome.conflicts:
                    outcome.refused[write.trace_id] = "HubSpot did not report this record in its answer"
        return outcome
