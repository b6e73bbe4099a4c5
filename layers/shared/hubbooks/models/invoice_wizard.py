"""What creating an invoice from HubSpot works with: the QuickBooks customers, products, tax codes and terms the
wizard offers, the deal's HubSpot contacts, companies and quotes, the wizard's draft and the invoice sent to QuickBooks.

Apart from models/invoicing.py, whose invoices and links every worker needs: the workers never define these.
Adapters build them from the providers' JSON; the domain never sees provider payloads.
"""


from datetime import date
from decimal import Decimal

from pydantic import ConfigDict, Field, field_validator

from hubbooks.models.base import FrozenModel, Model
from hubbooks.models.decimals import DecimalString

# ---------------------------------------------------------------- QuickBooks side

class NewCustomer(FrozenModel):
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


class QboItem(FrozenModel):
    id: str
    name: str
    sku: str | None = None
    description: str | None = None
    unit_price: DecimalString | None = None
    type: str = "Service"
    active: bool = True
    sales_tax_code_id: str | None = None


class TaxRateShare(FrozenModel):
    rate_id: str
    percent: DecimalString


class TaxCode(FrozenModel):
    id: str
    name: str
    description: str | None = None
    active: bool = True
    taxable: bool = True
    rates: tuple[TaxRateShare, ...] = ()

    @property
    def total_percent(self) -> Decimal:
        return sum((rate.percent for rate in self.rates), Decimal(0))


class PaymentTerm(FrozenModel):
    id: str
    name: str
    active: bool = True
    due_days: int | None = None
    day_of_month_due: int | None = None
    due_next_month_days: int | None = None

    @property
    def date_driven(self) -> bool:
        return self.day_of_month_due is not None


class InvoiceLine(FrozenModel):
    item_id: str
    quantity: DecimalString
    rate: DecimalString
    amount: DecimalString
    description: str | None = None
    tax_code_id: str | None = None


class InvoiceToCreate(FrozenModel):
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


class InvoiceSearch(FrozenModel):
    doc_number: str | None = None
    customer_id: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    limit: int = Field(default=50, ge=1, le=200)


# ---------------------------------------------------------------- HubSpot side

class CrmContact(FrozenModel):
    id: str
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part).strip()


class CrmCompany(FrozenModel):
    id: str
    name: str | None = None
    domain: str | None = None


class QuoteLineItem(FrozenModel):
    id: str
    name: str
    quantity: DecimalString = Decimal(1)
    price: DecimalString = Decimal(0)
    sku: str | None = None
    description: str | None = None
    discount_percent: DecimalString | None = None
    discount_amount: DecimalString | None = None


class CrmQuote(FrozenModel):
    id: str
    title: str
    status: str | None = None
    expiration_date: date | None = None
    currency: str | None = None
    line_items: tuple[QuoteLineItem, ...] = ()
    contact_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()


class CrmDeal(FrozenModel):
    id: str
    name: str | None = None
    currency: str | None = None
    contact_ids: tuple[str, ...] = ()
    company_ids: tuple[str, ...] = ()
    quote_ids: tuple[str, ...] = ()


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
