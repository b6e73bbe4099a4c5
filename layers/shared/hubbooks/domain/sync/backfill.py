"""Existing QuickBooks records into HubSpot (HubSpot's own integration syncs only new ones): first a dry run that
says what would happen, with examples, then the run itself.

Both go page by page through the sync queue, one message per company and page (1000 records: QuickBooks' largest
query page), so no invocation holds more than a page and each stays inside the rate budgets. The run's record in
the table says which page is next; a message for any other page is a duplicate and does nothing, a page that fails
or times out is delivered again and redone (its records are upserted by their QuickBooks reference, so nothing is
created twice), and a cancelled run stops at the next page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from hubbooks.domain.errors import ConflictError, NotFoundError
from hubbooks.domain.sync.applier import SyncApplier
from hubbooks.domain.sync.errors import SyncSettingsRejectedError
from hubbooks.domain.sync.matching import MATCHED_BY_UNIQUE_KEY
from hubbooks.domain.sync.planning import Plan, QboRecord
from hubbooks.models.changes import CompanyScope
from hubbooks.models.jobs import BackfillStep
from hubbooks.models.sync import BackfillExample, BackfillRun, BackfillStatus, SyncConfig, SyncObject

if TYPE_CHECKING:
    from hubbooks.models.autolink import AutoLinkRun

PAGE_SIZE = 1000  # QuickBooks' MAXRESULTS cap: the fewest query pages
APPLY_BATCH = 500  # records planned together: one matching search per key (HubSpot writes go 100 at a time)
EXAMPLES_PER_KIND = 5


class BackfillBusyError(ConflictError):
    code = "backfill_running"


class BackfillChangedError(Exception):
    """The run's record changed since it was read (cancelled, or a duplicate message got there first)."""


class BackfillStore(Protocol):
    def current(self, portal_id: int, realm_id: str) -> BackfillRun | None: ...

    def start(self, run: BackfillRun) -> None:
        """Store a new run unless an active one exists (BackfillBusyError)."""
        ...

    def save(self, run: BackfillRun) -> BackfillRun:
        """Store if the stored version equals run.version (else BackfillChangedError); returns the next version."""
        ...


class QboPages(Protocol):
    def counts(self, entities: Sequence[str]) -> dict[str, int]:
        """Records per entity type (for the progress bar; one request for all of them)."""
        ...

    def page(self, entity: str, start: int, size: int) -> list[dict[str, Any]]: ...


class StepQueue(Protocol):
    def send(self, step: BackfillStep) -> None: ...


