"""Fakes for the live-status ports, on top of the invoicing fakes: payments in the company, notes in the CRM, the
payment-note store with its claim, and the realm -> portals lookup."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.domain.changes.registry import ApplierRegistry
from hubbooks.domain.invoicing.appliers import CreditMemoApplier, InvoiceApplier, PaymentApplier
from hubbooks.domain.invoicing.live_ports import LiveStatusPorts
from hubbooks.models.changes import ChangeBookmark, CompanyScope, EntityChange
from hubbooks.models.invoicing import HubSpotObjectType
from hubbooks.models.payments import PaymentNote, QboPayment
from tests.unit.invoicing.fakes import NOW, FakeCompanies, FakeCompany, FakeCrm, FakeLinks


@dataclass
class FakeLiveCompany(FakeCompany):
    payments: dict[str, QboPayment] = field(default_factory=dict)
    credit_memos: dict[str, dict[str, object]] = field(default_factory=dict)

    def payment(self, payment_id: str) -> QboPayment | None:
        self.calls.append("read payment")
        return self.payments.get(payment_id)


@dataclass
class Note:
    body: str
    timestamp: datetime
    deal_ids: list[str]
    records: list[tuple[HubSpotObjectType, str]] = field(default_factory=list)  # contacts and companies


@dataclass
class FakeLiveCrm(FakeCrm):
    notes: dict[str, Note] = field(default_factory=dict)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(500))

    def create_note(self, body: str, timestamp: datetime, deal_ids: Sequence[str]) -> str:
        note_id = str(next(self._ids))
        self.notes[note_id] = Note(body, timestamp, list(deal_ids))
        return note_id

    def update_note(self, note_id: str, body: str, timestamp: datetime | None) -> bool:
        if note_id not in self.notes:
            return False
        note = self.notes[note_id]
        note.body, note.timestamp = body, timestamp or note.timestamp
        return True

    def attach_note(self, note_id: str, deal_ids: Sequence[str]) -> None:
        self.notes[note_id].deal_ids += [d for d in deal_ids if d not in self.notes[note_id].deal_ids]

    def notes_on_deals(self, deal_ids: Sequence[str]) -> dict[str, str]:
        return {i: n.body for i, n in self.notes.items() if set(n.deal_ids) & set(deal_ids)}

    def archive_note(self, note_id: str) -> None:
        self.notes.pop(note_id, None)

    def create_record_note(self, body: str, timestamp: datetime,
                           records: Sequence[tuple[HubSpotObjectType, str]]) -> str:
        note_id = str(next(self._ids))
        self.notes[note_id] = Note(body, timestamp, [], list(records))
        return note_id

    def notes_on_records(self, records: Sequence[tuple[HubSpotObjectType, str]]) -> dict[str, str]:
        return {i: n.body for i, n in self.notes.items() if set(n.records) & set(records)}


@dataclass
class FakePaymentNotes:
    items: dict[tuple[int, str, str], PaymentNote] = field(default_factory=dict)
    lease: timedelta = timedelta(minutes=2)

    def get(self, portal_id: int, realm_id: str, payment_id: str) -> PaymentNote | None:
        return self.items.get((portal_id, realm_id, payment_id))

    def claim(self, portal_id: int, realm_id: str, payment_id: str, now: datetime) -> bool:
        held = self.items.get((portal_id, realm_id, payment_id))
        if held is not None and (held.note_id or (held.claimed_at and held.claimed_at >= now - self.lease)):
            return False
        self.items[(portal_id, realm_id, payment_id)] = PaymentNote(portal_id=portal_id, realm_id=realm_id,
                                                                    payment_id=payment_id, claimed_at=now)
        return True

    def save(self, note: PaymentNote) -> None:
        self.items[(note.portal_id, note.realm_id, note.payment_id)] = note

    def release(self, portal_id: int, realm_id: str, payment_id: str) -> None:
        held = self.items.get((portal_id, realm_id, payment_id))
        if held is not None and not held.note_id:
            del self.items[(portal_id, realm_id, payment_id)]

    def for_realm(self, portal_id: int, realm_id: str) -> list[PaymentNote]:
        return [n for (p, r, _), n in self.items.items() if (p, r) == (portal_id, realm_id)]


@dataclass
class FakeRealms:
    portals: dict[str, list[int]] = field(default_factory=dict)

    def portals_connected_to(self, realm_id: str) -> list[int]:
        return self.portals.get(realm_id, [])


@dataclass
class LiveWorld:
    company: FakeLiveCompany
    links: FakeLinks = field(default_factory=FakeLinks)
    crm: FakeLiveCrm = field(default_factory=FakeLiveCrm)
    notes: FakePaymentNotes = field(default_factory=FakePaymentNotes)
    portal_id: int = 42
    crm_builds: int = 0

    @property
    def realm_id(self) -> str:
        return self.company.realm_id

    def ports(self) -> LiveStatusPorts:
        def crm(portal_id: int) -> FakeLiveCrm:
            assert portal_id == self.portal_id
            self.crm_builds += 1
            return self.crm

        return LiveStatusPorts(realms=FakeRealms({self.realm_id: [self.portal_id]}), links=self.links,
                               companies=FakeCompanies({self.realm_id: self.company}, portal_id=self.portal_id),
                               crm=crm, payment_notes=self.notes, clock=lambda: NOW)

    def engine(self) -> ChangeEngine:
        """The stack's appliers over this world; entities travel as {"model": ...} instead of QuickBooks JSON."""
        ports = self.ports()
        registry = ApplierRegistry()
        registry.register(InvoiceApplier(links=ports.links, companies=ports.companies, crm=ports.crm,
                                         clock=ports.clock, parse=lambda raw, _home: raw["model"]))
        registry.register(PaymentApplier(links=ports.links, companies=ports.companies, crm=ports.crm,
                                         notes=ports.payment_notes, clock=ports.clock,
                                         parse=lambda raw, _home: raw["model"]))
        registry.register(CreditMemoApplier(links=ports.links, companies=ports.companies, crm=ports.crm,
                                            clock=ports.clock))
        return ChangeEngine(registry, _WorldSources(self.company), _NoBookmarks(), clock=lambda: NOW)


