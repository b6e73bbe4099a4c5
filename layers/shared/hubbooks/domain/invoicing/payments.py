"""A QuickBooks payment on the deal timeline: refresh the invoices it pays, then one HubSpot note per payment,
created once and updated whenever QuickBooks reports the payment again (edited, voided, deleted, redelivered)."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import NamedTuple

from hubbooks.domain.errors import UpstreamError
from hubbooks.domain.invoicing.live_ports import LiveCompanies, LiveCompany, PaymentNotes, PortalCrm
from hubbooks.domain.invoicing.live_status import InvoiceRefresh, refresh_invoices
from hubbooks.domain.invoicing.note_markers import (
    carries,
    is_unmarked_copy,
    marker_paragraph,
    notes_carrying,
    payment_note_marker,
)
from hubbooks.domain.invoicing.ports import InvoiceLinks
from hubbooks.models.invoicing import QboInvoice
from hubbooks.models.payments import PaymentNote, QboPayment


class PaymentNoteBusyError(UpstreamError):
    """Another worker is creating this payment's note right now; retrying later updates that note instead."""

    code = "payment_note_busy"


def note_timestamp(payment_date: date) -> datetime:
    # Noon UTC falls on the same calendar day from UTC-11 to UTC+11, so the timeline shows the payment's own date.
    return datetime.combine(payment_date, time(12), UTC)


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def _invoice_label(invoice_id: str, invoices: Mapping[str, QboInvoice]) -> str:
    found = invoices.get(invoice_id)
    return f"invoice {found.doc_number}" if found is not None and found.doc_number else f"invoice id {invoice_id}"


def note_body(payment: QboPayment, invoices: Mapping[str, QboInvoice], marker: str = "") -> str:
    """HTML for hs_note_body; every value from QuickBooks is escaped. The marker paragraph comes last."""
    e = html.escape
    title = "Payment voided in QuickBooks" if payment.voided else "Payment received in QuickBooks"
    rows = [f"Amount: {e(_money(payment.total, payment.currency))}", f"Date: {payment.txn_date.isoformat()}"]
    rows += [f"Applied to {e(_invoice_label(a.invoice_id, invoices))}: {e(_money(a.amount, payment.currency))}"
             for a in payment.applied]
    if payment.customer_name:
        rows.append(f"Customer: {e(payment.customer_name)}")
    if payment.method:
        rows.append(f"Method: {e(payment.method)}")
    if payment.reference:
        rows.append(f"Reference: {e(payment.reference)}")
    return f"<p><strong>{title}</strong></p><p>{'<br>'.join(rows)}</p>" + (marker_paragraph(marker) if marker else "")


DELETED_MARK = "<p><strong>This payment was deleted in QuickBooks.</strong></p>"


def deleted_note_body(previous: str | None) -> str:
    """Kept on the timeline, marked, rather than removed: the deal's history shows the money came and went."""
    previous = previous or ""
    return previous if previous.startswith(DELETED_MARK) else DELETED_MARK + previous


def _duplicates(crm: PortalCrm, deal_ids: Sequence[str], keep: str, marker: str,
                payment: QboPayment | None) -> list[str]:
    """Other notes on the deals recording the same payment: carrying its marker, or unmarked copies from before."""
    bodies = crm.notes_on_deals(deal_ids)
    return [note_id for note_id, body in bodies.items()
            if note_id != keep and (carries(body, marker) or is_unmarked_copy(body, payment))]


def _write_note(*, portal_id: int, realm_id: str, payment_id: str, body: str, when: datetime | None,
                deal_ids: Sequence[str], invoice_ids: Sequence[str], existing: PaymentNote | None,
                notes: PaymentNotes, crm: PortalCrm, now: datetime, payment: QboPayment | None = None) -> str:
    marker = payment_note_marker(realm_id, payment_id)
    # If someone deleted the note in HubSpot the update fails; the payment still belongs on the timeline, so it
    # gets a new note below.
    if existing is not None and existing.note_id and crm.update_note(existing.note_id, body, when):
        new_deals = [deal for deal in deal_ids if deal not in existing.deal_ids]
        if new_deals:
            crm.attach_note(existing.note_id, new_deals)
        all_deals = sorted({*existing.deal_ids, *deal_ids})
        archived: list[str] = []
        if not existing.duplicates_checked and all_deals:  # once per note: copies earlier versions left behind
            archived = _duplicates(crm, all_deals, existing.note_id, marker, payment)
            for note_id in archived:
                crm.archive_note(note_id)
        notes.save(existing.model_copy(update={
            "deal_ids": tuple(all_deals), "invoice_ids": tuple(sorted({*existing.invoice_ids, *invoice_ids})),
            "body": body, "updated_at": now, "duplicates_checked": True,
            "duplicates_archived": tuple(sorted({*existing.duplicates_archived, *archived}))}))
        return f"note {existing.note_id} updated" + (f", {len(archived)} duplicate(s) archived" if archived else "")
    if not deal_ids or when is None:
        return "no deal to note it on"
    first_note = existing is None or not existing.note_id
    if first_note and not notes.claim(portal_id, realm_id, payment_id, now):
        raise PaymentNoteBusyError(f"The note for QuickBooks payment {payment_id} is being created by another worker.")
    try:
        # A create whose answer was lost may have made the note: look for its marker before creating another.
        found = notes_carrying(crm.notes_on_deals(deal_ids), marker)
        if found:
            note_id, archived = found[0], found[1:]
            crm.update_note(note_id, body, when)
            crm.attach_note(note_id, deal_ids)
            for duplicate in archived:
                crm.archive_note(duplicate)
            verb = "found (its create answer was lost) and updated"
        else:
            note_id, archived = crm.create_note(body, when, deal_ids), []
            verb = "created"
    except Exception:
        if first_note:
            notes.release(portal_id, realm_id, payment_id)  # the retry may claim at once and will find the marker
        raise
    notes.save(PaymentNote(portal_id=portal_id, realm_id=realm_id, payment_id=payment_id, note_id=note_id,
                           deal_ids=tuple(sorted(deal_ids)), invoice_ids=tuple(sorted(invoice_ids)), body=body,
                           claimed_at=now, updated_at=now, duplicates_archived=tuple(archived),
                           duplicates_checked=True))
    return f"note {note_id} {verb} on deal(s) {', '.join(sorted(deal_ids))}"


