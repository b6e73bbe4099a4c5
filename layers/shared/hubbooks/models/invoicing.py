"""What invoicing works with: QuickBooks records and HubSpot CRM records, reduced to the fields HubBooks uses.

Adapters build these from the providers' JSON; the domain never sees provider payloads.
"""


from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import ConfigDict, Field, field_validator

from hubbooks.models.base import Model
from hubbooks.models.decimals import DecimalString
from hubbooks.models.invoice_status import InvoiceStatus


class HubSpotObjectType(StrEnum):
    DEAL = "deal"
    CONTACT = "contact"
    COMPANY = "company"


class _Frozen(Model):
    model_config = ConfigDict(frozen=True)


# ---------------------------------------------------------------- QuickBooks side

class CompanyProfile(_Frozen):
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


class QboInvoice(_Frozen):
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


class NewCustomer(_Frozen):
    display_name: str
    company_name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    email: str | None = None
    currency: str | None = None


class QboCustomer(NewCustomer):
    """A customer as QuickBooks holds it: what we send for a new one, plus what QuickBooks adds."""

    id: str
    term_id: str | None = None
    active: bool = True


class QboItem(_Frozen):
    id: str
    name: str
    sku: str | None = None
    description: str | None = None
    unit_price: DecimalString | None = None
    type: str = "Service"
    active: bool = True
    sales_tax_code_id: str | None = None


class TaxRateShare(_Frozen):
    rate_id: str
    percent: DecimalString


class TaxCode(_Frozen):
    id: str
    name: str
    description: str | None = None
    active: bool = True
    taxable: bool = True
    rates: tuple[TaxRateShare, ...] = ()

    @property
    def total_percent(self) -> Decimal:
        return sum((rate.percent for rate in self.rates), Decimal(0))


class PaymentTerm(_Frozen):
    id: str
    name: str
    active: bool = True
    due_days: int | None = None
    day_of_month_due: int | None = None
    due_next_month_days: int | None = None

    @property
    def date_driven(self) -> bool:
        return self.day_of_month_due is not None


class InvoiceLine(_Frozen):
    item_id: str
    quantity: DecimalString
    rate: DecimalString
    amount: DecimalString
    description: str | None = None
    tax_code_id: str | None = None


class InvoiceToCreate(_Frozen):
    """Exactly what goes to QuickBooks: validated, amounts computed, nothing left for QuickBooks to guess."""

    customer_id: str
    lines: tuple[InvoiceLine, ...]
    txn_date: date
    due_date: date
    term_id: str | None = None
    customer_message: str | None = None
    doc_number: str | None = None
    currency: str | None = None
    bill_email: str | None = None
    private_note: str | None = None
    tax_excluded: bool = False


class InvoiceSearch(_Frozen):
    doc_number: str | None = None
    customer_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    limit: int = Field(default=50, ge=1, le=200)


# ---------------------------------------------------------------- HubSpot side

class CrmContact(_Frozen):
    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part).strip()


class CrmCompany(_Frozen):
    id: str
    name: str | None = None
    domain: str | None = None


class QuoteLineItem(_Frozen):
    id: str
    name: str
    quantity: DecimalString = Decimal(1)
    price: DecimalString = Decimal(0)
    sku: str | None = None
    description: str | None = None
    discount_percent: DecimalString | None = None
    discount_amount: DecimalString | None = None


class CrmQuote(_Frozen):
    id: str
    title: str
    status: str | None = None
    expiration_date: date | None = None
    currency: str | None = None
    line_items: tuple[QuoteLineItem, ...] = ()
    contact_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()


class CrmDeal(_Frozen):
    id: str
    name: str | None = None
    currency: str | None = None
    contact_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    quote_ids: tuple[str, ...] = ()


# ---------------------------------------------------------------- our records

class InvoiceLink(_Frozen):
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


class InvoicingSettings(_Frozen):
    """Per-company choices: whether HubBooks numbers invoices itself when QuickBooks expects custom numbers."""

    portal_id: int
    realm_id: str
    assign_doc_numbers: bool = False
    doc_number_prefix: str = "HB-"
    updated_by_user_id: int | None = None


# ---------------------------------------------------------------- the wizard's input

class DraftLine(Model):
    model_config = ConfigDict(frozen=True, extra="forbid")

    item_id: str = Field(min_length=1, max_length=40, description="QuickBooks product or service id")
    quantity: DecimalString = Field(gt=0, le=Decimal("999999999"), description="How many")
    rate: DecimalString = Field(ge=0, le=Decimal("9999999999"), description="Unit price, in the customer's currency")
    description: str | None = Field(default=None, max_length=4000)
    tax_code_id: str | None = Field(default=None, max_length=40,
                                    description="Required outside the US; leave empty for US companies")


PLAUSIBLE_YEARS = (2000, 2099)


class InvoiceDraft(Model):
    """Everything the wizard collected; the review and create steps validate it against the live company."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    realm_id: str = Field(pattern=r"^[0-9A-Za-z]{1,32}$", description="QuickBooks company (realm) id")
    customer_id: str = Field(min_length=1, max_length=40)
    lines: list[DraftLine] = Field(min_length=1, max_length=250)
    term_id: str | None = Field(default=None, max_length=40)
    invoice_date: date | None = None
    due_date: date | None = None
    customer_message: str | None = Field(default=None, max_length=1000)
    quote_id: str | None = Field(default=None, pattern=r"^[0-9]{1,20}$", description="HubSpot quote id")

    @field_validator("invoice_date", "due_date")
    @classmethod
    def _plausible_date(cls, value: date | None) -> date | None:
        # QuickBooks accepts odd years, but 0001-01-01 on an invoice is always a typo.
        if value is not None and not PLAUSIBLE_YEARS[0] <= value.year <= PLAUSIBLE_YEARS[1]:
            raise ValueError(f"choose a date between {PLAUSIBLE_YEARS[0]} and {PLAUSIBLE_YEARS[1]}")
        return value


class InvoiceSubmission(InvoiceDraft):
    submission_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$",
                               description="Made once per wizard run by the card; retries reuse it")


class PendingSubmission(_Frozen):
    """An invoice create sent to QuickBooks whose outcome is not known yet (removed once the invoice is linked, or
    once it is certain QuickBooks never made it)."""

    portal_id: int
    deal_id: str
    submission_id: str
    realm_id: str
    user_id: int | None = None
    started_at: datetime
    attempt_ended_at: datetime | None = None  # the request that sent it ended without knowing the outcome
