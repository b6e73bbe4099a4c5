"""The deal's invoice properties, written from its most recently updated linked invoice.

Only invoices in the HubSpot account's company currency qualify: HubSpot shows a deal's currency properties in that
currency, and writing a euro amount there would read as dollars.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import NamedTuple

from hubbooks.models.invoicing import InvoiceStatus

# Internal names of the deal properties the HubSpot app install creates (labels are for people).
AMOUNT_BILLED = "hubbooks_invoice_amount_billed"
RECIPIENT = "hubbooks_invoice_recipient"
NUMBER = "hubbooks_invoice_number"
STATUS = "hubbooks_invoice_status"
DUE_DATE = "hubbooks_invoice_due_date"
DEAL_PROPERTY_NAMES = (AMOUNT_BILLED, RECIPIENT, NUMBER, STATUS, DUE_DATE)


class InvoiceFacts(NamedTuple):
    """What a deal property can show about one linked invoice."""

    realm_id: str
    invoice_id: str
    doc_number: str | None
    customer_name: str | None
    total: Decimal
    currency: str
    status: InvoiceStatus
    due_date: date | None
    last_updated: datetime


def writes_deal_properties(facts: InvoiceFacts, hubspot_currency: str) -> bool:
    return facts.currency.upper() == hubspot_currency.upper()


def latest_invoice(invoices: Iterable[InvoiceFacts], hubspot_currency: str) -> InvoiceFacts | None:
    eligible = [facts for facts in invoices if writes_deal_properties(facts, hubspot_currency)]
    return max(eligible, key=lambda f: (f.last_updated, f.realm_id, f.invoice_id), default=None)


def deal_properties(invoices: Iterable[InvoiceFacts], hubspot_currency: str) -> dict[str, str] | None:
    """None when no linked invoice qualifies: existing values stay rather than being blanked by a foreign one."""
    facts = latest_invoice(invoices, hubspot_currency)
    if facts is None:
        return None
    return {
        AMOUNT_BILLED: f"{facts.total:.2f}",
        RECIPIENT: facts.customer_name or "",
        NUMBER: facts.doc_number or "",
        STATUS: facts.status.value,
        DUE_DATE: facts.due_date.isoformat() if facts.due_date else "",
    }
