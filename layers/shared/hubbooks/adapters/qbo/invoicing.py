"""The invoicing ports over the QuickBooks client: queries written once here, JSON mapped to our models, and QBO
faults translated into errors a salesperson can act on (QBO's own wording never reaches the card verbatim).

What live status, reminders and the card read (profiles, invoices, payments; sending and voiding); the wizard's
customers, products, tax codes, terms, search and create are in adapters/qbo/invoice_wizard.py."""

# ruff: noqa: S608 - these are QuickBooks queries, not SQL; every literal goes through quoted(), ints are ints.

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.client import QboClient
from hubbooks.adapters.qbo.factory import qbo_token_manager, qbo_transport
from hubbooks.adapters.qbo.payments import payment_from
from hubbooks.adapters.qbo.tokens import ManagedTokens
from hubbooks.adapters.qbo.transport import QboRequest, QboTransport
from hubbooks.config import get_settings
from hubbooks.domain.auth.token_manager import TokenManager
from hubbooks.domain.connect.qbo_company import is_sandbox_api
from hubbooks.domain.errors import ConflictError, UpstreamError
from hubbooks.domain.invoicing.cents import to_cents
from hubbooks.domain.invoicing.dates import company_time_zone
from hubbooks.domain.invoicing.errors import CompanyNotConnectedError, QuickBooksRejectedError, RecordNotFoundError
from hubbooks.domain.invoicing.ports import ConnectedCompany
from hubbooks.domain.qbo_errors import (
    QboDuplicateDocNumberError,
    QboObjectNotFoundError,
    QboServerError,
    QboStaleObjectError,
    QboValidationError,
)
from hubbooks.models.connections import QboConnection
from hubbooks.models.invoicing import CompanyProfile, QboInvoice
from hubbooks.models.payments import QboPayment

if TYPE_CHECKING:
    from hubbooks.adapters.qbo.money_waiting import QboMoneyWaiting
    from hubbooks.domain.connect.ports import ConnectionStore

_IDS_PER_QUERY = 200  # keeps `Id IN (...)` inside QuickBooks' URL and result limits
INVOICE_LINK = "invoiceLink"  # the include option that adds InvoiceLink (minorversion 36 and later)


class SendUnconfirmedError(UpstreamError):
    """QuickBooks failed or went silent during a send: it may or may not have e-mailed the customer."""

    code = "send_unconfirmed"
NOT_CONNECTED = ("That QuickBooks company is not connected to this HubSpot account; connect it in the HubBooks "
                 "settings first.")


# ---------------------------------------------------------------- query text

