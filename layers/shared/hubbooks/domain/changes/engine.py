"""Apply QuickBooks changes to HubSpot: webhook batches now, and a scheduled reconciliation that catches the rest.

Both paths end in the same appliers with the same kind of input (entities as QuickBooks has them now), so whichever
path gets there first does the work and the other finds nothing left to change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timedelta

from hubbooks.domain.changes.ports import ChangeApplier, ChangeBookmarks, ChangeSources, CompanyChanges
from hubbooks.domain.changes.registry import ApplierRegistry
from hubbooks.models.changes import AppliedChanges, ChangeBookmark, CompanyScope, EntityChange

CDC_WINDOW = timedelta(days=30)  # QuickBooks' CDC looks back at most 30 days (api-facts Q6)
# A bookmark this close to the window's edge is read in full instead: the CDC call must still be inside the window
# when QuickBooks receives it, and a run that starts late must not fail.
CDC_WINDOW_MARGIN = timedelta(hours=1)
# Changes are applied from a little before the last run started: QuickBooks stamps LastUpdatedTime when it commits,
# and clocks differ. Applying a change twice is harmless; missing one is not.
BOOKMARK_OVERLAP = timedelta(minutes=5)
BATCH_SIZE = 200  # entities per applier call: bounded memory, and within QuickBooks' `IN` list and URL limits

Clock = Callable[[], datetime]


class ReconcileReport:
    """What one reconciliation of one company did, per entity type, filled in as it goes. A plain class, not a
    dataclass: every webhook batch loads this module, and a dataclass's methods are compiled when it is defined."""

    def __init__(self, scope: CompanyScope) -> None:
        self.scope = scope
        self.applied: list[AppliedChanges] = []
        self.full_reads: list[str] = []
        self.failures: dict[str, str] = {}  # entity type -> reason, in plain words

    def describe(self) -> str:
        parts = [f"{a.entity}: {a.received} checked, {a.outcome}" for a in self.applied if a.received or a.outcome]
        if self.full_reads:
            parts.append("read in full: " + ", ".join(self.full_reads))
        if self.failures:
            parts.append("failed: " + "; ".join(f"{entity} ({reason})" for entity, reason in self.failures.items()))
        return "; ".join(parts) or "nothing changed"


class ReconcileFailedError(Exception):
    """Some entity types could not be reconciled; their bookmarks stay put and the job is retried."""

    def __init__(self, report: ReconcileReport) -> None:
        super().__init__(report.describe())
        self.report = report


def _batches(changes: Iterable[EntityChange], size: int = BATCH_SIZE) -> Iterator[list[EntityChange]]:
    batch: list[EntityChange] = []
    for change in changes:
        batch.append(change)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _merge(entity: str, results: Sequence[AppliedChanges]) -> AppliedChanges:
    outcomes = [r.outcome for r in results if r.outcome]
    return AppliedChanges(entity=entity, received=sum(r.received for r in results), outcome="; ".join(outcomes))


