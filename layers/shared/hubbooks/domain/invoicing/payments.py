"""A QuickBooks payment on the deal timeline: refresh the invoices it pays, then one HubSpot note per payment,
created once and updated whenever QuickBooks reports the payment again (edited, voided, deleted, redelivered)."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal

from hubbooks.domain.errors import UpstreamError
from hubbooks.domain.invoicing.live_ports import LiveCompanies, PaymentNotes, PortalCrm
from hubbooks.domain.invoicing.live_status import InvoiceRefresh, refresh_invoices
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


def _invoice_label(invoice_id: str, invoices: dict[str, QboInvoice]) -> str:
    found = invoices.get(invoice_id)
    return f"invoice {found.doc_number}" if found is not None and found.doc_number else f"invoice id {invoice_id}"


def note_body(payment: QboPayment, invoices: dict[str, QboInvoice]) -> str:
    """HTML for hs_note_body; every value from QuickBooks is escaped."""
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
    return f"<p><strong>{title}</strong></p><p>{'<br>'.join(rows)}</p>"


DELETED_MARK = "<p><strong>This payment was deleted in QuickBooks.</strong></p>"


def deleted_note_body(previous: str | None) -> str:
    """Kept on the timeline, marked, rather than removed: the deal's history shows the money came and went."""
    previous = previous or ""
    return previous if previous.startswith(DELETED_MARK) else DELETED_MARK + previous


def _write_note(*, portal_id: int, realm_id: str, payment_id: str, body: str, when: datetime | None,
                deal_ids: Sequence[str], invoice_ids: Sequence[str], existing: PaymentNote | None,
                notes: PaymentNotes, crm: PortalCrm, now: datetime) -> str:
    # If someone deleted the note in HubSpot the update fails; the payment still belongs on the timeline, so it
    # gets a new note below.
    if existing is not None and existing.note_id and crm.update_note(existing.note_id, body, when):
        new_deals = [deal for deal in deal_ids if deal not in existing.deal_ids]
        if new_deals:
            crm.attach_note(existing.note_id, new_deals)
        notes.save(existing.model_copy(update={
            "deal_ids": tuple(sorted({*existing.deal_ids, *deal_ids})),
            "invoice_ids": tuple(sorted({*existing.invoice_ids, *invoice_ids})), "body": body, "updated_at": now}))
        return f"note {existing.note_id} updated"
    if not deal_ids or when is None:
        return "no deal to note it on"
    first_note = existing is None or not existing.note_id
    if first_note and not notes.claim(portal_id, realm_id, payment_id, now):
        raise PaymentNoteBusyError(f"The note for QuickBooks payment {payment_id} is being created by another worker.")
    note_id = crm.create_note(body, when, deal_ids)
    notes.save(PaymentNote(portal_id=portal_id, realm_id=realm_id, payment_id=payment_id, note_id=note_id,
                           deal_ids=tuple(sorted(deal_ids)), invoice_ids=tuple(sorted(invoice_ids)), body=body,
                           claimed_at=now, updated_at=now))
    return f"note {note_id} created on deal(s) {', '.join(sorted(deal_ids))}"


def record_payment(*, portal_id: int, realm_id: str, payment_id: str, links: InvoiceLinks, companies: LiveCompanies,
                   crm: Callable[[], PortalCrm], notes: PaymentNotes, clock: Callable[[], datetime]) -> str:
    """Refresh the invoices the payment applies to (and those it applied to before an edit), then note it on their
    deals. Returns a one-line outcome for the log."""
    company = companies.open(portal_id, realm_id)
    payment = company.payment(payment_id)
    existing = notes.get(portal_id, realm_id, payment_id)
    earlier = list(existing.invoice_ids) if existing else []
    if payment is None:
        if existing is None:
            return "payment not in QuickBooks and never noted"
        refresh_invoices(portal_id=portal_id, realm_id=realm_id, invoice_ids=earlier, links=links,
                         companies=companies, crm=crm, clock=clock, company=company)
        if not existing.note_id:
            return "payment deleted before its note was written"
        return "payment deleted: " + _write_note(
            portal_id=portal_id, realm_id=realm_id, payment_id=payment_id, body=deleted_note_body(existing.body),
            when=None, deal_ids=(), invoice_ids=(), existing=existing, notes=notes, crm=crm(), now=clock())
    refresh: InvoiceRefresh = refresh_invoices(
        portal_id=portal_id, realm_id=realm_id, invoice_ids=[*payment.invoice_ids, *earlier], links=links,
        companies=companies, crm=crm, clock=clock, company=company)
    deal_ids = refresh.deals_of(payment.invoice_ids)
    if not deal_ids and existing is None:
        return f"invoices: {refresh.describe()}; payment not on any deal"
    outcome = _write_note(portal_id=portal_id, realm_id=realm_id, payment_id=payment_id,
                          body=note_body(payment, refresh.invoices), when=note_timestamp(payment.txn_date),
                          deal_ids=deal_ids, invoice_ids=payment.invoice_ids, existing=existing, notes=notes,
                          crm=crm(), now=clock())
    return f"invoices: {refresh.describe()}; {outcome}"