class _WorldChanges:
    """The fake company's invoices and payments as the change engine reads them (one call per entity type)."""

    def __init__(self, company: FakeLiveCompany) -> None:
        self.company = company

    def _rows(self, entity: str) -> dict[str, object]:
        if entity == "Invoice":
            return dict(self.company.invoices)
        if entity == "Payment":
            return dict(self.company.payments)
        return dict(self.company.credit_memos)

    def current(self, entity: str, entity_ids: Sequence[str]) -> list[EntityChange]:
        rows: dict[str, object]
        if entity == "Invoice":
            rows = {i.id: i for i in self.company.invoices_by_ids(list(entity_ids))}
        elif entity == "Payment":
            rows = {i: p for i in entity_ids if (p := self.company.payment(i)) is not None}
        else:
            rows = self._rows(entity)
        return [EntityChange(entity=entity, entity_id=i, current={"model": rows[i]} if i in rows else None)
                for i in dict.fromkeys(entity_ids)]

    def changed_since(self, entities: Sequence[str], since: datetime) -> Iterator[EntityChange]:
        for entity in entities:
            yield from self.every(entity)

    def every(self, entity: str) -> Iterator[EntityChange]:
        for entity_id, row in self._rows(entity).items():
            yield EntityChange(entity=entity, entity_id=entity_id, current={"model": row})


@dataclass
class _WorldSources:
    company: FakeLiveCompany

    def open(self, scope: CompanyScope) -> _WorldChanges:
        return _WorldChanges(self.company)


@dataclass
class _NoBookmarks:
    items: dict[tuple[int, str, str], ChangeBookmark] = field(default_factory=dict)

    def get(self, scope: CompanyScope, entity: str) -> ChangeBookmark | None:
        return self.items.get((scope.portal_id, scope.realm_id, entity))

    def save(self, bookmark: ChangeBookmark) -> None:
        self.items[(bookmark.portal_id, bookmark.realm_id, bookmark.entity)] = bookmark
