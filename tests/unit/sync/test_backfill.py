"""Backfill and its dry run on fakes: page by page through a queue, resumable after a failed page, duplicates
ignored, cancellable, and nothing created twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from hubbooks.domain.paged_runs import BackfillBusyError, BackfillChangedError
from hubbooks.domain.sync.backfill import BackfillService
from hubbooks.domain.sync.defaults import DEFAULT_BEHAVIOUR, DEFAULT_MAPPINGS
from hubbooks.domain.sync.errors import SyncSettingsRejectedError
from hubbooks.models.changes import CompanyScope
from hubbooks.models.jobs import BackfillStep
from hubbooks.models.sync import BackfillRun, BackfillStatus, SyncConfig, SyncObject
from tests.unit.sync.test_applier import NOW, SCOPE, World


@dataclass
class FakeRuns:
    run: BackfillRun | None = None

    def current(self, portal_id: int, realm_id: str) -> BackfillRun | None:
        return self.run

    def start(self, run: BackfillRun) -> None:
        if self.run is not None and self.run.status.active:
            raise BackfillBusyError("busy")
        self.run = run

    def save(self, run: BackfillRun) -> BackfillRun:
        assert self.run is not None
        if self.run.version != run.version:
            raise BackfillChangedError()
        self.run = run.model_copy(update={"version": run.version + 1})
        return self.run


@dataclass
class FakePages:
    rows: dict[str, list[dict[str, Any]]]
    reads: int = 0

    def counts(self, entities: Sequence[str]) -> dict[str, int]:
        return {entity: len(self.rows.get(entity, [])) for entity in entities}

    def page(self, entity: str, start: int, size: int) -> list[dict[str, Any]]:
        self.reads += 1
        return self.rows.get(entity, [])[start - 1:start - 1 + size]


@dataclass
class FakeQueue:
    steps: list[BackfillStep] = field(default_factory=list)

    def send(self, step: BackfillStep) -> None:
        self.steps.append(step)


def _customers(n: int) -> list[dict[str, Any]]:
    return [{"Id": str(i), "DisplayName": f"Person {i}", "Active": True,
             "PrimaryEmailAddr": {"Address": f"p{i}@x.test"}} for i in range(1, n + 1)]


class Backfill:
    def __init__(self, world: World, customers: int = 2500) -> None:
        self.world, self.runs, self.queue = world, FakeRuns(), FakeQueue()
        self.pages = FakePages({"Customer": _customers(customers),
                                "Item": [{"Id": "1", "Name": "Widget", "Sku": "W", "Active": True}]})
        self.service = BackfillService(
            store=self.runs, pages=lambda scope: self.pages, queue=self.queue,
            appliers={"Customer": world.customers, "Item": world.items},
            config_of=self._config, clock=lambda: NOW, new_id=lambda: "run1")

    def _config(self, scope: CompanyScope, sync_object: SyncObject) -> SyncConfig:
        return self.world.configs.get(1, "9130", sync_object) or SyncConfig(
            portal_id=1, realm_id="9130", object=sync_object, behaviour=DEFAULT_BEHAVIOUR,
            mappings=DEFAULT_MAPPINGS[sync_object])

    def drain(self) -> list[str]:
        outcomes = []
        while self.queue.steps:
            outcomes.append(self.service.step(self.queue.steps.pop(0)))
        return outcomes


@pytest.fixture
def backfill() -> Backfill:
    return Backfill(World())


def test_a_dry_run_counts_and_shows_examples_without_writing(backfill: Backfill) -> None:
    backfill.world.crm.add("contacts", email="p2@x.test")
    run = backfill.service.start(SCOPE, [SyncObject.CONTACTS], dry_run=True, user_id=7)
    assert run.totals == {"Customer": 2500} and run.status is BackfillStatus.QUEUED
    assert len(backfill.drain()) == 3 and backfill.pages.reads == 3  # 1000 + 1000 + 500
    done = backfill.service.progress(SCOPE)
    assert done.status is BackfillStatus.DONE and done.processed == 2500 and done.pages_done == 3
    assert done.counts["created"] == 2499 and done.counts["updated"] == 1
    assert [e.label for e in done.examples["updated"]] == ["Person 2"]
    assert len(done.examples["created"]) == 5
    assert backfill.world.crm.calls.get("upsert") is None and backfill.world.links.items == {}


def test_the_run_needs_sync_on_then_creates_each_record_once(backfill: Backfill) -> None:
    with pytest.raises(SyncSettingsRejectedError, match="Turn sync on for contacts"):
        backfill.service.start(SCOPE, [SyncObject.CONTACTS], dry_run=False, user_id=7)
    backfill.world.turn_on(SyncObject.CONTACTS)
    backfill.world.turn_on(SyncObject.PRODUCTS)
    backfill.service.start(SCOPE, [SyncObject.CONTACTS, SyncObject.PRODUCTS], dry_run=False, user_id=7)
    with pytest.raises(BackfillBusyError):
        backfill.service.start(SCOPE, [SyncObject.CONTACTS], dry_run=True, user_id=7)
    first = backfill.queue.steps[0]
    backfill.drain()
    assert backfill.service.step(first) == "skipped: the run is done"  # a late duplicate
    run = backfill.service.progress(SCOPE)
    assert run.counts["created"] == 2501 and run.pages_done == 4
    assert len(backfill.world.crm.records["contacts"]) == 2500 and len(backfill.world.crm.records["products"]) == 1
    assert backfill.world.crm.calls["upsert"] == 26  # ceil(2500/100) + 1
    # HubSpot held no products: one look, no matching searches; contacts need no look (a duplicate e-mail is refused)
    assert backfill.world.crm.calls["search"] == 1


def test_a_contact_created_in_hubspot_during_the_run_is_matched_not_duplicated(backfill: Backfill) -> None:
    backfill.world.turn_on(SyncObject.CONTACTS)
    backfill.service.start(SCOPE, [SyncObject.CONTACTS], dry_run=False, user_id=7)
    backfill.service.step(backfill.queue.steps.pop(0))  # the first page: nothing to match, no search
    crm = backfill.world.crm
    assert crm.calls.get("search") is None
    someone = crm.add("contacts", email="P1500@x.test", firstname="Made by hand")  # a later page's e-mail
    backfill.drain()
    run = backfill.service.progress(SCOPE)
    assert run.status is BackfillStatus.DONE and run.counts["created"] == 2499 and run.counts["updated"] == 1
    assert run.counts.get("failed", 0) == 0
    assert len(crm.records["contacts"]) == 2500  # no second contact for p1500@x.test
    assert backfill.world.links.get_many(1, "9130", SyncObject.CONTACTS, ["1500"])["1500"].hubspot_id == someone
    # After the refusal the run searches before creating: one search for the refused record, then one per batch
    assert crm.calls["search"] == 1 + 2 and run.unmatched == ()


def test_a_run_into_a_portal_holding_the_contacts_matches_every_one(backfill: Backfill) -> None:
    crm = backfill.world.crm
    for row in backfill.pages.rows["Customer"]:
        crm.add("contacts", email=row["PrimaryEmailAddr"]["Address"].upper())
    backfill.world.turn_on(SyncObject.CONTACTS)
    backfill.service.start(SCOPE, [SyncObject.CONTACTS], dry_run=False, user_id=7)
    backfill.drain()
    run = backfill.service.progress(SCOPE)
    assert run.counts["updated"] == 2500 and run.counts.get("created", 0) == 0 and run.counts.get("failed", 0) == 0
    assert len(crm.records["contacts"]) == 2500
    assert backfill.world.failures.list(1, "9130", SyncObject.CONTACTS) == []
    # One create chunk met the refusals; everything after it was matched first: one search per batch of 500
    assert crm.calls["upsert"] == 1 and crm.calls["search"] == 5 and crm.calls["update"] == 25


def test_a_page_that_fails_is_done_again_without_duplicates(backfill: Backfill) -> None:
    backfill.world.turn_on(SyncObject.CONTACTS)
    backfill.service.start(SCOPE, [SyncObject.CONTACTS], dry_run=False, user_id=7)
    backfill.drain()  # every page once, so the next run finds every record linked
    crm = backfill.world.crm
    original_update = crm.update
    failures = {"left": 1}

    def flaky_update(object_type: str, writes: Any) -> Any:
        if failures["left"]:
            failures["left"] -= 1
            crm.update(object_type, writes[:50])  # half written, then the invocation dies
            raise TimeoutError("Lambda timed out")
        return original_update(object_type, writes)

    for row in backfill.pages.rows["Customer"]:
        row["GivenName"] = "Changed"
    backfill.runs.run = None
    backfill.service.start(SCOPE, [SyncObject.CONTACTS], dry_run=False, user_id=7)
    crm.update = flaky_update  # type: ignore[method-assign]
    step = backfill.queue.steps.pop(0)
    with pytest.raises(TimeoutError):
        backfill.service.step(step)
    assert backfill.service.progress(SCOPE).pages_done == 0
    backfill.queue.steps.insert(0, step)  # SQS delivers it again
    backfill.drain()
    run = backfill.service.progress(SCOPE)
    assert run.status is BackfillStatus.DONE and run.processed == 2500
    assert len(crm.records["contacts"]) == 2500
    assert all(props.get("firstname") == "Changed" for props in crm.records["contacts"].values())


def test_cancel_stops_at_the_next_page(backfill: Backfill) -> None:
    backfill.service.start(SCOPE, [SyncObject.CONTACTS], dry_run=True, user_id=7)
    backfill.service.step(backfill.queue.steps.pop(0))
    cancelled = backfill.service.cancel(SCOPE)
    assert cancelled.status is BackfillStatus.CANCELLED
    assert backfill.drain() == ["skipped: the run is cancelled"]
    assert backfill.service.progress(SCOPE).processed == 1000
