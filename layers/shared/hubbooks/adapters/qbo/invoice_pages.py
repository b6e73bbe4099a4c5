"""QuickBooks invoices of a date range, page by page, for the invoice backfill (a count first, to show progress)."""

# ruff: noqa: S608 - QuickBooks queries, not SQL: dates are ISO strings quoted for QuickBooks, numbers are ints.

from __future__ import annotations

from datetime import date

from hubbooks.adapters.qbo.client import MAX_QUERY_RESULTS, QboClient, quote_literal
from hubbooks.adapters.qbo.invoicing import invoice_from
from hubbooks.models.invoicing import QboInvoice


def _dated(date_from: date, date_to: date) -> str:
    return f"TxnDate >= {quote_literal(date_from.isoformat())} AND TxnDate <= {quote_literal(date_to.isoformat())}"


class QboInvoicePages:
    def __init__(self, client: QboClient, home_currency: str) -> None:
        self._client = client
        self._home_currency = home_currency

    def count(self, date_from: date, date_to: date) -> int:
        return self._client.count("Invoice", _dated(date_from, date_to))

    def page(self, date_from: date, date_to: date, start: int, size: int) -> list[QboInvoice]:
        if not 1 <= size <= MAX_QUERY_RESULTS or start < 1:
            raise ValueError("pages start at 1 and hold 1 to 1000 invoices")
        answer = self._client.query(f"SELECT * FROM Invoice WHERE {_dated(date_from, date_to)} ORDERBY Id "
                                    f"STARTPOSITION {int(start)} MAXRESULTS {int(size)}")
        return [invoice_from(row, self._home_currency) for row in answer.get("Invoice") or []
                if isinstance(row, dict)]
