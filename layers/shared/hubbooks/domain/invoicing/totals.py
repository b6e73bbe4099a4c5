"""Invoice totals computed the way QuickBooks computes them, so the review step shows what QuickBooks will save.

Each line is Qty x Rate rounded half-up to cents; tax is charged per tax rate on the sum of the line amounts that
carry it (not line by line), each rate's tax rounded once. US companies use automated sales tax: QuickBooks works it
out from addresses on save, so the review shows it as pending rather than guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from hubbooks.domain.invoicing.cents import to_cents
from hubbooks.models.invoice_wizard import TaxCode


def line_amount(quantity: Decimal, rate: Decimal) -> Decimal:
    return to_cents(quantity * rate)


@dataclass(frozen=True)
class PricedLine:
    amount: Decimal
    tax_code_id: str | None


@dataclass(frozen=True)
class TaxShare:
    rate_id: str
    percent: Decimal
    taxable_amount: Decimal
    tax: Decimal


@dataclass(frozen=True)
class Totals:
    subtotal: Decimal
    tax: Decimal | None
    total: Decimal
    tax_shares: tuple[TaxShare, ...]

    @property
    def tax_pending(self) -> bool:
        return self.tax is None


def compute_totals(lines: Iterable[PricedLine], tax_codes: Mapping[str, TaxCode], *, automated_tax: bool) -> Totals:
    priced = list(lines)
    subtotal = sum((line.amount for line in priced), Decimal(0))
    if automated_tax:
        return Totals(subtotal=subtotal, tax=None, total=subtotal, tax_shares=())
    bases: dict[str, Decimal] = {}
    percents: dict[str, Decimal] = {}
    for line in priced:
        code = tax_codes.get(line.tax_code_id or "")
        if code is None or not code.taxable:
            continue
        for share in code.rates:
            bases[share.rate_id] = bases.get(share.rate_id, Decimal(0)) + line.amount
            percents[share.rate_id] = share.percent
    shares = tuple(TaxShare(rate_id=rate_id, percent=percents[rate_id], taxable_amount=base,
                            tax=to_cents(base * percents[rate_id] / 100))
                   for rate_id, base in bases.items())
    tax = sum((share.tax for share in shares), Decimal(0))
    return Totals(subtotal=subtotal, tax=tax, total=subtotal + tax, tax_shares=shares)
