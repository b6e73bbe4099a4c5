"""QuickBooks Payment JSON -> our model: what was paid, when, how, and to which invoices."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hubbooks.domain.invoicing.cents import to_cents
from hubbooks.models.payments import AppliedAmount, QboPayment


def _cents(raw: Any) -> Decimal:
    return to_cents(Decimal(str(raw))) if raw not in (None, "") else to_cents(Decimal(0))


def _ref_value(raw: Any) -> str | None:
    return str(raw["value"]) if isinstance(raw, dict) and raw.get("value") not in (None, "") else None


def applied_amounts(raw: dict[str, Any]) -> tuple[AppliedAmount, ...]:
    """Line[].LinkedTxn of type Invoice; lines linking credit memos or nothing (unapplied money) are left out."""
    applied = []
    for line in raw.get("Line") or []:
        if not isinstance(line, dict):
            continue
        for link in line.get("LinkedTxn") or []:
            if isinstance(link, dict) and link.get("TxnType") == "Invoice" and link.get("TxnId"):
                applied.append(AppliedAmount(invoice_id=str(link["TxnId"]), amount=_cents(line.get("Amount"))))
    return tuple(applied)


def payment_from(raw: dict[str, Any], home_currency: str) -> QboPayment:
    customer = raw.get("CustomerRef") or {}
    method = raw.get("PaymentMethodRef") or {}
    return QboPayment(
        id=str(raw["Id"]), txn_date=date.fromisoformat(str(raw.get("TxnDate"))[:10]) if raw.get("TxnDate")
        else date.today(), total=_cents(raw.get("TotalAmt")),
        currency=_ref_value(raw.get("CurrencyRef")) or home_currency,
        customer_name=customer.get("name") if isinstance(customer, dict) else None,
        method=(method.get("name") or None) if isinstance(method, dict) else None,
        reference=str(raw["PaymentRefNum"]) if raw.get("PaymentRefNum") else None,
        private_note=raw.get("PrivateNote"), applied=applied_amounts(raw))
