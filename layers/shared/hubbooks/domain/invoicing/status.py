"""An invoice's status, derived from QuickBooks' own fields and today's date in the company's time zone.

QuickBooks has no status field: a void zeroes the amounts and notes "Voided", payments lower Balance, sending sets
EmailStatus/DeliveryInfo, and "overdue" is only Balance > 0 with DueDate before today.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hubbooks.models.invoicing import InvoiceStatus, QboInvoice

_ZERO = Decimal(0)


def is_voided(invoice: QboInvoice) -> bool:
    note = (invoice.private_note or "").strip().lower()
    return invoice.total == _ZERO and invoice.balance == _ZERO and note.startswith("voided")


def has_payments(invoice: QboInvoice) -> bool:
    """Something was paid against it (QuickBooks lowers Balance as payments and credits are applied)."""
    return invoice.balance < invoice.total


def voidable(invoice: QboInvoice) -> bool:
    """Voiding a paid or part-paid invoice would strand its payments, so only untouched invoices qualify."""
    return not is_voided(invoice) and not has_payments(invoice)


def was_sent(invoice: QboInvoice) -> bool:
    # A printed-and-posted invoice reached the customer too; QuickBooks marks that with PrintComplete.
    return (invoice.email_status == "EmailSent" or invoice.delivered_at is not None
            or invoice.print_status == "PrintComplete")


def derive_status(invoice: QboInvoice, today: date) -> InvoiceStatus:
    """Voided, then paid, then overdue (it needs action even when partly paid), then partly paid, sent, waiting."""
    if is_voided(invoice):
        return InvoiceStatus.VOIDED
    if invoice.balance <= _ZERO:
        return InvoiceStatus.PAID
    if invoice.due_date is not None and invoice.due_date < today:
        return InvoiceStatus.OVERDUE
    if invoice.balance < invoice.total:
        return InvoiceStatus.PARTIALLY_PAID
    if was_sent(invoice):
        return InvoiceStatus.SENT
    return InvoiceStatus.WAITING_TO_BE_SENT


def today_in(time_zone: str, now: datetime | None = None) -> date:
    """The calendar date in the company's zone: an invoice due "today" is not overdue until the company's midnight."""
    moment = now or datetime.now(UTC)
    try:
        zone = ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return moment.astimezone(zone).date()
