"""The QuickBooks company as the card's invoice routes use it beyond what live status reads: the customers,
products, tax codes and terms the wizard offers, invoice search and creation.

Apart from adapters/qbo/invoicing.py so that the workers, which only read invoices and payments, do not define the
wizard's models (models/invoice_wizard.py) at every cold start."""

# ruff: noqa: S608 - these are QuickBooks queries, not SQL; every literal goes through quoted(), ints are ints.

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from hubbooks.adapters.qbo.invoicing import (
    QboInvoicingCompanies,
    QboInvoicingCompany,
    decimal_of,
    id_list,
    invoice_from,
    quoted,
    ref_value,
    translated_faults,
)
from hubbooks.domain.invoicing.customer_matching import normalise_name
from hubbooks.domain.invoicing.errors import QuickBooksRejectedError
from hubbooks.domain.invoicing.ports import DisplayNameTakenError
from hubbooks.domain.qbo_errors import QboDuplicateNameError
from hubbooks.models.invoice_wizard import (
    InvoiceSearch,
    InvoiceToCreate,
    NewCustomer,
    PaymentTerm,
    QboCustomer,
    QboItem,
    TaxCode,
    TaxRateShare,
)
from hubbooks.models.invoicing import QboInvoice

_MAX_NAME_QUERIES = 3


# ---------------------------------------------------------------- JSON -> models

def customer_from(raw: dict[str, Any]) -> QboCustomer:
    return QboCustomer(id=str(raw["Id"]), display_name=str(raw.get("DisplayName") or ""),
                       company_name=raw.get("CompanyName"), given_name=raw.get("GivenName"),
                       family_name=raw.get("FamilyName"), email=(raw.get("PrimaryEmailAddr") or {}).get("Address"),
                       currency=ref_value(raw.get("CurrencyRef")), term_id=ref_value(raw.get("SalesTermRef")),
                       active=raw.get("Active", True) is not False)


def item_from(raw: dict[str, Any]) -> QboItem:
    return QboItem(id=str(raw["Id"]), name=str(raw.get("Name") or ""), sku=raw.get("Sku") or None,
                   description=raw.get("Description"), unit_price=decimal_of(raw.get("UnitPrice")),
                   type=str(raw.get("Type") or "Service"), active=raw.get("Active", True) is not False,
                   sales_tax_code_id=ref_value(raw.get("SalesTaxCodeRef")))


def term_from(raw: dict[str, Any]) -> PaymentTerm:
    return PaymentTerm(id=str(raw["Id"]), name=str(raw.get("Name") or ""), active=raw.get("Active", True) is not False,
                       due_days=raw.get("DueDays"), day_of_month_due=raw.get("DayOfMonthDue"),
                       due_next_month_days=raw.get("DueNextMonthDays"))


def tax_code_from(raw: dict[str, Any], percents: dict[str, Decimal]) -> TaxCode:
    details = ((raw.get("SalesTaxRateList") or {}).get("TaxRateDetail")) or []
    rates = tuple(TaxRateShare(rate_id=rate_id, percent=percents.get(rate_id, Decimal(0)))
                  for rate_id in (ref_value(d.get("TaxRateRef")) for d in details) if rate_id)
    return TaxCode(id=str(raw["Id"]), name=str(raw.get("Name") or ""), description=raw.get("Description"),
                   active=raw.get("Active", True) is not False, taxable=raw.get("Taxable", True) is not False,
                   rates=rates)


def invoice_body(invoice: InvoiceToCreate) -> dict[str, Any]:
    lines = []
    for line in invoice.lines:
        detail: dict[str, Any] = {"ItemRef": {"value": line.item_id}, "Qty": float(line.quantity),
                                  "UnitPrice": float(line.rate)}
        if line.tax_code_id:
            detail["TaxCodeRef"] = {"value": line.tax_code_id}
        entry: dict[str, Any] = {"DetailType": "SalesItemLineDetail", "Amount": float(line.amount),
                                 "SalesItemLineDetail": detail}
        if line.description:
            entry["Description"] = line.description
        lines.append(entry)
    body: dict[str, Any] = {"CustomerRef": {"value": invoice.customer_id}, "Line": lines,
                            "TxnDate": invoice.txn_date.isoformat(), "DueDate": invoice.due_date.isoformat()}
    if invoice.term_id:
        body["SalesTermRef"] = {"value": invoice.term_id}
    if invoice.customer_message:
        body["CustomerMemo"] = {"value": invoice.customer_message}
    if invoice.doc_number:
        body["DocNumber"] = invoice.doc_number
    if invoice.private_note:
        body["PrivateNote"] = invoice.private_note[:4000]
    if invoice.bill_email:
        body["BillEmail"] = {"Address": invoice.bill_email}
    if invoice.currency:
        body["CurrencyRef"] = {"value": invoice.currency}
    if invoice.tax_excluded:
        body["GlobalTaxCalculation"] = "TaxExcluded"
    return body


# ---------------------------------------------------------------- one company, and the portal's

