"""Totals as QuickBooks computes them, and due dates from payment terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from hubbooks.domain.invoicing.dates import company_time_zone, due_date_for
from hubbooks.domain.invoicing.totals import PricedLine, compute_totals, line_amount
from hubbooks.models.invoice_wizard import PaymentTerm
from tests.unit.invoicing.fakes import GB_TAX_CODES

CODES = {c.id: c for c in GB_TAX_CODES}


def test_line_amounts_round_half_up_to_cents() -> None:
    assert line_amount(Decimal("3"), Decimal("0.335")) == Decimal("1.01")  # 1.005 -> 1.01, not banker's 1.00
    assert line_amount(Decimal("1.5"), Decimal("19.99")) == Decimal("29.99")  # 29.985 -> 29.99


def test_tax_is_charged_once_per_rate_on_the_summed_lines() -> None:
    # Per line 20% of 0.07 is 0.014 -> 0.01 (0.03 in all); QuickBooks taxes the 0.21 sum once: 0.042 -> 0.04.
    lines = [PricedLine(Decimal("0.07"), "1")] * 3
    totals = compute_totals(lines, CODES, automated_tax=False)
    assert totals.subtotal == Decimal("0.21")
    assert totals.tax == Decimal("0.04")
    assert totals.total == Decimal("0.25")


def test_mixed_rates_and_untaxed_lines() -> None:
    lines = [PricedLine(Decimal("100.00"), "1"), PricedLine(Decimal("50.00"), "2"), PricedLine(Decimal("30.00"), "5")]
    totals = compute_totals(lines, CODES, automated_tax=False)
    assert totals.subtotal == Decimal("180.00")
    assert [(s.rate_id, s.taxable_amount, s.tax) for s in totals.tax_shares] == [
        ("1", Decimal("100.00"), Decimal("20.00")), ("2", Decimal("50.00"), Decimal("2.50"))]
    assert totals.tax == Decimal("22.50") and totals.total == Decimal("202.50")


def test_us_companies_leave_tax_to_quickbooks() -> None:
    totals = compute_totals([PricedLine(Decimal("10.00"), None)], {}, automated_tax=True)
    assert totals.tax is None and totals.tax_pending and totals.total == Decimal("10.00")


@pytest.mark.parametrize(("term", "invoice_date", "due"), [
    (PaymentTerm(id="3", name="Net 30", due_days=30), date(2026, 1, 31), date(2026, 3, 2)),
    (PaymentTerm(id="1", name="Due on receipt", due_days=0), date(2026, 1, 31), date(2026, 1, 31)),
    (PaymentTerm(id="8", name="15th", day_of_month_due=15), date(2026, 1, 10), date(2026, 1, 15)),
    (PaymentTerm(id="8", name="15th", day_of_month_due=15), date(2026, 1, 20), date(2026, 2, 15)),
    (PaymentTerm(id="8", name="15th", day_of_month_due=15, due_next_month_days=10), date(2026, 1, 10),
     date(2026, 2, 15)),
    (PaymentTerm(id="9", name="End of month", day_of_month_due=31), date(2026, 2, 3), date(2026, 2, 28)),
    (PaymentTerm(id="8", name="15th", day_of_month_due=15), date(2026, 12, 20), date(2027, 1, 15)),
])
def test_due_dates(term: PaymentTerm, invoice_date: date, due: date) -> None:
    assert due_date_for(term, invoice_date) == due


def test_company_time_zones() -> None:
    assert company_time_zone("GB") == "Europe/London"
    assert company_time_zone("USA") == "America/Los_Angeles"
    assert company_time_zone("ZZ") == "UTC"