class PaymentState(NamedTuple):
    """A payment as QuickBooks has it now (None: deleted there), with what we noted about it before."""

    payment_id: str
    payment: QboPayment | None
    existing: PaymentNote | None

    @property
    def invoice_ids(self) -> list[str]:
        """Invoices it applies to now, and those it applied to before an edit (their balances changed too)."""
        now = self.payment.invoice_ids if self.payment is not None else []
        return list(dict.fromkeys([*now, *(self.existing.invoice_ids if self.existing else ())]))


def _note_payment(state: PaymentState, refresh: InvoiceRefresh, *, portal_id: int, realm_id: str,
                  notes: PaymentNotes, crm: Callable[[], PortalCrm], now: datetime) -> str:
    payment, existing = state.payment, state.existing
    if payment is None:
        if existing is None:
            return "payment not in QuickBooks and never noted"
        if not existing.note_id:
            return "payment deleted before its note was written"
        return "payment deleted: " + _write_note(
            portal_id=portal_id, realm_id=realm_id, payment_id=state.payment_id, body=deleted_note_body(existing.body),
            when=None, deal_ids=(), invoice_ids=(), existing=existing, notes=notes, crm=crm(), now=now)
    deal_ids = refresh.deals_of(payment.invoice_ids)
    if not deal_ids and existing is None:
        return f"invoices: {refresh.describe()}; payment not on any deal"
    outcome = _write_note(portal_id=portal_id, realm_id=realm_id, payment_id=state.payment_id,
                          body=note_body(payment, refresh.invoices, payment_note_marker(realm_id, state.payment_id)),
                          when=note_timestamp(payment.txn_date), deal_ids=deal_ids, invoice_ids=payment.invoice_ids,
                          existing=existing, notes=notes, crm=crm(), now=now, payment=payment)
    return f"invoices: {refresh.describe()}; {outcome}"


def apply_payments(*, portal_id: int, realm_id: str, payments: Mapping[str, QboPayment | None], links: InvoiceLinks,
                   companies: LiveCompanies, crm: Callable[[], PortalCrm], notes: PaymentNotes,
                   clock: Callable[[], datetime], company: LiveCompany | None = None) -> dict[str, str]:
    """Payments as QuickBooks has them now (None: deleted): first every invoice they touch, refreshed together (one
    query, one HubSpot batch read), then one note per payment created or brought up to date. Returns an outcome per
    payment. Raises on the first failure, after the invoices are in line (a retry finds less to do)."""
    states = [PaymentState(payment_id, payment, notes.get(portal_id, realm_id, payment_id))
              for payment_id, payment in payments.items()]
    invoice_ids = list(dict.fromkeys(i for state in states for i in state.invoice_ids))
    portal_crm = _Once(crm)
    refresh = refresh_invoices(portal_id=portal_id, realm_id=realm_id, invoice_ids=invoice_ids, links=links,
                               companies=companies, crm=portal_crm, clock=clock, company=company)
    now = clock()
    return {state.payment_id: _note_payment(state, refresh, portal_id=portal_id, realm_id=realm_id, notes=notes,
                                            crm=portal_crm, now=now) for state in states}


class _Once:
    """Builds the portal's HubSpot client on first use only, then hands out the same one."""

    def __init__(self, build: Callable[[], PortalCrm]) -> None:
        self._build = build
        self._crm: PortalCrm | None = None

    def __call__(self) -> PortalCrm:
        if self._crm is None:
            self._crm = self._build()
        return self._crm


def record_payment(*, portal_id: int, realm_id: str, payment_id: str, links: InvoiceLinks, companies: LiveCompanies,
                   crm: Callable[[], PortalCrm], notes: PaymentNotes, clock: Callable[[], datetime]) -> str:
    """One payment, read from QuickBooks now: refresh the invoices it pays (and those it paid before an edit), then
    note it on their deals. Returns a one-line outcome for the log."""
    company = companies.open(portal_id, realm_id)
    current = {payment_id: company.payment(payment_id)}
    outcomes = apply_payments(portal_id=portal_id, realm_id=realm_id, payments=current, links=links,
                              companies=companies, crm=crm, notes=notes, clock=clock, company=company)
    return outcomes[payment_id]
