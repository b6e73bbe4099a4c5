"""Credit memos and refunds on the contacts and companies their QuickBooks customer belongs to (issue 10, Deliver 6).

Where auto-linking is on, a credit memo or refund of a customer linked to contacts or companies (the same customers
as auto-linked invoices: see autolink.py) is kept on each of those records: the card lists it, the record's
timeline gets one note per credit carrying a deterministic marker (found before any create, as payment notes are),
and the record's roll-ups count it: a memo's unapplied credit lowers the outstanding balance, a refund lowers the
total paid. Applied credit already lowered the invoices' balances in QuickBooks, so it is not counted twice.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from hubbooks.domain.changes.ports import ChangeApplier
from hubbooks.domain.invoicing.autolink import CLOCK_MARGIN, AutoLinkState, customer_records
from hubbooks.domain.invoicing.deal_sync import RecordRef, converge_records
from hubbooks.domain.invoicing.live_ports import LiveCompanies, PortalCrm
from hubbooks.domain.invoicing.note_markers import marker_paragraph, notes_carrying
from hubbooks.domain.invoicing.payments import note_timestamp
from hubbooks.domain.invoicing.ports import InvoiceLinks
from hubbooks.models.changes import AppliedChanges, CompanyScope, EntityChange
from hubbooks.models.credits import CreditKind, CustomerCredit, QboCredit
from hubbooks.models.invoicing import HubSpotObjectType

if TYPE_CHECKING:
    from hubbooks.domain.sync.ports import SyncLinkStore

CreditParser = Callable[[Mapping[str, Any], CreditKind, str], QboCredit]


class CustomerCredits(Protocol):
    def for_object(self, portal_id: int, object_type: HubSpotObjectType, object_id: str) -> list[CustomerCredit]: ...
    def for_realm(self, portal_id: int, realm_id: str) -> list[CustomerCredit]: ...
    def save(self, credit: CustomerCredit) -> None: ...
    def delete(self, credit: CustomerCredit) -> None: ...


def credit_marker(kind: CreditKind, realm_id: str, txn_id: str) -> str:
    return f"qbo-{kind.qbo_entity.lower()}-{realm_id}-{txn_id}"


def credit_note_body(credit: QboCredit, realm_id: str) -> str:
    """HTML for hs_note_body; every value from QuickBooks is escaped. The marker paragraph comes last."""
    e = html.escape
    title = "Credit memo in QuickBooks" if credit.kind is CreditKind.CREDIT_MEMO else "Refund in QuickBooks"
    rows = [f"Number: {e(credit.doc_number or credit.id)}", f"Amount: {credit.total:,.2f} {e(credit.currency)}",
            f"Date: {credit.txn_date.isoformat()}"]
    if credit.kind is CreditKind.CREDIT_MEMO:
        rows.append(f"Not yet applied: {credit.unapplied:,.2f} {e(credit.currency)}")
    if credit.customer_name:
        rows.append(f"Customer: {e(credit.customer_name)}")
    return (f"<p><strong>{title}</strong></p>" + "".join(f"<p>{row}</p>" for row in rows)
            + marker_paragraph(credit_marker(credit.kind, realm_id, credit.id)))


def _snapshot(item: CustomerCredit, credit: QboCredit) -> CustomerCredit:
    return item.model_copy(update={
        "doc_number": credit.doc_number, "customer_id": credit.customer_id, "customer_name": credit.customer_name,
        "txn_date": credit.txn_date, "total": credit.total, "unapplied": credit.unapplied,
        "currency": credit.currency, "exchange_rate": credit.exchange_rate, "home_currency": credit.home_currency,
        "last_updated": credit.last_updated})


def _record(item: CustomerCredit) -> RecordRef:
    return item.object_type, item.object_id


class CustomerCreditApplier:
    """The change engine's applier for one credit entity (CreditMemo or RefundReceipt). `inner` runs first: for
    credit memos, the applier that refreshes the invoices a memo was applied to."""

    def __init__(self, *, kind: CreditKind, credits: CustomerCredits, links: InvoiceLinks, sync_links: SyncLinkStore,
                 state: AutoLinkState, companies: LiveCompanies, crm: Callable[[int], PortalCrm],
                 clock: Callable[[], datetime], parse: CreditParser, inner: ChangeApplier | None = None) -> None:
        self.entity = kind.qbo_entity
        self._kind = kind
        self._credits = credits
        self._links = links
        self._sync_links = sync_links
        self._state = state
        self._companies = companies
        self._crm = crm
        self._clock = clock
        self._parse = parse
        self._inner = inner

    def apply(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> AppliedChanges:
        inner = self._inner.apply(scope, changes) if self._inner is not None else None
        outcome = self._place(scope, changes)
        return AppliedChanges(entity=self.entity, received=len(changes),
                              outcome="; ".join(filter(None, [inner.outcome if inner else "", outcome])))

    def after_full_read(self, scope: CompanyScope, seen_ids: AbstractSet[str]) -> AppliedChanges:
        inner = self._inner.after_full_read(scope, seen_ids) if self._inner is not None else None
        gone = sorted({c.txn_id for c in self._credits.for_realm(scope.portal_id, scope.realm_id)
                       if c.kind is self._kind and c.txn_id not in seen_ids})
        outcome = self._place(scope, [EntityChange(entity=self.entity, entity_id=i, current=None) for i in gone]) \
            if gone else ""
        return AppliedChanges(entity=self.entity, received=0,
                              outcome="; ".join(filter(None, [inner.outcome if inner else "", outcome])))

    def _place(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> str:
        placed: dict[str, list[CustomerCredit]] = {}
        for item in self._credits.for_realm(scope.portal_id, scope.realm_id):
            if item.kind is self._kind:
                placed.setdefault(item.txn_id, []).append(item)
        since = self._state.enabled_since(scope.portal_id, scope.realm_id)
        wanted = [c for c in changes if c.entity_id in placed or (since is not None and c.current is not None)]
        if not wanted:
            return ""
        home = self._companies.open(scope.portal_id, scope.realm_id).profile().home_currency
        current = {c.entity_id: self._parse(c.current, self._kind, home) for c in wanted if c.current is not None}
        arrived = {i: credit for i, credit in current.items()
                   if i in placed or (since is not None and credit.last_updated >= since - CLOCK_MARGIN)}
        targets = customer_records(portal_id=scope.portal_id, realm_id=scope.realm_id,
                                   customer_ids=[c.customer_id for c in arrived.values()],
                                   realm_links=self._links.for_realm(scope.portal_id, scope.realm_id),
                                   sync_links=self._sync_links) if arrived else {}
        crm = self._crm(scope.portal_id)
        touched: set[RecordRef] = set()
        shown = removed = 0
        for change in wanted:
            items = placed.get(change.entity_id, [])
            credit = arrived.get(change.entity_id)
            if change.current is None:  # deleted in QuickBooks: off the records and their timelines
                for note_id in {i.note_id for i in items if i.note_id}:
                    crm.archive_note(note_id)
                for item in items:
                    self._credits.delete(item)
                    touched.add(_record(item))
                removed += bool(items)
                continue
            if credit is None:
                continue
            records = sorted({_record(i) for i in items} | targets.get(credit.customer_id, set()),
                             key=lambda r: (r[0].value, r[1]))
            if not records:
                continue
            shown += 1
            if ({_record(i) for i in items} == set(records) and all(i.note_id for i in items)
                    and all(_snapshot(i, credit) == i for i in items)):
                continue  # seen again (reconciliation overlaps, webhooks repeat): nothing to write
            note_id = self._note(crm, scope.realm_id, credit, records, items)
            now = self._clock()
            by_record = {_record(i): i for i in items}
            for object_type, object_id in records:
                base = by_record.get((object_type, object_id)) or CustomerCredit(
                    portal_id=scope.portal_id, realm_id=scope.realm_id, kind=self._kind, txn_id=credit.id,
                    object_type=object_type, object_id=object_id, customer_id=credit.customer_id,
                    txn_date=credit.txn_date, total=credit.total, unapplied=credit.unapplied,
                    currency=credit.currency, last_updated=credit.last_updated, placed_at=now)
                fresh = _snapshot(base, credit).model_copy(update={"note_id": note_id})
                if fresh != by_record.get((object_type, object_id)):
                    self._credits.save(fresh)
                    touched.add((object_type, object_id))
        if touched:
            converge_records(portal_id=scope.portal_id, records=touched, links=self._links, crm=crm)
        parts = []
        if shown:
            parts.append(f"{shown} {self._kind.label.lower()}(s) on their customers' contacts and companies")
        if removed:
            parts.append(f"{removed} deleted in QuickBooks and taken off")
        return ", ".join(parts)

    def _note(self, crm: PortalCrm, realm_id: str, credit: QboCredit, records: Sequence[RecordRef],
              items: Iterable[CustomerCredit]) -> str:
        """The credit's one timeline note: updated where it exists, looked for by its marker before it is created
        (a create whose answer was lost already made it)."""
        body = credit_note_body(credit, realm_id)
        when = note_timestamp(credit.txn_date)
        for note_id in dict.fromkeys(i.note_id for i in items if i.note_id):
            if note_id and crm.update_note(note_id, body, when):
                return note_id
        found = notes_carrying(crm.notes_on_records(records), credit_marker(credit.kind, realm_id, credit.id))
        if found:
            crm.update_note(found[0], body, when)
            return found[0]
        return crm.create_record_note(body, when, records)
