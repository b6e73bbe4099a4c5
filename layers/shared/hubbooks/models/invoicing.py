"""What invoicing works with: QuickBooks companies and invoices and our links to HubSpot records, reduced to the
fields HubBooks uses. What only creating an invoice needs (customers, products, tax codes, terms, the deal's CRM
records, the wizard's draft) is in models/invoice_wizard.py, which the workers never load.

Adapters build these from the providers' JSON; the domain never sees provider payloads.
"""


from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from hubbooks.models.base import FrozenModel
from hubbooks.models.decimals import DecimalString
from hubbooks.models.invoice_status import InvoiceStatus


class HubSpotObjectType(StrEnum):
    DEAL = "deal"
    CONTACT = "contact"
    COMPANY = "company"


# ---------------------------------------------------------------- QuickBooks side

class CompanyProfile(FrozenModel):
    """A connected QuickBooks company as invoicing needs it (read live: preferences change in QuickBooks)."""

    realm_id: str
    company_name: str
    country: str
    home_currency: str
    custom_txn_numbers: bool = False
    multicurrency: bool = False
    default_term_id: str | None = None
    time_zone: str = "UTC"
    sandbox: bool = False

    @property
    def is_us(self) -> bool:
        return self.country.upper() in ("US", "USA")


class QboInvoice(FrozenModel):
    id: str
    doc_number: str | None = None
    customer_id: str
    customer_name: str | None = None
    txn_date: date
    due_date: date | None = None
    total: DecimalString
    balance: DecimalString
    currency: str
    exchange_rate: DecimalString | None = None
    home_total: DecimalString | None = None
    home_balance: DecimalString | None = None
    email_status: str = "NotSet"
    print_status: str = "NotSet"
    delivered_at: datetime | None = None
    private_note: str | None = None
    bill_email: str | None = None
    last_updated: datetime
    sync_token: str | None = None  # QuickBooks' version, needed to void
    payment_link: str | None = None  # the customer's pay-online link, only where the company takes online payments
    home_currency: str | None = None  # the QuickBooks company's, which ExchangeRate converts into
    payment_ids: tuple[str, ...] = ()  # payments applied to it (LinkedTxn of type Payment)


# ---------------------------------------------------------------- our records

class InvoiceLink(FrozenModel):
    """A QuickBooks invoice shown on a HubSpot record; the snapshot fields serve the overdue job and deal properties."""

    portal_id: int
    realm_id: str
    invoice_id: str
    object_type: HubSpotObjectType
    object_id: str
    linked_at: datetime
    linked_by_user_id: int | None = None
    doc_number: str | None = None
    customer_name: str | None = None
    currency: str | None = None
    total: DecimalString | None = None
    balance: DecimalString | None = None
    due_date: date | None = None
    status: InvoiceStatus | None = None
    last_updated: datetime | None = None
    exchange_rate: Decimal | None = None  # QuickBooks' rate into home_currency, as recorded on the invoice
    home_currency: str | None = None
    last_payment_date: date | None = None  # of the payments applied to it, when known
    invoice_date: date | None = None  # TxnDate: when "not sent after N days" starts counting
    customer_id: str | None = None  # QuickBooks customer: a person's link tells auto-linking where its invoices go


class InvoicingSettings(FrozenModel):
    """Per-company choices: whether HubBooks numbers invoices itself when QuickBooks expects custom numbers."""

    portal_id: int
    realm_id: str
    assign_doc_numbers: bool = False
    doc_number_prefix: str = "HB-"
    updated_by_user_id: int | None = None


class PendingSubmission(FrozenModel):
    """An invoice create sent to QuickBooks whose outcome is not known yet (removed once the invoice is linked, or
    once it is certain QuickBooks never made it)."""

    portal_id: int
    deal_id: str
    submission_id: str
    realm_id: str
    user_id: int | None = None
    started_at: datetime
    attempt_ended_at: datetime | None = None  # the request that sent it ended without knowing the outcome
