"""The HubSpot side of the hourly reconciliation: what HubSpot changed since a bookmark, handed to the two-way engine.

Webhooks carry HubSpot edits of the properties the project subscribes to, for about a day of retries. This catches
the rest: a property only a custom mapping uses (no subscription, so no webhook), and edits whose webhooks never
arrived (a longer outage, a dropped event). Per connected company and two-way object it reads the records whose
last-modified date is at or after the bookmark (CRM search, oldest first, 200 a page) and hands them to the same
engine the webhooks feed (domain/sync/two_way.py), so matching, "most recent change wins", value-based echo
suppression, failures kept in Sync health and the creation behaviour are the same. Our own HubSpot writes bump the
last-modified date too; they reach the engine and send nothing, because their values already equal QuickBooks'.

Paging is by key, not by offset: each page asks again for "modified at or after the last timestamp seen" and skips
the records of that timestamp already handed over. An offset (`after`) walks a result set that moves under it — a
record edited during the walk jumps to the end and the one after it slides into an already-read page, unseen — and
stops at 10,000 results; a key walk does neither. A page that is all one timestamp (200 records written in the same
millisecond, as batch writes are) is walked by record id within that timestamp.

The bookmark moves after each applied chunk (failures kept with their reason count as applied: Sync health retries
them), so a run cut short by the invocation's deadline or a provider outage resumes where it stopped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from hubbooks.domain.sync.defaults import QBO_REFERENCE_PROPERTY
from hubbooks.domain.sync.ports import (
    SyncConfigStore,
)
from hubbooks.domain.sync.prefetched import PrefetchedLinks, PrefetchedRecords
from hubbooks.domain.sync.two_way import ObjectChanges
from hubbooks.models.changes import CompanyScope
from hubbooks.models.hubspot_changes import HubSpotChangeBookmark
from hubbooks.models.sync import SyncConfig, SyncObject

PAGE_SIZE = 200  # CRM search's largest page
APPLY_CHUNK = 50  # records per hand-over to the engine, and per bookmark save: a timeout loses at most this many
# Each run reads this far before the bookmark again: HubSpot's search index trails writes by seconds, and clocks
# differ. Records already applied at the same last-modified time are skipped (the bookmark remembers them).
OVERLAP = timedelta(minutes=5)
RECENT_LIMIT = 500  # remembered recent records per bookmark (beyond it, a few records are simply checked again)
# A chunk is not started with less time left than this: it may make up to 50 QuickBooks updates.
TIME_RESERVE_SECONDS = 20.0
# Properties the engine reads besides the mapped ones (labels in Sync health, and our reference).
_ENGINE_PROPERTIES = (QBO_REFERENCE_PROPERTY, "firstname", "lastname", "email", "name")


@dataclass(frozen=True)
class ChangedRecord:
    """A HubSpot record as the search returned it: its last-modified and creation times, and the properties asked."""

    hubspot_id: str
    modified_at: datetime
    created_at: datetime | None
    properties: dict[str, str | None]


class ChangedRecords(Protocol):
    """One portal's CRM search, as this reconciliation walks it (the transport paces searches at 5/s)."""

    def changed_since(self, object_type: str, since: datetime, *, inclusive: bool, properties: Sequence[str],
                      limit: int) -> list[ChangedRecord]:
        """Records modified at or after `since` (after, when not inclusive), oldest first, at most `limit`."""
        ...

    def changed_at(self, object_type: str, at: datetime, *, after_id: str | None, properties: Sequence[str],
                   limit: int) -> list[ChangedRecord]:
        """Records modified exactly at `at` with an id above `after_id`, by id, at most `limit`."""
        ...


class HubSpotBookmarks(Protocol):
    def get(self, scope: CompanyScope, sync_object: SyncObject) -> HubSpotChangeBookmark | None: ...
    def save(self, bookmark: HubSpotChangeBookmark) -> None: ...


class TwoWayApplier(Protocol):
    """The two-way engine's entry point (TwoWaySync.apply)."""

    def apply(self, scope: CompanyScope, sync_object: SyncObject, changes: ObjectChanges) -> dict[str, int]: ...


@dataclass
class HubSpotReconcilePorts:
    configs: SyncConfigStore
    links: PrefetchedLinks  # shared with the engine, which finds the chunk's links already looked up
    bookmarks: HubSpotBookmarks
    records: Callable[[int], ChangedRecords]  # per portal
    two_way: TwoWayApplier
    prefetched: PrefetchedRecords  # shared with the CRM the engine reads through (PrefetchedCrm)
    clock: Callable[[], datetime]
    seconds_left: Callable[[], float]  # the invocation's remaining time


