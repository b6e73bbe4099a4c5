"""How an invoice is shown on the card: status, QuickBooks link, home-currency amounts."""

from __future__ import annotations

from datetime import date

from hubbooks.domain.invoicing.cents import to_cents
from hubbooks.domain.invoicing.deal_properties import InvoiceFacts, writes_deal_properties
from hubbooks.domain.invoicing.status import derive_status
from hubbooks.models.invoice_status import STATUS_LABELS
from hubbooks.models.invoicing import CompanyProfile, InvoiceStatus, QboInvoice
from hubbooks.models.invoicing_api import InvoiceSummary

_PRODUCTION_APP = "https://app.qbo.intuit.com"
_SANDBOX_APP = "https://app.sandbox.qbo.intuit.com"


def qbo_invoice_url(invoice_id: str, *, sandbox: bool) -> str:
    return f"{_SANDBOX_APP if sandbox else _PRODUCTION_APP}/app/invoice?txnId={invoice_id}"


def facts_of(invoice: QboInvoice, realm_id: str, today: date) -> InvoiceFacts:
    return InvoiceFacts(realm_id=realm_id, invoice_id=invoice.id, doc_number=invoice.doc_number,
                        customer_name=invoice.customer_name, total=invoice.total, currency=invoice.currency,
                        status=derive_status(invoice, today), due_date=invoice.due_date,
                        last_updated=invoice.last_updated)


def summarise(invoice: QboInvoice, company: CompanyProfile, today: date, hubspot_currency: str) -> InvoiceSummary:
    status = derive_status(invoice, today)
    foreign = invoice.currency.upper() != company.home_currency.upper()
    home_amount = home_balance = None
    if foreign:
        rate = invoice.exchange_rate
        home_amount = invoice.home_total if invoice.home_total is not None else (
            to_cents(invoice.total * rate) if rate else None)
        home_balance = invoice.home_balance if invoice.home_balance is not None else (
            to_cents(invoice.balance * rate) if rate else None)
    facts = facts_of(invoice, company.realm_id, today)
    return InvoiceSummary(
        realm_id=company.realm_id, company_name=company.company_name, invoice_id=invoice.id,
        number=invoice.doc_number, customer=invoice.customer_name, invoice_date=invoice.txn_date,
        due_date=invoice.due_date, amount=invoice.total, balance=invoice.balance, currency=invoice.currency,
        status=status, status_label=STATUS_LABELS[status], qbo_url=qbo_invoice_url(invoice.id, sandbox=company.sandbox),
        home_currency=company.home_currency if foreign else None, home_amount=home_amount, home_balance=home_balance,
        writes_deal_properties=writes_deal_properties(facts, hubspot_currency),
        bill_email=invoice.bill_email, payment_link=invoice.payment_link, can_send=status is not InvoiceStatus.VOIDED,
    )