def quoted(value: str) -> str:
    """A QBO query string literal (single quotes, backslash-escaped)."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def id_list(ids: Sequence[str]) -> str:
    return "(" + ", ".join(quoted(i) for i in ids) + ")"


# ---------------------------------------------------------------- JSON -> models

def ref_value(raw: Any) -> str | None:
    return str(raw["value"]) if isinstance(raw, dict) and raw.get("value") not in (None, "") else None


def decimal_of(raw: Any) -> Decimal | None:
    return None if raw in (None, "") else Decimal(str(raw))


def _money(raw: Any) -> Decimal | None:
    """QBO sends 540.0 and 540.00 alike; amounts are cents, so they all read as 540.00."""
    value = decimal_of(raw)
    return to_cents(value) if value is not None else None


def _date(raw: Any) -> date | None:
    return date.fromisoformat(str(raw)[:10]) if raw else None


def _datetime(raw: Any) -> datetime | None:
    if not raw:
        return None
    parsed = datetime.fromisoformat(str(raw))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def invoice_from(raw: dict[str, Any], home_currency: str) -> QboInvoice:
    customer = raw.get("CustomerRef") or {}
    return QboInvoice(
        id=str(raw["Id"]), doc_number=raw.get("DocNumber") or None, customer_id=str(customer.get("value", "")),
        customer_name=customer.get("name"), txn_date=_date(raw.get("TxnDate")) or date.today(),
        due_date=_date(raw.get("DueDate")), total=_money(raw.get("TotalAmt")) or to_cents(Decimal(0)),
        balance=_money(raw.get("Balance")) or to_cents(Decimal(0)),
        currency=ref_value(raw.get("CurrencyRef")) or home_currency, exchange_rate=decimal_of(raw.get("ExchangeRate")),
        home_total=_money(raw.get("HomeTotalAmt")), home_balance=_money(raw.get("HomeBalance")),
        email_status=str(raw.get("EmailStatus") or "NotSet"), print_status=str(raw.get("PrintStatus") or "NotSet"),
        delivered_at=_datetime((raw.get("DeliveryInfo") or {}).get("DeliveryTime")),
        private_note=raw.get("PrivateNote"), bill_email=(raw.get("BillEmail") or {}).get("Address"),
        last_updated=_datetime((raw.get("MetaData") or {}).get("LastUpdatedTime")) or datetime.now(UTC),
        sync_token=str(raw["SyncToken"]) if raw.get("SyncToken") not in (None, "") else None,
        payment_link=str(raw["InvoiceLink"]) if raw.get("InvoiceLink") else None,
        home_currency=home_currency,
        payment_ids=tuple(dict.fromkeys(str(txn["TxnId"]) for txn in raw.get("LinkedTxn") or []
                                        if isinstance(txn, dict) and txn.get("TxnType") == "Payment"
                                        and txn.get("TxnId"))),
    )


# ---------------------------------------------------------------- fault translation

def plain_detail(error: QboValidationError) -> str:
    detail = (error.fault_detail or error.fault_message or "").strip()
    for prefix in ("Business Validation Error:", "Business Validation Error"):
        if detail.startswith(prefix):
            detail = detail[len(prefix):].strip()
    return detail


@contextmanager
def translated_faults(action: str) -> Iterator[None]:
    """QBO faults a user can act on become 4xx errors with a sentence about `action`; the rest pass on as 5xx."""
    try:
        yield
    except QboDuplicateDocNumberError as error:
        raise QuickBooksRejectedError(f"Could not {action}: that invoice number is already used in QuickBooks.",
                                      details={"qbo_code": error.fault_code}) from error
    except QboObjectNotFoundError as error:
        raise QuickBooksRejectedError(f"Could not {action}: something it refers to (customer, product, tax rate or "
                                      "terms) no longer exists in QuickBooks or was made inactive. Reload the "
                                      "choices and try again.", details={"qbo_code": error.fault_code}) from error
    except QboValidationError as error:
        detail = plain_detail(error)
        raise QuickBooksRejectedError(f"QuickBooks did not accept this when asked to {action}"
                                      + (f": {detail}" if detail and len(detail) < 300 else "."),
                                      details={"qbo_code": error.fault_code,
                                               "qbo_field": error.element or None}) from error


# ---------------------------------------------------------------- one company

class QboInvoicingCompany:
    def __init__(self, client: QboClient, transport: QboTransport, connection: QboConnection, *, sandbox: bool) -> None:
        self._client = client
        self._transport = transport
        self._connection = connection
        self._sandbox = sandbox
        self.realm_id = connection.realm_id

    def _rows(self, entity: str, statement: str, include: str | None = None) -> list[dict[str, Any]]:
        with translated_faults(f"read {entity.lower()}s"):
            return list(self._client.query(statement, include=include).get(entity) or [])

    def money_waiting(self) -> QboMoneyWaiting:
        """Undeposited payments and unpaid bills, for the finance user's reminders (the scheduled invoice job's alone:
        loaded on first use, so a webhook's invoice change does not define their models)."""
        from hubbooks.adapters.qbo.money_waiting import QboMoneyWaiting

        return QboMoneyWaiting(self._client, self._connection.home_currency)

    def profile(self) -> CompanyProfile:
        c = self._connection
        return CompanyProfile(realm_id=c.realm_id, company_name=c.company_name, country=c.country,
                              home_currency=c.home_currency, custom_txn_numbers=c.custom_txn_numbers,
                              multicurrency=c.multicurrency, time_zone=company_time_zone(c.country),
                              sandbox=self._sandbox)

    def live_profile(self) -> CompanyProfile:
        preferences = self._client.preferences()
        sales = preferences.get("SalesFormsPrefs") or {}
        currency = preferences.get("CurrencyPrefs") or {}
        home = currency.get("HomeCurrency")
        home_code = home.get("value") if isinstance(home, dict) else home
        return self.profile().model_copy(update={
            "custom_txn_numbers": bool(sales.get("CustomTxnNumbers", False)),
            "multicurrency": bool(currency.get("MultiCurrencyEnabled", False)),
            "home_currency": str(home_code or self._connection.home_currency).upper(),
            "default_term_id": ref_value(sales.get("DefaultTerms")),
        })

    # -- invoices
    def invoices_by_ids(self, invoice_ids: Sequence[str]) -> list[QboInvoice]:
        if not invoice_ids:
            return []
        # include=invoiceLink costs no extra call and gives the pay-online link where the company takes payments.
        rows = self._rows("Invoice", f"SELECT * FROM Invoice WHERE Id IN {id_list(invoice_ids)} MAXRESULTS 1000",
                          include=INVOICE_LINK)
        return [invoice_from(row, self._connection.home_currency) for row in rows]

    def invoices_changed_since(self, since: datetime) -> list[QboInvoice]:
        """Change data capture for invoices (deleted ones left out): finds a create whose answer was lost."""
        return [invoice_from(change.object, self._connection.home_currency)
                for change in self._client.changes_since(["Invoice"], since) if not change.deleted]

    def last_payment_dates(self, invoices: Sequence[QboInvoice]) -> dict[str, date]:
        payment_ids = sorted({pid for invoice in invoices for pid in invoice.payment_ids})
        dates: dict[str, date] = {}
        for start in range(0, len(payment_ids), _IDS_PER_QUERY):
            chunk = payment_ids[start:start + _IDS_PER_QUERY]
            for row in self._rows("Payment", f"SELECT * FROM Payment WHERE Id IN {id_list(chunk)} MAXRESULTS 1000"):
                paid_on, amount = _date(row.get("TxnDate")), _money(row.get("TotalAmt"))
                if paid_on is not None and amount:  # a voided payment keeps its date but pays nothing
                    dates[str(row["Id"])] = paid_on
        latest: dict[str, date] = {}
        for invoice in invoices:
            found = [dates[pid] for pid in invoice.payment_ids if pid in dates]
            if found:
                latest[invoice.id] = max(found)
        return latest

    # -- payments
    def payment(self, payment_id: str) -> QboPayment | None:
        """A query rather than a read: a deleted payment is simply absent instead of a fault to tell apart."""
        rows = self._rows("Payment", f"SELECT * FROM Payment WHERE Id = {quoted(payment_id)}")
        return payment_from(rows[0], self._connection.home_currency) if rows else None

    # -- writes and documents
    def invoice_for_change(self, invoice_id: str) -> QboInvoice | None:
        rows = self._rows("Invoice", f"SELECT * FROM Invoice WHERE Id = {quoted(invoice_id)}", include=INVOICE_LINK)
        return invoice_from(rows[0], self._connection.home_currency) if rows else None

    def send_invoice(self, invoice_id: str, send_to: str | None) -> QboInvoice:
        try:
            with translated_faults("send the invoice"):
                sent = self._client.send("Invoice", invoice_id, send_to=send_to, include=INVOICE_LINK)
        except QboServerError as error:
            raise SendUnconfirmedError("QuickBooks did not confirm that the invoice was sent. Check the invoice's "
                                       "e-mail status in QuickBooks before sending it again.") from error
        except QuickBooksRejectedError as error:
            if isinstance(error.__cause__, QboObjectNotFoundError):
                raise RecordNotFoundError("That invoice no longer exists in QuickBooks.") from error
            raise
        return invoice_from(sent, self._connection.home_currency)

    def void_invoice(self, invoice: QboInvoice, request_id: str) -> QboInvoice:
        if invoice.sync_token is None:
            raise ValueError("voiding needs the invoice's SyncToken: read it with invoice_for_change")
        try:
            with translated_faults("void the invoice"):
                voided = self._client.void("Invoice", invoice.id, invoice.sync_token, request_id=request_id)
        except QboStaleObjectError as error:
            raise ConflictError("The invoice changed in QuickBooks a moment ago; refresh the card and void it "
                                "again if it still should be.") from error
        return invoice_from(voided, self._connection.home_currency)

    def invoice_pdf(self, invoice_id: str) -> bytes:
        try:
            with translated_faults("get the invoice PDF"):
                response = self._transport.send(self.realm_id, QboRequest("GET", f"invoice/{invoice_id}/pdf",
                                                                          accept="application/pdf"))
        except QuickBooksRejectedError as error:
            if isinstance(error.__cause__, QboObjectNotFoundError):
                raise RecordNotFoundError("That invoice no longer exists in QuickBooks.") from error
            raise
        return response.content