@dataclass
class BackfillService:
    store: BackfillStore
    pages: Callable[[CompanyScope], QboPages]
    queue: StepQueue
    appliers: Mapping[str, SyncApplier]  # by QuickBooks entity
    config_of: Callable[[CompanyScope, SyncObject], SyncConfig]  # stored settings, or the defaults
    clock: Callable[[], datetime]
    new_id: Callable[[], str] = lambda: uuid.uuid4().hex[:16]

    def start(self, scope: CompanyScope, objects: Sequence[SyncObject], *, dry_run: bool,
              user_id: int) -> BackfillRun:
        wanted = tuple(dict.fromkeys(objects))
        if not wanted:
            raise SyncSettingsRejectedError("Say which objects to backfill: contacts, companies or products.")
        if not dry_run:
            off = [o.value for o in wanted if not self.config_of(scope, o).behaviour.enabled]
            if off:
                raise SyncSettingsRejectedError(f"Turn sync on for {', '.join(off)} before backfilling (a dry run "
                                                "works without it).")
        current = self.store.current(scope.portal_id, scope.realm_id)
        if current is not None and current.status.active:
            raise BackfillBusyError("A backfill or dry run is already running for this company; wait for it or "
                                    "cancel it.")
        entities = tuple(dict.fromkeys(o.qbo_entity for o in wanted))
        reader = self.pages(scope)
        now = self.clock()
        run = BackfillRun(run_id=self.new_id(), portal_id=scope.portal_id, realm_id=scope.realm_id, objects=wanted,
                          dry_run=dry_run, entities=entities, totals=reader.counts(entities),
                          started_at=now, updated_at=now, started_by_user_id=user_id)
        self.store.start(run)
        self.queue.send(BackfillStep(portal_id=scope.portal_id, realm_id=scope.realm_id, run_id=run.run_id,
                                     entity_index=0, start=1))
        return run

    def cancel(self, scope: CompanyScope) -> BackfillRun:
        return cancel_run(lambda: self.progress(scope), self.store.save, self.clock)

    def progress(self, scope: CompanyScope) -> BackfillRun:
        run = self.store.current(scope.portal_id, scope.realm_id)
        if run is None:
            raise NotFoundError("No backfill or dry run has been started for this company yet.")
        return run

    # -- one page, from the sync queue ---------------------------------------------------------------------------
    def step(self, step: BackfillStep) -> str:
        scope = CompanyScope(portal_id=step.portal_id, realm_id=step.realm_id)
        run = self.store.current(scope.portal_id, scope.realm_id)
        if run is None or run.run_id != step.run_id:
            return "skipped: a newer run replaced this one"
        if not run.status.active:
            return f"skipped: the run is {run.status.value}"
        if (step.entity_index, step.start) != (run.entity_index, run.next_start):
            return "skipped: this page was already done"
        if run.unmatched is None:
            # Decided by the first page, not when an admin clicks start: the click needs no HubSpot call, so it is
            # never refused while the portal's HubSpot window is used up. A first backfill into a portal with no
            # records of a type has nothing to match against (and what it creates is linked), so it skips the
            # matching searches for that type. Contacts need no look: HubSpot refuses a second contact with an
            # e-mail, and a refused create is matched then (a dry run writes nothing, so it must search).
            run = run.model_copy(update={"unmatched": tuple(
                o for o in run.objects
                if (o in MATCHED_BY_UNIQUE_KEY and not run.dry_run)
                or self.appliers[o.qbo_entity].hubspot_is_empty(scope, o))})
        entity = run.entities[step.entity_index]
        rows = self.pages(scope).page(entity, step.start, PAGE_SIZE)
        counts, examples = dict(run.counts), {k: list(v) for k, v in run.examples.items()}
        objects = [o for o in run.objects if o.qbo_entity == entity]
        applier = self.appliers[entity]
        unmatched = list(run.unmatched or ())
        for begin in range(0, len(rows), APPLY_BATCH):
            records = [QboRecord(str(row["Id"]), row) for row in rows[begin:begin + APPLY_BATCH]]
            for sync_object in objects:
                config = self.config_of(scope, sync_object)
                if run.dry_run:
                    plans: tuple[Plan, ...] = (applier.plan(scope, sync_object, config, records,
                                                            match=sync_object not in unmatched),)
                    done = plans[0].counts()
                else:
                    synced = applier.sync(scope, sync_object, config, records, match=sync_object not in unmatched)
                    plans, done = synced.plans, synced.counts
                    if synced.conflicts and sync_object in unmatched:
                        unmatched.remove(sync_object)  # the portal holds such records: search before creating
                for kind, n in done.items():
                    counts[kind] = counts.get(kind, 0) + n
                for plan in plans:
                    _collect_examples(examples, plan)
        last_page = len(rows) < PAGE_SIZE
        finished = last_page and step.entity_index + 1 >= len(run.entities)
        next_index, next_start = (step.entity_index + 1, 1) if last_page else (step.entity_index,
                                                                               step.start + PAGE_SIZE)
        try:
            saved = self.store.save(run.model_copy(update={
                "status": BackfillStatus.DONE if finished else BackfillStatus.RUNNING, "counts": counts,
                "examples": examples, "processed": run.processed + len(rows), "pages_done": run.pages_done + 1,
                "unmatched": tuple(unmatched), "entity_index": next_index, "next_start": next_start,
                "updated_at": self.clock(), "finished_at": self.clock() if finished else None}))
        except BackfillChangedError:
            return "stopped: the run was cancelled or moved on meanwhile"
        if not finished:
            self.queue.send(BackfillStep(portal_id=scope.portal_id, realm_id=scope.realm_id, run_id=saved.run_id,
                                         entity_index=next_index, start=next_start))
        return f"{entity} page from {step.start}: {len(rows)} records" + (" (finished)" if finished else "")


RunT = TypeVar("RunT", BackfillRun, "AutoLinkRun")


def cancel_run(progress: Callable[[], RunT], save: Callable[[RunT], RunT], clock: Callable[[], datetime]) -> RunT:
    """Mark the active run cancelled (its next page then stops); a run already over is answered as it is."""
    for _attempt in range(3):
        run = progress()
        if not run.status.active:
            return run
        try:
            return save(run.model_copy(update={"status": BackfillStatus.CANCELLED, "finished_at": clock(),
                                               "updated_at": clock()}))
        except BackfillChangedError:
            continue  # a page finished meanwhile: read again
    raise ConflictError("The backfill changed while cancelling; try again.")


def _collect_examples(examples: dict[str, list[BackfillExample]], plan: Plan) -> None:
    def add(kind: str, qbo_id: str, label: str, detail: str = "") -> None:
        bucket = examples.setdefault(kind, [])
        if len(bucket) < EXAMPLES_PER_KIND:
            bucket.append(BackfillExample(object=plan.sync_object, qbo_id=qbo_id, label=label, detail=detail))

    for write in plan.creates:
        add("created", write.qbo_id, write.label)
    for write in plan.updates:
        add("updated", write.qbo_id, write.label, f"matched by {write.matched_by}")
    for qbo_id, label, reason in plan.skipped:
        add("skipped", qbo_id, label, reason)
    for decision in plan.decisions:
        add("needs_decision", decision.qbo_id, decision.qbo_label,
            f"{len(decision.candidates)} HubSpot records share its {decision.matched_on}: "
            + ", ".join(c.label for c in decision.candidates[:3]))
    for qbo_id, label, reason in plan.failures:
        add("failed", qbo_id, label, reason)
    for qbo_id, _hubspot_id in plan.archives:
        add("archived", qbo_id, f"QuickBooks #{qbo_id}")
