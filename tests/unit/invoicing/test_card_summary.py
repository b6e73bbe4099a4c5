"""The card's summary line: invoiced, paid, outstanding and overdue in the HubSpot account's currency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hubbooks.domain.invoicing.card import summarise_card
from hubbooks.models.invoice_status import STATUS_LABELS, InvoiceStatus
from hubbooks.models.invoicing_api import InvoiceSummary


def summary(invoice_id: str, status: InvoiceStatus, amount: str, balance: str, currency: str = "USD",
            home: tuple[str, str, str] | None = None) -> InvoiceSummary:
    home_currency, home_amount, home_balance = home if home else (None, None, None)
    return InvoiceSummary(
        realm_id="9130", company_name="Acme", invoice_id=invoice_id, number=invoice_id, customer="Bo",
        invoice_date=date(2026, 3, 1), due_date=date(2026, 3, 31), amount=Decimal(amount), balance=Decimal(balance),
        currency=currency, status=status, status_label=STATUS_LABELS[status], qbo_url="https://qbo.test/x",
        home_currency=home_currency, home_amount=Decimal(home_amount) if home_amount else None,
        home_balance=Decimal(home_balance) if home_balance else None, writes_deal_properties=currency == "USD")


def test_adds_up_paid_outstanding_and_overdue() -> None:
    result = summarise_card([
        summary("1", InvoiceStatus.PAID, "100.00", "0.00"),
        summary("2", InvoiceStatus.PARTIALLY_PAID, "250.00", "50.00"),
        summary("3", InvoiceStatus.OVERDUE, "80.00", "80.00"),
        summary("4", InvoiceStatus.SENT, "20.00", "20.00"),
    ], "USD")
    assert (result.invoiced, result.paid, result.outstanding, result.overdue) == (
        Decimal("450.00"), Decimal("300.00"), Decimal("150.00"), Decimal("80.00"))
    assert (result.invoice_count, result.overdue_count, result.other_currency_count) == (4, 1, 0)
    assert result.currency == "USD"


def test_uses_home_currency_figures_and_leaves_out_what_cannot_be_shown_in_the_account_currency() -> None:
    result = summarise_card([
        summary("1", InvoiceStatus.OVERDUE, "100.00", "100.00", currency="EUR", home=("USD", "110.00", "110.00")),
        summary("2", InvoiceStatus.SENT, "500.00", "500.00", currency="JPY", home=("GBP", "3.00", "3.00")),
        summary("3", InvoiceStatus.VOIDED, "999.00", "0.00"),
    ], "USD")
    assert (result.invoiced, result.outstanding, result.overdue) == (
        Decimal("110.00"), Decimal("110.00"), Decimal("110.00"))
    assert (result.invoice_count, result.overdue_count, result.other_currency_count) == (1, 1, 1)


def test_nothing_linked_is_all_zero() -> None:
    result = summarise_card([], "EUR")
    assert result.invoiced == result.paid == result.outstanding == result.overdue == Decimal("0")
    assert result.invoice_count == 0 and result.currency == "EUR"
