"""Credit memos and refunds on the contacts and companies of their customer: one note each on the timeline, found
again by its marker, and the roll-ups lowered (unapplied credit against the outstanding balance, refunds against
the total paid)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.domain.changes.registry import ApplierRegistry
from hubbooks.domain.invoicing.credits import CustomerCreditApplier, credit_marker
from hubbooks.domain.invoicing.deal_sync import new_link
from hubbooks.domain.invoicing.note_markers import carries
from hubbooks.domain.invoicing.rollups import OUTSTANDING, TOTAL_PAID
from hubbooks.models.changes import CompanyScope, EntityChange
from hubbooks.models.credits import CreditKind, QboCredit
from hubbooks.models.invoicing import HubSpotObjectType
from hubbooks.models.sync import RecordLink, SyncObject
from tests.unit.invoicing.fakes import NOW, US_PROFILE, invoice
from tests.unit.invoicing.live_fakes import FakeLiveCompany, LiveWorld
from tests.unit.invoicing.live_fakes import _NoBookmarks as Bookmarks
from tests.unit.invoicing.test_autolink import FakeAutoLinkState
from tests.unit.sync.fakes import FakeLinks as FakeSyncLinks

CONTACT = (HubSpotObjectType.CONTACT, "51")


def memo(txn_id: str = "70", *, total: str = "40.00", unapplied: str | None = None, customer_id: str = "1",
         kind: CreditKind = CreditKind.CREDIT_MEMO, updated: datetime = NOW) -> QboCredit:
    return QboCredit(kind=kind, id=txn_id, doc_number=f"CM{txn_id}", customer_id=customer_id,
                     customer_name="Amy's Bird Sanctuary", txn_date=date(2026, 9, 10), total=Decimal(total),
                     unapplied=Decimal(unapplied if unapplied is not None else total), currency="USD",
                     last_updated=updated)


@dataclass
class Credits:
    """A company's credit memos and refunds as the change engine reads them."""

    rows: dict[tuple[str, str], QboCredit] = field(default_factory=dict)

    def current(self, entity: str, entity_ids: list[str]) -> list[EntityChange]:
        return [EntityChange(entity=entity, entity_id=i,
                             current={"model": self.rows[(entity, i)]} if (entity, i) in self.rows else None)
                for i in dict.fromkeys(entity_ids)]

    def every(self, entity: str) -> Any:
        return iter([EntityChange(entity=entity, entity_id=i, current={"model": row})
                     for (kind, i), row in self.rows.items() if kind == entity])

    def changed_since(self, entities: list[str], since: datetime) -> Any:
        for entity in entities:
            yield from self.every(entity)


@dataclass
class Setup:
    world: LiveWorld
    credits: Credits = field(default_factory=Credits)
    sync_links: FakeSyncLinks = field(default_factory=FakeSyncLinks)
    state: FakeAutoLinkState = field(default_factory=FakeAutoLinkState)

    @property
    def scope(self) -> CompanyScope:
        return CompanyScope(portal_id=self.world.portal_id, realm_id=self.world.realm_id)

    def engine(self) -> ChangeEngine:
        ports = self.world.ports()
        registry = ApplierRegistry()

        def parse(raw: Mapping[str, Any], _kind: CreditKind, _home: str) -> QboCredit:
            return raw["model"]  # type: ignore[no-any-return]

        for kind in CreditKind:
            registry.register(CustomerCreditApplier(
                kind=kind, credits=self.world.links.credits, links=ports.links, sync_links=self.sync_links,
                state=self.state, companies=ports.companies, crm=ports.crm, clock=ports.clock, parse=parse))
        credits = self.credits

        class Sources:
            def open(self, scope: CompanyScope) -> Credits:
                return credits

        return ChangeEngine(registry, Sources(), Bookmarks(), clock=lambda: NOW)  # type: ignore[arg-type]

    def arrive(self, *rows: QboCredit) -> str:
        for row in rows:
            self.credits.rows[(row.kind.qbo_entity, row.id)] = row
        applied = self.engine().apply_references(self.scope, [(r.kind.qbo_entity, r.id) for r in rows])
        return "; ".join(a.outcome for a in applied)

    def delete(self, row: QboCredit) -> str:
        self.credits.rows.pop((row.kind.qbo_entity, row.id))
        applied = self.engine().apply_references(self.scope, [(row.kind.qbo_entity, row.id)])
        return "; ".join(a.outcome for a in applied)

    def contact_properties(self) -> dict[str, str]:
        shown: dict[str, str] = {}
        for kind, object_id, props in self.world.crm.record_updates:
            if (kind, object_id) == CONTACT:
                shown.update(props)
        return shown