class ChangeEngine:
    def __init__(self, registry: ApplierRegistry, sources: ChangeSources, bookmarks: ChangeBookmarks,
                 clock: Clock) -> None:
        self._registry = registry
        self._sources = sources
        self._bookmarks = bookmarks
        self._clock = clock

    def handles(self, entity: str) -> bool:
        return self._registry.handles(entity)

    # -- live: a batch of references (webhooks, a retry button, a wizard that found an orphan) -----------------------
    def apply_references(self, scope: CompanyScope, references: Iterable[tuple[str, str]],
                         company: CompanyChanges | None = None) -> list[AppliedChanges]:
        """(entity, id) pairs, duplicates welcome: each registered entity type is read once (an `IN` query per
        chunk) and handed to its applier; unregistered types are left to the caller. Raises on the first failing
        entity type, so the message carrying the references is retried."""
        wanted: dict[str, list[str]] = {}
        for entity, entity_id in references:
            if self._registry.handles(entity):
                ids = wanted.setdefault(entity, [])
                if entity_id not in ids:
                    ids.append(entity_id)
        if not wanted:
            return []
        company = company or self._sources.open(scope)
        results = []
        for entity in self._registry.entities:  # registration order: invoices before payments
            if not wanted.get(entity):
                continue
            ids = wanted[entity]
            applier = self._applier(entity)
            done = [applier.apply(scope, company.current(entity, ids[start:start + BATCH_SIZE]))
                    for start in range(0, len(ids), BATCH_SIZE)]
            results.append(_merge(entity, done))
        return results

    # -- scheduled: everything since the bookmark ---------------------------------------------------------------------
    def reconcile(self, scope: CompanyScope, entities: Sequence[str] | None = None) -> ReconcileReport:
        """Apply every change QuickBooks made since each entity type's bookmark; read a type in full when it has no
        bookmark or one older than the CDC window. A type's bookmark moves only when all its changes applied.
        Raises ReconcileFailedError (after trying every type) if any type failed."""
        report = ReconcileReport(scope=scope)
        started = self._clock()
        names = [e for e in (entities or self._registry.entities) if self._registry.handles(e)]
        company = self._sources.open(scope)
        incremental: dict[str, datetime] = {}
        full: list[str] = []
        for entity in names:
            bookmark = self._bookmarks.get(scope, entity)
            if bookmark is None or started - bookmark.changed_since > CDC_WINDOW - CDC_WINDOW_MARGIN:
                full.append(entity)
            else:
                incremental[entity] = bookmark.changed_since
        if incremental:
            self._reconcile_incremental(scope, company, incremental, started, report)
        for entity in full:
            self._reconcile_full(scope, company, entity, started, report)
        if report.failures:
            raise ReconcileFailedError(report)
        return report

    def _reconcile_incremental(self, scope: CompanyScope, company: CompanyChanges, since_by_entity: dict[str, datetime],
                               started: datetime, report: ReconcileReport) -> None:
        # One CDC call covers every type (QuickBooks takes one changedSince): the earliest bookmark. Types whose own
        # bookmark is later see a few changes again, which appliers take in their stride.
        since = min(since_by_entity.values())
        results: dict[str, list[AppliedChanges]] = {entity: [] for entity in since_by_entity}
        pending: dict[str, list[EntityChange]] = {entity: [] for entity in since_by_entity}
        failed: set[str] = set()

        def flush(entity: str) -> None:
            batch, pending[entity] = pending[entity], []
            if batch and entity not in failed:
                try:
                    results[entity].append(self._applier(entity).apply(scope, batch))
                except Exception as error:  # recorded per type; the job fails after trying all
                    failed.add(entity)
                    report.failures[entity] = _reason(error)

        try:
            for change in company.changed_since(list(since_by_entity), since):
                if change.entity not in pending:
                    continue
                pending[change.entity].append(change)
                if len(pending[change.entity]) >= BATCH_SIZE:
                    flush(change.entity)
        except Exception as error:  # QuickBooks failed mid-read: nothing moves, all retried
            for entity in since_by_entity:
                report.failures.setdefault(entity, _reason(error))
            return
        for entity in since_by_entity:
            flush(entity)
            if entity in failed:
                continue
            report.applied.append(_merge(entity, results[entity]))
            self._save(scope, entity, started, full_read=False)

    def _reconcile_full(self, scope: CompanyScope, company: CompanyChanges, entity: str, started: datetime,
                        report: ReconcileReport) -> None:
        applier = self._applier(entity)
        seen: set[str] = set()
        results: list[AppliedChanges] = []
        try:
            for batch in _batches(company.every(entity)):
                seen.update(change.entity_id for change in batch)
                results.append(applier.apply(scope, batch))
            results.append(applier.after_full_read(scope, frozenset(seen)))
        except Exception as error:  # recorded per type; the job fails after trying all
            report.failures[entity] = _reason(error)
            return
        report.applied.append(_merge(entity, results))
        report.full_reads.append(entity)
        self._save(scope, entity, started, full_read=True)

    def _save(self, scope: CompanyScope, entity: str, started: datetime, *, full_read: bool) -> None:
        previous = self._bookmarks.get(scope, entity)
        self._bookmarks.save(ChangeBookmark(
            portal_id=scope.portal_id, realm_id=scope.realm_id, entity=entity,
            changed_since=started - BOOKMARK_OVERLAP,
            full_read_at=started if full_read else (previous.full_read_at if previous else None),
            updated_at=self._clock()))

    def _applier(self, entity: str) -> ChangeApplier:
        applier = self._registry.get(entity)
        if applier is None:
            raise KeyError(f"no applier registered for QuickBooks {entity} changes")
        return applier


def _reason(error: Exception) -> str:
    message = getattr(error, "message", None) or str(error) or type(error).__name__
    return f"{type(error).__name__}: {message}"[:300]
