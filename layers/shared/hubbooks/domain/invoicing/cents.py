"""Rounding amounts to cents as QuickBooks does (half up), apart from the invoice totals (totals.py): reading
invoices, payments and credits needs the rounding and none of the totals' computation."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
