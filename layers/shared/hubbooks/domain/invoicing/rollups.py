"""Totals across every invoice linked to a deal, contact or company, in the HubSpot account's company currency.

An invoice in another currency counts through the exchange rate QuickBooks recorded on it (ExchangeRate converts the
invoice's currency into the QuickBooks company's home currency), so it is included whenever the HubSpot currency is
either the invoice's own or that home currency. An invoice in a third currency cannot be converted from what
QuickBooks recorded; it is left out and counted in `unconverted`, never guessed.

Credit memos and refunds of a contact's or company's customer lower its totals the same way: a memo's credit not yet
applied to an invoice counts against the outstanding balance (applied credit already lowered the invoices'
balances), and a refund, money paid back, against the total paid.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from hubbooks.domain.invoicing.cents import to_cents
from hubbooks.models.credits import CreditKind, CustomerCredit
from hubbooks.models.invoicing import InvoiceLink, InvoiceStatus

# Internal names of the roll-up properties, the same on deals, contacts and companies.
TOTAL_INVOICED = "hubbooks_total_invoiced"
TOTAL_PAID = "hubbooks_total_paid"
OUTSTANDING = "hubbooks_outstanding_balance"
OVERDUE_AMOUNT = "hubbooks_overdue_amount"
OVERDUE_COUNT = "hubbooks_overdue_invoices"
LAST_PAYMENT_DATE = "hubbooks_last_payment_date"
ROLLUP_PROPERTY_NAMES = (TOTAL_INVOICED, TOTAL_PAID, OUTSTANDING, OVERDUE_AMOUNT, OVERDUE_COUNT, LAST_PAYMENT_DATE)

_ZERO = Decimal(0)


class Rollup(NamedTuple):
    total_invoiced: Decimal = _ZERO
    total_paid: Decimal = _ZERO
    outstanding: Decimal = _ZERO
    overdue_amount: Decimal = _ZERO
    overdue_count: int = 0
    last_payment_date: date | None = None
    counted: int = 0
    unconverted: int = 0

    def properties(self) -> dict[str, str]:
        return {TOTAL_INVOICED: f"{self.total_invoiced:.2f}", TOTAL_PAID: f"{self.total_paid:.2f}",
                OUTSTANDING: f"{self.outstanding:.2f}", OVERDUE_AMOUNT: f"{self.overdue_amount:.2f}",
                OVERDUE_COUNT: str(self.overdue_count),
                LAST_PAYMENT_DATE: self.last_payment_date.isoformat() if self.last_payment_date else ""}


def rate_into(link: InvoiceLink | CustomerCredit, hubspot_currency: str) -> Decimal | None:
    """Units of the HubSpot currency per unit of the invoice's currency, or None when QuickBooks' record cannot say."""
    target = hubspot_currency.upper()
    if (link.currency or "").upper() == target:
        return Decimal(1)
    if (link.home_currency or "").upper() == target and link.exchange_rate and link.exchange_rate > _ZERO:
        return link.exchange_rate
    return None


def _distinct(links: Iterable[InvoiceLink]) -> list[InvoiceLink]:
    """One entry per invoice: a record links an invoice once, but callers may pass several records' links."""
    seen: dict[tuple[str, str], InvoiceLink] = {}
    for link in links:
        seen.setdefault((link.realm_id, link.invoice_id), link)
    return list(seen.values())


def rollup(links: Iterable[InvoiceLink], hubspot_currency: str, credits: Iterable[CustomerCredit] = ()) -> Rollup:
    """Totals over the links' snapshots; links not yet snapshotted are skipped (the next refresh fills them)."""
    invoiced = paid = outstanding = overdue = _ZERO
    overdue_count = counted = unconverted = 0
    last_payment: date | None = None
    for link in _distinct(links):
        if link.total is None or link.balance is None or link.status is None:
            continue
        if link.last_payment_date and (last_payment is None or link.last_payment_date > last_payment):
            last_payment = link.last_payment_date
        if link.status is InvoiceStatus.VOIDED:
            counted += 1
            continue
        rate = rate_into(link, hubspot_currency)
        if rate is None:
            unconverted += 1
            continue
        counted += 1
        total, balance = to_cents(link.total * rate), to_cents(link.balance * rate)
        invoiced += total
        paid += total - balance
        outstanding += balance
        if link.status is InvoiceStatus.OVERDUE:
            overdue += balance
            overdue_count += 1
    for credit in {(c.realm_id, c.kind, c.txn_id): c for c in credits}.values():
        rate = rate_into(credit, hubspot_currency)
        if rate is None:
            unconverted += 1
            continue
        if credit.kind is CreditKind.CREDIT_MEMO:
            outstanding -= to_cents(credit.unapplied * rate)
        else:
            paid -= to_cents(credit.total * rate)
    return Rollup(total_invoiced=invoiced, total_paid=paid, outstanding=outstanding, overdue_amount=overdue,
                  overdue_count=overdue_count, last_payment_date=last_payment, counted=counted,
                  unconverted=unconverted)