@dataclass
class ObjectReport:
    sync_object: SyncObject
    checked: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    stopped_for_time: bool = False
    failure: str | None = None

    def describe(self) -> str:
        parts = [f"{n} {what}" for what, n in sorted(self.counts.items())]
        text = f"HubSpot {self.sync_object.value}: {self.checked} checked" + (f", {', '.join(parts)}" if parts else "")
        if self.stopped_for_time:
            text += "; stopped for time, the next run goes on from there"
        if self.failure:
            text += f"; failed ({self.failure})"
        return text


@dataclass
class HubSpotReconcileReport:
    scope: CompanyScope
    objects: list[ObjectReport] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(o.failure for o in self.objects)

    @property
    def unfinished(self) -> bool:
        """Stopped for time after some progress: a backlog (a long outage) is worth going on with at once rather
        than an hour later. A run that got nowhere is not (it would only queue itself again and again)."""
        return any(o.stopped_for_time and o.checked for o in self.objects)

    def describe(self) -> str:
        return "; ".join(o.describe() for o in self.objects) or "no object syncs both ways"


class HubSpotReconcileFailedError(Exception):
    """Some objects could not be brought up to date; their bookmarks stay where their last applied chunk left them."""

    def __init__(self, report: HubSpotReconcileReport) -> None:
        super().__init__(report.describe())
        self.report = report


STALE_AFTER = timedelta(hours=3)  # three missed hourly reconciliations, as for QuickBooks' side (changes/health.py)


def behind_in_quickbooks(scope: CompanyScope, configs: Iterable[SyncConfig], bookmarks: HubSpotBookmarks,
                         now: datetime) -> list[str]:
    """Sync health's words for two-way objects whose HubSpot changes have not reached QuickBooks for a while (the
    reconciliation keeps failing, or has not run since two-way was turned on)."""
    behind = []
    for config in configs:
        if not config.behaviour.two_way:
            continue
        bookmark = bookmarks.get(scope, config.object)
        current = bookmark is not None and (config.two_way_since is None
                                            or bookmark.two_way_since == config.two_way_since)
        reached = bookmark.changed_since if bookmark is not None and current else config.two_way_since
        if reached is not None and now - reached > STALE_AFTER:
            behind.append(config.object.value)
    if not behind:
        return []
    return [f"HubSpot changes to {', '.join(behind)} have not been confirmed in QuickBooks for over "
            f"{int(STALE_AFTER.total_seconds() // 3600)} hours; the hourly reconciliation sends them once it "
            "succeeds."]


def wanted_properties(config: SyncConfig, modified_property: str | None = None, *, engine: bool = True) -> list[str]:
    """What a page asks HubSpot for: every enabled mapping's property and (`engine`) what the engine reads besides."""
    names = {m.hubspot_property for m in config.mappings if m.enabled} | (set(_ENGINE_PROPERTIES) if engine else set())
    return sorted(names | ({modified_property} if modified_property else set()))


def _ms(at: datetime) -> int:
    return round(at.timestamp() * 1000)


def walk(reader: ChangedRecords, object_type: str, since: datetime, properties: Sequence[str],
         page_size: int = PAGE_SIZE) -> Iterator[list[ChangedRecord]]:
    """Every record modified at or after `since`, oldest first, each once per walk, page by page (see module doc)."""
    cursor, inclusive = since, True
    seen_at_cursor: set[str] = set()
    while True:
        page = reader.changed_since(object_type, cursor, inclusive=inclusive, properties=properties, limit=page_size)
        if len(page) >= page_size and all(r.modified_at == page[0].modified_at for r in page):
            tied_at, after_id = page[0].modified_at, None
            while True:  # a whole page stamped the same millisecond: that millisecond by id
                block = reader.changed_at(object_type, tied_at, after_id=after_id, properties=properties,
                                          limit=page_size)
                fresh = [r for r in block if not (tied_at == cursor and r.hubspot_id in seen_at_cursor)]
                if fresh:
                    yield fresh
                if len(block) < page_size:
                    break
                after_id = block[-1].hubspot_id
            cursor, inclusive, seen_at_cursor = tied_at, False, set()
            continue
        fresh = [r for r in page if not (r.modified_at == cursor and r.hubspot_id in seen_at_cursor)]
        if fresh:
            yield fresh
        if len(page) < page_size:
            return
        last = page[-1].modified_at
        if last != cursor:
            cursor, seen_at_cursor = last, set()
        inclusive = True
        seen_at_cursor |= {r.hubspot_id for r in page if r.modified_at == last}


def _chunks(records: Sequence[ChangedRecord], size: int) -> Iterator[Sequence[ChangedRecord]]:
    for start in range(0, len(records), size):
        yield records[start:start + size]


