"""Existing QuickBooks records into HubSpot (HubSpot's own integration syncs only new ones): first a dry run that
says what would happen, with examples, then the run itself.

Both go page by page through the sync queue (domain/paged_runs.py), one message per company and page (1000 records:
QuickBooks' largest query page), so no invocation holds more than a page and each stays inside the rate budgets. A
page that fails or times out is redone: its records are upserted by their QuickBooks reference (contacts' e-mails
are unique in HubSpot too), so nothing is created twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from hubbooks.domain.errors import NotFoundError
from hubbooks.domain.paged_runs import (
    BackfillBusyError,
    PageDone,
    PagedRunStore,
    add_counts,
    cancel_run,
    run_page,
)
from hubbooks.domain.paged_runs import BackfillChangedError as BackfillChangedError  # re-exported for older imports
from hubbooks.domain.sync.applier import SyncApplier
from hubbooks.domain.sync.errors import SyncSettingsRejectedError
from hubbooks.domain.sync.matching import MATCHED_BY_UNIQUE_KEY
from hubbooks.domain.sync.planning import Plan, QboRecord
from hubbooks.models.changes import CompanyScope
from hubbooks.models.jobs import BackfillStep
from hubbooks.models.sync import BackfillExample, BackfillRun, SyncConfig, SyncObject

PAGE_SIZE = 1000  # QuickBooks' MAXRESULTS cap: the fewest query pages
APPLY_BATCH = 500  # records planned together: one matching search per key (HubSpot writes go 100 at a time)
EXAMPLES_PER_KIND = 5


class BackfillStore(PagedRunStore[BackfillRun], Protocol):
    """The company's latest backfill or dry run."""


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
        return run_page(
            self.store, portal_id=scope.portal_id, realm_id=scope.realm_id, run_id=step.run_id,
            is_next=lambda run: (step.entity_index, step.start) == (run.entity_index, run.next_start),
            page=lambda run: self._page(scope, run, step), clock=self.clock,
            send_next=lambda saved: self.queue.send(BackfillStep(
                portal_id=scope.portal_id, realm_id=scope.realm_id, run_id=saved.run_id,
                entity_index=saved.entity_index, start=saved.next_start)))

    def _page(self, scope: CompanyScope, run: BackfillRun, step: BackfillStep) -> PageDone:
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
                counts = add_counts(counts, done)
                for plan in plans:
                    _collect_examples(examples, plan)
        last_page = len(rows) < PAGE_SIZE
        finished = last_page and step.entity_index + 1 >= len(run.entities)
        next_index, next_start = (step.entity_index + 1, 1) if last_page else (step.entity_index,
                                                                               step.start + PAGE_SIZE)
        return PageDone(records=len(rows), finished=finished, changes={
            "counts": counts, "examples": examples, "unmatched": tuple(unmatched), "entity_index": next_index,
            "next_start": next_start},
            summary=f"{entity} page from {step.start}: {len(rows)} records" + (" (finished)" if finished else ""))


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
