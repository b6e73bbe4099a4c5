"""QuickBooks CreditMemo and RefundReceipt JSON -> the credit model (the domain never sees provider payloads)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hubbooks.domain.invoicing.cents import to_cents
from hubbooks.models.credits import CreditKind, QboCredit


def _money(raw: Any) -> Decimal:
    return to_cents(Decimal(str(raw))) if raw not in (None, "") else to_cents(Decimal(0))


def credit_from(raw: dict[str, Any], kind: CreditKind, home_currency: str) -> QboCredit:
    customer = raw.get("CustomerRef") or {}
    updated = (raw.get("MetaData") or {}).get("LastUpdatedTime")
    moment = datetime.fromisoformat(str(updated)) if updated else datetime.now(UTC)
    rate = raw.get("ExchangeRate")
    return QboCredit(
        kind=kind, id=str(raw["Id"]), doc_number=raw.get("DocNumber") or None,
        customer_id=str(customer.get("value", "")), customer_name=customer.get("name"),
        txn_date=date.fromisoformat(str(raw["TxnDate"])[:10]) if raw.get("TxnDate") else moment.date(),
        total=_money(raw.get("TotalAmt")),
        unapplied=_money(raw.get("RemainingCredit")) if kind is CreditKind.CREDIT_MEMO else to_cents(Decimal(0)),
        currency=str((raw.get("CurrencyRef") or {}).get("value") or home_currency),
        exchange_rate=Decimal(str(rate)) if rate not in (None, "") else None, home_currency=home_currency,
        last_updated=moment if moment.tzinfo else moment.replace(tzinfo=UTC))
