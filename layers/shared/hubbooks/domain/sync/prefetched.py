"""Read-through stand-ins for the two-way engine's CRM and link store during the HubSpot-side reconciliation: what
a search page already returned, and the links already looked up for a chunk, are answered without a second call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

from hubbooks.domain.sync.ports import CrmWrite, HubSpotRecord, SyncCrm, SyncLinkStore, WriteOutcome
from hubbooks.models.sync import Candidate, HubSpotField, RecordLink, SyncObject

if TYPE_CHECKING:  # the reconciliation's record type; it imports this module
    from hubbooks.domain.sync.hubspot_changes import ChangedRecord


class PrefetchedRecords:
    """The records a search page already returned, with the properties asked for: the engine's batch read of them
    is answered from here (no second HubSpot call), anything else goes to HubSpot."""

    def __init__(self) -> None:
        self._records: dict[str, HubSpotRecord] = {}
        self._properties: frozenset[str] = frozenset()
        self.mapped: frozenset[str] = frozenset()  # the object's mapped properties, which the portal should have

    def keep(self, records: Iterable[ChangedRecord], properties: Iterable[str],
             mapped: Iterable[str] = ()) -> None:
        self._records = {r.hubspot_id: HubSpotRecord(hubspot_id=r.hubspot_id, properties=dict(r.properties))
                         for r in records}
        self._properties = frozenset(properties)
        self.mapped = frozenset(mapped)

    def answer(self, hubspot_ids: Sequence[str], properties: Sequence[str]) -> dict[str, HubSpotRecord] | None:
        """All of these records with all of these properties, or None when anything is missing."""
        if not set(properties) <= self._properties or not all(h in self._records for h in hubspot_ids):
            return None
        return {h: self._records[h] for h in hubspot_ids}


class PrefetchedCrm:
    """A SyncCrm whose reads of records a search page already returned cost nothing; everything else is the
    portal's CRM."""

    def __init__(self, crm: SyncCrm, prefetched: PrefetchedRecords) -> None:
        self._crm = crm
        self._prefetched = prefetched

    def read(self, object_type: str, hubspot_ids: Sequence[str], properties: Sequence[str]) -> dict[str, HubSpotRecord]:
        known = self._prefetched.answer(hubspot_ids, properties)
        return known if known is not None else self._crm.read(object_type, hubspot_ids, properties)

    def fields(self, object_type: str) -> dict[str, HubSpotField]:
        return self._crm.fields(object_type)

    def any_record(self, object_type: str) -> bool:
        return self._crm.any_record(object_type)

    def find(self, object_type: str, prop: str, values: Sequence[str]) -> list[tuple[str, Candidate]]:
        return self._crm.find(object_type, prop, values)

    def upsert(self, object_type: str, writes: Sequence[CrmWrite], id_property: str) -> WriteOutcome:
        return self._crm.upsert(object_type, writes, id_property)

    def update(self, object_type: str, writes: Sequence[CrmWrite]) -> WriteOutcome:
        return self._crm.update(object_type, writes)

    def archive(self, object_type: str, hubspot_ids: Sequence[str]) -> None:
        self._crm.archive(object_type, hubspot_ids)


class PrefetchedLinks:
    """A SyncLinkStore whose look-up of the links the reconciliation has just looked up for a chunk costs nothing
    (one index query per HubSpot id, otherwise made twice); everything else, and every write, is the store's."""

    def __init__(self, links: SyncLinkStore) -> None:
        self._links = links
        self._known: dict[tuple[int, str, SyncObject], dict[str, RecordLink | None]] = {}

    def look_up(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                hubspot_ids: Sequence[str]) -> dict[str, RecordLink]:
        """Look up (once) and remember, until `forget`, the links of these records."""
        found = self._links.by_hubspot_ids(portal_id, realm_id, sync_object, hubspot_ids)
        self._known[(portal_id, realm_id, sync_object)] = {h: found.get(h) for h in hubspot_ids}
        return found

    def forget(self) -> None:
        self._known.clear()

    def by_hubspot_ids(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                       hubspot_ids: Iterable[str]) -> dict[str, RecordLink]:
        wanted = list(hubspot_ids)
        known = self._known.get((portal_id, realm_id, sync_object), {})
        if not all(h in known for h in wanted):
            return self._links.by_hubspot_ids(portal_id, realm_id, sync_object, wanted)
        return {h: link for h in wanted if (link := known[h]) is not None}

    def get_many(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                 qbo_ids: Sequence[str]) -> dict[str, RecordLink]:
        return self._links.get_many(portal_id, realm_id, sync_object, qbo_ids)

    def all_links(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> Iterator[RecordLink]:
        return self._links.all_links(portal_id, realm_id, sync_object)

    def linked_hubspot_ids(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                           hubspot_ids: Iterable[str]) -> set[str]:
        return set(self.by_hubspot_ids(portal_id, realm_id, sync_object, hubspot_ids))

    def save(self, link: RecordLink) -> None:
        self._links.save(link)
        self._known.get((link.portal_id, link.realm_id, link.object), {})[link.hubspot_id] = link

    def save_many(self, links: Sequence[RecordLink]) -> None:
        for link in links:
            self.save(link)

    def delete(self, link: RecordLink) -> None:
        self._links.delete(link)
        self._known.get((link.portal_id, link.realm_id, link.object), {})[link.hubspot_id] = None