class HubSpotReconciliation:
    def __init__(self, ports: HubSpotReconcilePorts, *, modified_property: Callable[[SyncObject], str]) -> None:
        self._ports = ports
        self._modified_property = modified_property

    def reconcile(self, scope: CompanyScope) -> HubSpotReconcileReport:
        """Every two-way object of the company, each from its bookmark. Raises HubSpotReconcileFailedError (after
        trying every object) when one could not be read or applied; the job is then retried."""
        report = HubSpotReconcileReport(scope=scope)
        for sync_object in SyncObject:
            config = self._ports.configs.get(scope.portal_id, scope.realm_id, sync_object)
            if config is None or not config.behaviour.two_way:
                continue
            report.objects.append(self._reconcile_object(scope, config))
        if report.failed:
            raise HubSpotReconcileFailedError(report)
        return report

    def bookmark_for(self, scope: CompanyScope, config: SyncConfig) -> HubSpotChangeBookmark:
        """The stored bookmark, or a fresh one from when two-way was turned on (now when that is not recorded), so
        turning two-way on does not send every HubSpot record ever changed."""
        stored = self._ports.bookmarks.get(scope, config.object)
        if stored is not None and (config.two_way_since is None or stored.two_way_since == config.two_way_since):
            return stored
        now = self._ports.clock()
        start = min(config.two_way_since, now) if config.two_way_since else now
        return HubSpotChangeBookmark(portal_id=scope.portal_id, realm_id=scope.realm_id, object=config.object,
                                     changed_since=start, started_at=start, two_way_since=config.two_way_since,
                                     updated_at=now)

    def _reconcile_object(self, scope: CompanyScope, config: SyncConfig) -> ObjectReport:
        sync_object = config.object
        report = ObjectReport(sync_object=sync_object)
        bookmark = self.bookmark_for(scope, config)
        started = self._ports.clock()
        modified = self._modified_property(sync_object)
        properties = wanted_properties(config, modified)
        since = max(bookmark.changed_since - OVERLAP, bookmark.started_at)
        reader = self._ports.records(scope.portal_id)
        try:
            for page in walk(reader, sync_object.hubspot_type, since, properties):
                for chunk in _chunks(page, APPLY_CHUNK):
                    if self._ports.seconds_left() < TIME_RESERVE_SECONDS:
                        report.stopped_for_time = True
                        return report
                    bookmark = self._apply(scope, config, bookmark, chunk, properties, report)
                if self._ports.seconds_left() < TIME_RESERVE_SECONDS:  # before the next search, too
                    report.stopped_for_time = True
                    return report
        except Exception as error:  # recorded; the bookmark stays after the last applied chunk
            report.failure = _reason(error)
            return report
        # Everything HubSpot had indexed when the walk began is applied: the next run starts there (less overlap).
        self._save(bookmark, max(started, bookmark.changed_since), bookmark.recent)
        return report

    def _apply(self, scope: CompanyScope, config: SyncConfig, bookmark: HubSpotChangeBookmark,
               chunk: Sequence[ChangedRecord], properties: Sequence[str],
               report: ObjectReport) -> HubSpotChangeBookmark:
        report.checked += len(chunk)
        unseen = [r for r in chunk if bookmark.recent.get(r.hubspot_id) != _ms(r.modified_at)]
        if len(unseen) < len(chunk):
            report.counts["already applied"] += len(chunk) - len(unseen)
        linked = self._ports.links.look_up(scope.portal_id, scope.realm_id, config.object,
                                           [r.hubspot_id for r in unseen]) if unseen else {}
        # Unlinked records older than the bookmark's start are not new: no webhook-era path would create them in
        # QuickBooks, and a portal's marketing activity touches such contacts all the time.
        handed = [r for r in unseen if r.hubspot_id in linked
                  or (r.created_at is not None and r.created_at >= bookmark.started_at)]
        if len(handed) < len(unseen):
            report.counts["not linked, older than two-way: left alone"] += len(unseen) - len(handed)
        if handed:
            self._ports.prefetched.keep(handed, properties, wanted_properties(config, None, engine=False))
            try:
                counts = self._ports.two_way.apply(scope, config.object, ObjectChanges(
                    changed={r.hubspot_id: r.modified_at for r in handed}))
            finally:
                self._ports.prefetched.keep((), ())
                self._ports.links.forget()
            report.counts.update(counts)
        recent = {**bookmark.recent, **{r.hubspot_id: _ms(r.modified_at) for r in chunk}}
        return self._save(bookmark, max(bookmark.changed_since, chunk[-1].modified_at), recent)

    def _save(self, bookmark: HubSpotChangeBookmark, changed_since: datetime,
              recent: Mapping[str, int]) -> HubSpotChangeBookmark:
        floor = _ms(changed_since - OVERLAP)
        kept = sorted(((ms, h) for h, ms in recent.items() if ms >= floor), reverse=True)[:RECENT_LIMIT]
        saved = bookmark.model_copy(update={"changed_since": changed_since, "recent": {h: ms for ms, h in kept},
                                            "updated_at": self._ports.clock()})
        self._ports.bookmarks.save(saved)
        return saved


def _reason(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{type(error).__name__}: {message}"[:300]