class QboWizardCompany(QboInvoicingCompany):
    # -- invoices
    def search_invoices(self, search: InvoiceSearch) -> list[QboInvoice]:
        where = []
        if search.doc_number:
            where.append(f"DocNumber = {quoted(search.doc_number)}")
        if search.customer_id:
            where.append(f"CustomerRef = {quoted(search.customer_id)}")
        if search.date_from:
            where.append(f"TxnDate >= {quoted(search.date_from.isoformat())}")
        if search.date_to:
            where.append(f"TxnDate <= {quoted(search.date_to.isoformat())}")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        rows = self._rows("Invoice", f"SELECT * FROM Invoice{clause} ORDERBY TxnDate DESC MAXRESULTS {search.limit}")
        return [invoice_from(row, self._connection.home_currency) for row in rows]

    def doc_number_taken(self, doc_number: str) -> bool:
        return bool(self._rows("Invoice", f"SELECT * FROM Invoice WHERE DocNumber = {quoted(doc_number)}"))

    # -- customers
    def customers_by_ids(self, customer_ids: Sequence[str]) -> list[QboCustomer]:
        if not customer_ids:
            return []
        return [customer_from(r) for r in self._rows("Customer", f"SELECT * FROM Customer WHERE Id IN "
                                                                 f"{id_list(customer_ids)}")]

    def search_customers(self, text: str, limit: int) -> list[QboCustomer]:
        clause = f" WHERE DisplayName LIKE {quoted('%' + text + '%')}" if text else ""
        rows = self._rows("Customer", f"SELECT * FROM Customer{clause} ORDERBY DisplayName MAXRESULTS {limit}")
        return [customer_from(r) for r in rows]

    def customers_matching(self, emails: Sequence[str], names: Sequence[str]) -> list[QboCustomer]:
        """QBO queries have no OR: one query per e-mail, and per distinctive name on DisplayName and CompanyName."""
        found: dict[str, QboCustomer] = {}
        for email in emails[:_MAX_NAME_QUERIES]:
            for row in self._rows("Customer", f"SELECT * FROM Customer WHERE PrimaryEmailAddr = {quoted(email)}"):
                found.setdefault(str(row["Id"]), customer_from(row))
        stems = list(dict.fromkeys(n for n in (normalise_name(name) for name in names) if len(n) >= 3))
        for stem in stems[:_MAX_NAME_QUERIES]:
            pattern = quoted("%" + stem.split()[0] + "%")
            for field in ("DisplayName", "CompanyName"):
                for row in self._rows("Customer", f"SELECT * FROM Customer WHERE {field} LIKE {pattern} "
                                                  "MAXRESULTS 50"):
                    found.setdefault(str(row["Id"]), customer_from(row))
        return list(found.values())

    def display_names_starting(self, prefix: str) -> list[str]:
        rows = self._rows("Customer", f"SELECT * FROM Customer WHERE DisplayName LIKE {quoted(prefix + '%')} "
                                      "MAXRESULTS 1000")
        return [str(r.get("DisplayName") or "") for r in rows]

    def create_customer(self, customer: NewCustomer, request_id: str) -> QboCustomer:
        body: dict[str, Any] = {"DisplayName": customer.display_name}
        for key, value in (("CompanyName", customer.company_name), ("GivenName", customer.given_name),
                           ("FamilyName", customer.family_name)):
            if value:
                body[key] = value
        if customer.email:
            body["PrimaryEmailAddr"] = {"Address": customer.email}
        if customer.currency:
            body["CurrencyRef"] = {"value": customer.currency}
        try:
            with translated_faults("create the customer"):
                return customer_from(self._client.create("Customer", body, request_id=request_id))
        except QuickBooksRejectedError as error:
            if isinstance(error.__cause__, QboDuplicateNameError):
                raise DisplayNameTakenError(customer.display_name) from error
            raise

    # -- products, tax, terms
    def items_by_ids(self, item_ids: Sequence[str]) -> list[QboItem]:
        if not item_ids:
            return []
        return [item_from(r) for r in self._rows("Item", f"SELECT * FROM Item WHERE Id IN {id_list(item_ids)}")]

    def search_items(self, text: str, limit: int) -> list[QboItem]:
        clause = f" WHERE Name LIKE {quoted('%' + text + '%')}" if text else ""
        return [item_from(r) for r in self._rows("Item", f"SELECT * FROM Item{clause} ORDERBY Name "
                                                         f"MAXRESULTS {limit}")]

    def items_matching(self, names: Sequence[str], skus: Sequence[str]) -> list[QboItem]:
        rows: list[dict[str, Any]] = []
        if names:
            rows += self._rows("Item", f"SELECT * FROM Item WHERE Name IN {id_list(names)}")
        if skus:
            rows += self._rows("Item", f"SELECT * FROM Item WHERE Sku IN {id_list(skus)}")
        return [item_from(r) for r in rows]

    def tax_codes(self) -> list[TaxCode]:
        percents = {str(r["Id"]): Decimal(str(r.get("RateValue", 0)))
                    for r in self._rows("TaxRate", "SELECT * FROM TaxRate MAXRESULTS 1000")}
        return [tax_code_from(r, percents) for r in self._rows("TaxCode", "SELECT * FROM TaxCode MAXRESULTS 1000")]

    def terms(self) -> list[PaymentTerm]:
        return [term_from(r) for r in self._rows("Term", "SELECT * FROM Term MAXRESULTS 1000")]

    # -- writes
    def create_invoice(self, invoice: InvoiceToCreate, request_id: str) -> QboInvoice:
        with translated_faults("create the invoice"):
            created = self._client.create("Invoice", invoice_body(invoice), request_id=request_id)
        return invoice_from(created, self._connection.home_currency)


class QboWizardCompanies(QboInvoicingCompanies):
    """The portal's companies, each opened with the wizard's reads and writes."""

    def open(self, portal_id: int, realm_id: str) -> QboWizardCompany:
        return cast(QboWizardCompany, super().open(portal_id, realm_id))

    def _company(self, *args: Any, **kwargs: Any) -> QboWizardCompany:
        return QboWizardCompany(*args, **kwargs)