# ---------------------------------------------------------------- the portal's companies

class QboInvoicingCompanies:
    """Connections from our table; one token manager per request, shared by every company it opens."""

    def __init__(self, connections: ConnectionStore, *, deadline: Deadline | None = None,
                 token_manager: Callable[[], TokenManager] | None = None) -> None:
        self._connections = connections
        self._deadline = deadline
        self._make_manager = token_manager or (lambda: qbo_token_manager(deadline))
        self._manager: TokenManager | None = None
        self._listed: dict[tuple[int, str], QboConnection] = {}  # this request's listing, reused by open()

    def connected(self, portal_id: int) -> list[ConnectedCompany]:
        listed = self._connections.list_connected(portal_id)  # one item, not a query
        self._listed.update({(c.portal_id, c.realm_id): c for c in listed})
        return [ConnectedCompany(realm_id=c.realm_id, company_name=c.company_name, country=c.country,
                                 home_currency=c.home_currency, custom_txn_numbers=c.custom_txn_numbers)
                for c in listed]

    def open(self, portal_id: int, realm_id: str) -> QboInvoicingCompany:
        connection = self._listed.get((portal_id, realm_id)) or self._connections.get(portal_id, realm_id)
        if connection is None or connection.status != "connected":
            raise CompanyNotConnectedError(NOT_CONNECTED, details={"realm_id": realm_id})
        if self._manager is None:
            self._manager = self._make_manager()
        transport = qbo_transport(ManagedTokens(self._manager, portal_id), self._deadline)
        return self._company(QboClient(transport, realm_id), transport, connection,
                             sandbox=is_sandbox_api(str(get_settings().qbo_api_base_url)))

    def _company(self, client: QboClient, transport: QboTransport, connection: QboConnection, *,
                 sandbox: bool) -> QboInvoicingCompany:
        return QboInvoicingCompany(client, transport, connection, sandbox=sandbox)

