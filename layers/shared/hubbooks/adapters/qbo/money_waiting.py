"""A company's money waiting for the finance user, read from QuickBooks with one paged query per entity type:
payments in Undeposited Funds less those a Deposit links, and bills with an open balance.

QuickBooks keeps a deposited payment's DepositToAccountRef on Undeposited Funds; only the Deposit's lines (LinkedTxn
of type Payment) say it left, so the deposits since the oldest candidate are read too.
"""

# ruff: noqa: S608 - QuickBooks queries, not SQL: dates are ISO strings quoted for QuickBooks.

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hubbooks.adapters.qbo.client import QboClient, quote_literal
from hubbooks.domain.invoicing.cents import to_cents
from hubbooks.models.money_waiting import UndepositedPayment, UnpaidBill

UNDEPOSITED_FUNDS = "UndepositedFunds"  # Account.AccountSubType


def _ref(raw: Any, key: str) -> str | None:
    return str(raw[key]) if isinstance(raw, dict) and raw.get(key) not in (None, "") else None


def _date(raw: Any) -> date | None:
    try:
        return date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        return None


def _cents(raw: Any) -> Decimal:
    return to_cents(Decimal(str(raw))) if raw not in (None, "") else to_cents(Decimal(0))


class QboMoneyWaiting:
    def __init__(self, client: QboClient, home_currency: str) -> None:
        self._client = client
        self._home_currency = home_currency

    def _undeposited_funds_accounts(self) -> set[str]:
        rows = self._client.query_all("SELECT * FROM Account WHERE AccountType = 'Other Current Asset' ORDERBY Id")
        return {str(row["Id"]) for row in rows if row.get("AccountSubType") == UNDEPOSITED_FUNDS and row.get("Id")}

    def undeposited_payments(self, received_on_or_before: date) -> list[UndepositedPayment]:
        accounts = self._undeposited_funds_accounts()
        if not accounts:
            return []
        candidates: dict[str, UndepositedPayment] = {}
        for row in self._client.query_all("SELECT * FROM Payment WHERE TxnDate <= "
                                          f"{quote_literal(received_on_or_before.isoformat())} ORDERBY Id"):
            received_on = _date(row.get("TxnDate"))
            amount = _cents(row.get("TotalAmt"))
            if _ref(row.get("DepositToAccountRef"), "value") not in accounts or received_on is None or amount <= 0:
                continue  # deposited straight to a bank account, or voided (QuickBooks zeroes a voided payment)
            candidates[str(row["Id"])] = UndepositedPayment(
                id=str(row["Id"]), received_on=received_on, amount=amount,
                currency=_ref(row.get("CurrencyRef"), "value") or self._home_currency,
                customer_name=_ref(row.get("CustomerRef"), "name"),
                reference=str(row["PaymentRefNum"]) if row.get("PaymentRefNum") else None)
        if not candidates:
            return []
        oldest = min(p.received_on for p in candidates.values())
        for deposit in self._client.query_all(f"SELECT * FROM Deposit WHERE TxnDate >= "
                                              f"{quote_literal(oldest.isoformat())} ORDERBY Id"):
            for line in deposit.get("Line") or []:
                for link in (line.get("LinkedTxn") or []) if isinstance(line, dict) else []:
                    if isinstance(link, dict) and link.get("TxnType") == "Payment":
                        candidates.pop(str(link.get("TxnId")), None)
        return sorted(candidates.values(), key=lambda p: (p.received_on, p.id))

    def unpaid_bills(self, due_on_or_before: date) -> list[UnpaidBill]:
        bills = []
        for row in self._client.query_all("SELECT * FROM Bill WHERE Balance > '0' AND DueDate <= "
                                          f"{quote_literal(due_on_or_before.isoformat())} ORDERBY Id"):
            due = _date(row.get("DueDate"))
            balance = _cents(row.get("Balance"))
            if due is None or balance <= 0:
                continue
            bills.append(UnpaidBill(id=str(row["Id"]), due_date=due, balance=balance,
                                    currency=_ref(row.get("CurrencyRef"), "value") or self._home_currency,
                                    vendor_name=_ref(row.get("VendorRef"), "name"),
                                    doc_number=str(row["DocNumber"]) if row.get("DocNumber") else None))
        return sorted(bills, key=lambda b: (b.due_date, b.id))