@pytest.fixture
def setup() -> Setup:
    built = Setup(world=LiveWorld(company=FakeLiveCompany(stored=US_PROFILE)))
    built.state.on[(built.world.portal_id, built.world.realm_id)] = NOW - timedelta(days=1)
    built.sync_links.save(RecordLink(portal_id=built.world.portal_id, realm_id=built.world.realm_id,
                                     object=SyncObject.CONTACTS, qbo_id="1", hubspot_id="51", matched_by="email",
                                     linked_at=NOW))
    unpaid = invoice("300", total="100.00")
    built.world.company.invoices["300"] = unpaid
    built.world.links.save(new_link(portal_id=built.world.portal_id, object_type=HubSpotObjectType.CONTACT,
                                    object_id="51", realm_id=built.world.realm_id, invoice=unpaid, user_id=None,
                                    now=NOW, today=date(2026, 9, 15)))
    return built


def test_a_credit_memo_lands_on_the_contact_with_a_note_and_lowers_the_outstanding_balance(setup: Setup) -> None:
    outcome = setup.arrive(memo(unapplied="30.00"))
    assert "1 credit memo(s) on their customers' contacts and companies" in outcome
    [shown] = setup.world.links.credits.for_object(setup.world.portal_id, *CONTACT)
    assert (shown.kind, shown.total, shown.unapplied) == (CreditKind.CREDIT_MEMO, Decimal("40.00"), Decimal("30.00"))
    assert setup.contact_properties()[OUTSTANDING] == "70.00"  # 100.00 owed, 30.00 credit not yet applied
    [note] = setup.world.crm.notes.values()
    assert note.records == [CONTACT] and "Credit memo in QuickBooks" in note.body
    assert carries(note.body, credit_marker(CreditKind.CREDIT_MEMO, setup.world.realm_id, "70"))


def test_seen_again_it_writes_nothing_and_a_change_updates_the_one_note(setup: Setup) -> None:
    setup.arrive(memo(unapplied="30.00"))
    writes = len(setup.world.crm.record_updates)
    setup.arrive(memo(unapplied="30.00"))
    assert len(setup.world.crm.record_updates) == writes and len(setup.world.crm.notes) == 1
    setup.arrive(memo(unapplied="0.00"))  # applied to an invoice in QuickBooks
    [note] = setup.world.crm.notes.values()
    assert "Not yet applied: 0.00 USD" in note.body
    assert setup.contact_properties()[OUTSTANDING] == "100.00"


def test_a_lost_note_answer_is_found_by_its_marker_not_made_twice(setup: Setup) -> None:
    setup.arrive(memo())
    for item in setup.world.links.credits.for_realm(setup.world.portal_id, setup.world.realm_id):
        setup.world.links.credits.save(item.model_copy(update={"note_id": None}))  # the create's answer was lost
    setup.arrive(memo(unapplied="10.00"))
    assert len(setup.world.crm.notes) == 1


def test_a_refund_lowers_the_total_paid(setup: Setup) -> None:
    paid = invoice("301", total="50.00", balance="0.00")
    setup.world.company.invoices["301"] = paid
    setup.world.links.save(new_link(portal_id=setup.world.portal_id, object_type=HubSpotObjectType.CONTACT,
                                    object_id="51", realm_id=setup.world.realm_id, invoice=paid, user_id=None,
                                    now=NOW, today=date(2026, 9, 15)))
    setup.arrive(memo("80", total="20.00", kind=CreditKind.REFUND))
    assert setup.contact_properties()[TOTAL_PAID] == "30.00"
    [note] = setup.world.crm.notes.values()
    assert "Refund in QuickBooks" in note.body and "Not yet applied" not in note.body


def test_deleted_in_quickbooks_it_leaves_the_record_and_its_timeline(setup: Setup) -> None:
    row = memo(unapplied="30.00")
    setup.arrive(row)
    assert "deleted in QuickBooks and taken off" in setup.delete(row)
    assert setup.world.links.credits.for_realm(setup.world.portal_id, setup.world.realm_id) == []
    assert setup.world.crm.notes == {}
    assert setup.contact_properties()[OUTSTANDING] == "100.00"


def test_nothing_while_auto_linking_is_off_or_for_credits_older_than_turning_it_on(setup: Setup) -> None:
    setup.arrive(memo("71", updated=NOW - timedelta(days=30)))
    setup.arrive(memo("72", customer_id="9"))  # a customer on no contact or company
    assert setup.world.links.credits.for_realm(setup.world.portal_id, setup.world.realm_id) == []
    setup.state.on.clear()
    setup.arrive(memo("73"))
    assert setup.world.links.credits.for_realm(setup.world.portal_id, setup.world.realm_id) == []
