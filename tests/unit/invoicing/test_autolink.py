"""Every QuickBooks invoice where it belongs: invoices of customers linked to a contact or company are linked to
that record as they arrive (the change engine's Invoice applier), and by a backfill with a dry run first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import pytest

from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.domain.changes.registry import ApplierRegistry
from hubbooks.domain.errors import InvalidRequestError
from hubbooks.domain.invoicing.appliers import InvoiceApplier
from hubbooks.domain.invoicing.autolink import AutoLinker
from hubbooks.domain.invoicing.autolink_backfill import PAGE_SIZE, AutoLinkBackfill
from hubbooks.domain.invoicing.deal_sync import RecordRef, new_link
from hubbooks.domain.invoicing.rollups import OUTSTANDING, TOTAL_INVOICED
from hubbooks.domain.paged_runs import BackfillBusyError
from hubbooks.models.autolink import AutoLinkRun, AutoLinkStep
from hubbooks.models.changes import CompanyScope
from hubbooks.models.invoicing import HubSpotObjectType, QboInvoice
from hubbooks.models.sync import BackfillStatus, RecordLink, SyncObject
from tests.unit.invoicing.fakes import NOW, US_PROFILE, FakeCompanies, invoice
from tests.unit.invoicing.live_fakes import FakeLiveCompany, LiveWorld
from tests.unit.invoicing.live_fakes import _NoBookmarks as Bookmarks
from tests.unit.invoicing.live_fakes import _WorldSources as Sources
from tests.unit.sync.fakes import FakeLinks as FakeSyncLinks

CONTACT = (HubSpotObjectType.CONTACT, "51")
COMPANY = (HubSpotObjectType.COMPANY, "7")


@dataclass
class FakeAutoLinkState:
    on: dict[tuple[int, str], datetime] = field(default_factory=dict)
    marks: dict[tuple[int, str, str], set[RecordRef]] = field(default_factory=dict)

    def enabled_since(self, portal_id: int, realm_id: str) -> datetime | None:
        return self.on.get((portal_id, realm_id))

    def placed(self, portal_id: int, realm_id: str, invoice_ids: Sequence[str]) -> dict[str, set[RecordRef]]:
        return {i: set(self.marks[(portal_id, realm_id, i)]) for i in invoice_ids
                if (portal_id, realm_id, i) in self.marks}

    def record_placed(self, portal_id: int, realm_id: str, invoice_id: str, records: Iterable[RecordRef],
                      at: datetime) -> None:
        self.marks.setdefault((portal_id, realm_id, invoice_id), set()).update(records)


@dataclass
class Setup:
    world: LiveWorld
    sync_links: FakeSyncLinks = field(default_factory=FakeSyncLinks)
    state: FakeAutoLinkState = field(default_factory=FakeAutoLinkState)

    @property
    def scope(self) -> CompanyScope:
        return CompanyScope(portal_id=self.world.portal_id, realm_id=self.world.realm_id)

    def turn_on(self, at: datetime = NOW - timedelta(days=1)) -> None:
        self.state.on[(self.world.portal_id, self.world.realm_id)] = at

    def sync_customer(self, customer_id: str, sync_object: SyncObject, hubspot_id: str) -> None:
        self.sync_links.save(RecordLink(portal_id=self.world.portal_id, realm_id=self.world.realm_id,
                                        object=sync_object, qbo_id=customer_id, hubspot_id=hubspot_id,
                                        matched_by="email", linked_at=NOW))

    def engine(self) -> ChangeEngine:
        ports = self.world.ports()
        registry = ApplierRegistry()
        registry.register(InvoiceApplier(
            links=ports.links, companies=ports.companies, crm=ports.crm, clock=ports.clock,
            parse=lambda raw, _home: raw["model"],
            autolink=AutoLinker(links=ports.links, sync_links=self.sync_links, state=self.state, clock=ports.clock)))
        return ChangeEngine(registry, Sources(self.world.company), Bookmarks(), clock=lambda: NOW)

    def arrive(self, *invoices: QboInvoice) -> str:
        for qbo_invoice in invoices:
            self.world.company.invoices[qbo_invoice.id] = qbo_invoice
        applied = self.engine().apply_references(self.scope, [("Invoice", i.id) for i in invoices])
        return "; ".join(a.outcome for a in applied)

    def records_of(self, invoice_id: str) -> set[tuple[HubSpotObjectType, str]]:
        return {(link.object_type, link.object_id)
                for link in self.world.links.for_invoice(self.world.portal_id, self.world.realm_id, invoice_id)}


@pytest.fixture
def setup() -> Setup:
    return Setup(world=LiveWorld(company=FakeLiveCompany(stored=US_PROFILE)))


def of_customer(invoice_id: str, customer_id: str, **fields: object) -> QboInvoice:
    return invoice(invoice_id, **fields).model_copy(update={"customer_id": customer_id})  # type: ignore[arg-type]


def test_off_by_default_nothing_is_linked(setup: Setup) -> None:
    setup.sync_customer("1", SyncObject.CONTACTS, "51")
    assert setup.arrive(of_customer("300", "1")) == "no linked invoice"
    assert setup.records_of("300") == set()


def test_an_invoice_of_a_synced_customer_lands_on_its_contact_and_company_with_roll_ups(setup: Setup) -> None:
    setup.turn_on()
    setup.sync_customer("1", SyncObject.CONTACTS, "51")
    setup.sync_customer("1", SyncObject.COMPANIES, "7")
    outcome = setup.arrive(of_customer("300", "1", total="250.00", balance="100.00"))
    assert "auto-linked 1 invoice(s)" in outcome
    assert setup.records_of("300") == {CONTACT, COMPANY}
    written = {(kind, object_id): props for kind, object_id, props in setup.world.crm.record_updates}
    assert written[CONTACT][TOTAL_INVOICED] == "250.00"
    assert written[COMPANY][OUTSTANDING] == "100.00"
    link = setup.world.links.for_invoice(setup.world.portal_id, setup.world.realm_id, "300")[0]
    assert link.linked_by_user_id is None and link.customer_id == "1"


def test_a_customer_whose_invoice_a_person_linked_gets_its_other_invoices_too(setup: Setup) -> None:
    setup.turn_on()
    first = of_customer("300", "2")
    setup.world.company.invoices["300"] = first
    setup.world.links.save(new_link(portal_id=setup.world.portal_id, object_type=HubSpotObjectType.CONTACT,
                                    object_id="60", realm_id=setup.world.realm_id, invoice=first, user_id=5,
                                    now=NOW, today=date(2026, 9, 15)))
    setup.arrive(of_customer("301", "2"))
    assert setup.records_of("301") == {(HubSpotObjectType.CONTACT, "60")}


def test_automatic_links_do_not_spread_to_other_customers_records(setup: Setup) -> None:
    setup.turn_on()
    setup.sync_customer("1", SyncObject.CONTACTS, "51")
    setup.arrive(of_customer("300", "1"), of_customer("301", "3"))
    assert setup.records_of("300") == {CONTACT}
    assert setup.records_of("301") == set()


def test_an_invoice_unlinked_on_purpose_stays_unlinked_but_a_new_record_still_receives_it(setup: Setup) -> None:
    setup.turn_on()
    setup.sync_customer("1", SyncObject.CONTACTS, "51")
    setup.arrive(of_customer("300", "1"))
    [placed] = setup.world.links.for_invoice(setup.world.portal_id, setup.world.realm_id, "300")
    setup.world.links.delete(placed)
    setup.arrive(of_customer("300", "1", balance="0.00"))
    assert setup.records_of("300") == set()
    setup.sync_customer("1", SyncObject.COMPANIES, "7")
    setup.arrive(of_customer("300", "1", balance="0.00"))
    assert setup.records_of("300") == {COMPANY}


def test_only_invoices_changed_since_it_was_turned_on_arrive_the_rest_wait_for_the_backfill(setup: Setup) -> None:
    setup.turn_on(at=NOW)
    setup.sync_customer("1", SyncObject.CONTACTS, "51")
    setup.arrive(of_customer("300", "1", updated=NOW - timedelta(days=40)),  # a full re-read finds it
                 of_customer("301", "1", updated=NOW - timedelta(minutes=2)))  # QuickBooks' clock is behind
    assert setup.records_of("300") == set()
    assert setup.records_of("301") == {CONTACT}


def test_redelivered_changes_link_once(setup: Setup) -> None:
    setup.turn_on()
    setup.sync_customer("1", SyncObject.CONTACTS, "51")
    setup.arrive(of_customer("300", "1"))
    assert "auto-linked" not in setup.arrive(of_customer("300", "1"))
    assert len(setup.world.links.for_invoice(setup.world.portal_id, setup.world.realm_id, "300")) == 1


# -- the backfill ------------------------------------------------------------------------------------------------

@dataclass
class FakePages:
    company: FakeLiveCompany
    reads: list[int] = field(default_factory=list)

    def _dated(self, date_from: date, date_to: date) -> list[QboInvoice]:
        return sorted((i for i in self.company.invoices.values() if date_from <= i.txn_date <= date_to),
                      key=lambda i: int(i.id))

    def count(self, date_from: date, date_to: date) -> int:
        return len(self._dated(date_from, date_to))

    def page(self, date_from: date, date_to: date, start: int, size: int) -> list[QboInvoice]:
        self.reads.append(start)
        return self._dated(date_from, date_to)[start - 1:start - 1 + size]


@dataclass
class FakeRuns:
    run: AutoLinkRun | None = None

    def current(self, portal_id: int, realm_id: str) -> AutoLinkRun | None:
        return self.run

    def start(self, run: AutoLinkRun) -> None:
        if self.run is not None and self.run.status.active:
            raise BackfillBusyError("busy")
        self.run = run

    def save(self, run: AutoLinkRun) -> AutoLinkRun:
        self.run = run.model_copy(update={"version": run.version + 1})
        return self.run


@dataclass
class Backfill:
    setup: Setup
    runs: FakeRuns = field(default_factory=FakeRuns)
    queued: list[AutoLinkStep] = field(default_factory=list)

    def service(self) -> AutoLinkBackfill:
        world = self.setup.world
        self.pages = FakePages(world.company)
        return AutoLinkBackfill(store=self.runs, pages=lambda scope: self.pages, send=self.queued.append,
                                links=world.links, sync_links=self.setup.sync_links, state=self.setup.state,
                                companies=FakeCompanies({world.realm_id: world.company}, portal_id=world.portal_id),
                                crm=lambda portal_id: world.crm, clock=lambda: NOW, new_id=lambda: "run1")

    def drain(self) -> list[str]:
        outcomes = []
        while self.queued:
            outcomes.append(self.service().step(self.queued.pop(0)))
        return outcomes


def _existing(setup: Setup, count: int) -> None:
    for n in range(count):
        qbo_invoice = of_customer(str(1000 + n), "1" if n % 2 == 0 else "9")
        setup.world.company.invoices[qbo_invoice.id] = qbo_invoice


def test_backfill_dry_run_counts_and_shows_examples_without_linking(setup: Setup) -> None:
    setup.sync_customer("1", SyncObject.CONTACTS, "51")
    _existing(setup, PAGE_SIZE + 10)  # two pages
    backfill = Backfill(setup)
    run = backfill.service().start(setup.scope, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31),
                                   dry_run=True, user_id=5)
    assert run.invoices_in_range == PAGE_SIZE + 10
    backfill.drain()
    done = backfill.runs.run
    assert done is not None and done.status is BackfillStatus.DONE and done.pages_done == 2
    assert done.counts["invoices_to_link"] == (PAGE_SIZE + 10 + 1) // 2
    assert done.counts["customer_not_linked"] == (PAGE_SIZE + 10) // 2
    assert done.examples["invoices_to_link"][0].records == ["contact 51"]
    assert setup.world.links.for_realm(setup.world.portal_id, setup.world.realm_id) == []


def test_backfill_links_the_range_once_and_writes_the_records(setup: Setup) -> None:
    setup.sync_customer("1", SyncObject.CONTACTS, "51")
    _existing(setup, 6)
    setup.world.company.invoices["2000"] = of_customer("2000", "1").model_copy(update={"txn_date": date(2025, 1, 1)})
    backfill = Backfill(setup)
    with pytest.raises(InvalidRequestError, match="Turn on"):
        backfill.service().start(setup.scope, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31),
                                 dry_run=False, user_id=5)
    setup.turn_on()
    backfill.service().start(setup.scope, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), dry_run=False,
                             user_id=5)
    step = backfill.queued[0]
    backfill.drain()
    linked = {link.invoice_id for link in setup.world.links.for_realm(setup.world.portal_id, setup.world.realm_id)}
    assert linked == {"1000", "1002", "1004"}  # customer 9 is not linked; invoice 2000 is outside the range
    assert any(kind is HubSpotObjectType.CONTACT and props[TOTAL_INVOICED] == "300.00"
               for kind, _id, props in setup.world.crm.record_updates)
    assert backfill.service().step(step) == "skipped: the run is done"  # a redelivered page


def test_a_second_backfill_waits_and_cancel_stops_it(setup: Setup) -> None:
    _existing(setup, 3)
    backfill = Backfill(setup)
    backfill.service().start(setup.scope, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31), dry_run=True,
                             user_id=5)
    with pytest.raises(BackfillBusyError):
        backfill.service().start(setup.scope, date_from=date(2026, 1, 1), date_to=date(2026, 12, 31),
                                 dry_run=True, user_id=5)
    cancelled = backfill.service().cancel(setup.scope)
    assert cancelled.status is BackfillStatus.CANCELLED
    assert backfill.drain() == ["skipped: the run is cancelled"]


