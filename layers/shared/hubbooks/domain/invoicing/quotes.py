"""Starting an invoice from a HubSpot quote: which quotes qualify, and how their line items become QuickBooks lines."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hubbooks.domain.invoicing.customer_matching import normalise_name
from hubbooks.models.invoice_wizard import CrmQuote, QboItem, QuoteLineItem

# HubSpot's published states: approval not needed, or approved. Everything else is still being worked on.
PUBLISHED_STATUSES = frozenset({"APPROVAL_NOT_NEEDED", "APPROVED"})
_REASONS = {
    None: "it is still a draft; publish it in HubSpot first",
    "DRAFT": "it is still a draft; publish it in HubSpot first",
    "PENDING_APPROVAL": "it is waiting for approval",
    "REJECTED": "it was rejected; edit and publish it again",
}


def why_quote_cannot_be_used(quote: CrmQuote, today: date) -> str | None:
    """None when the quote can start an invoice, else the reason in words a salesperson understands."""
    if quote.status not in PUBLISHED_STATUSES:
        return _REASONS.get(quote.status, f"its status is {quote.status}, not published")
    if quote.expiration_date is not None and quote.expiration_date < today:
        return f"it expired on {quote.expiration_date.isoformat()}"
    if not quote.line_items:
        return "it has no line items"
    return None


@dataclass(frozen=True)
class MappedLine:
    source: QuoteLineItem
    item: QboItem
    quantity: Decimal
    rate: Decimal
    description: str


@dataclass(frozen=True)
class UnmappedLine:
    source: QuoteLineItem
    reason: str


def effective_rate(line: QuoteLineItem) -> Decimal:
    """Unit price after the line's discount, so QuickBooks' Amount = Qty x Rate still holds."""
    rate = line.price
    if line.discount_amount:
        rate -= line.discount_amount
    if line.discount_percent:
        rate = rate * (100 - line.discount_percent) / 100
    # QuickBooks keeps unit prices to 7 decimal places; the line amount is rounded to cents later.
    return max(rate.quantize(Decimal("0.0000001")).normalize(), Decimal(0))


def _index(items: Iterable[QboItem]) -> tuple[dict[str, QboItem], dict[str, QboItem]]:
    by_sku: dict[str, QboItem] = {}
    by_name: dict[str, QboItem] = {}
    for item in items:
        if not item.active or item.type in ("Category", "Group"):
            continue  # categories and bundles cannot be sold as a line
        if item.sku:
            by_sku.setdefault(item.sku.strip().casefold(), item)
        by_name.setdefault(normalise_name(item.name), item)
    return by_sku, by_name


def map_quote_lines(quote: CrmQuote, items: Iterable[QboItem]) -> tuple[list[MappedLine], list[UnmappedLine]]:
    """Match each line item to a QuickBooks product by SKU, then by name; report the ones without a match."""
    by_sku, by_name = _index(items)
    mapped: list[MappedLine] = []
    unmapped: list[UnmappedLine] = []
    for line in quote.line_items:
        item = by_sku.get((line.sku or "").strip().casefold()) if line.sku else None
        item = item or by_name.get(normalise_name(line.name))
        if item is None:
            sku = f" or SKU {line.sku}" if line.sku else ""
            unmapped.append(UnmappedLine(source=line, reason=f"No QuickBooks product or service is named "
                                                             f"{line.name!r}{sku}; choose one for this line."))
            continue
        if line.quantity <= 0:
            unmapped.append(UnmappedLine(source=line, reason=f"{line.name!r} has quantity {line.quantity}; "
                                                             "QuickBooks needs a positive quantity."))
            continue
        mapped.append(MappedLine(source=line, item=item, quantity=line.quantity, rate=effective_rate(line),
                                 description=line.description or line.name))
    return mapped, unmapped
