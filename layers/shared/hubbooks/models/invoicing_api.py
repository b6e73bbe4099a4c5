"""The app card's API bodies: what each route accepts and answers (these shape the OpenAPI document)."""


from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model
from hubbooks.models.credits import CreditKind
from hubbooks.models.decimals import DecimalString
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceStatus


class _Body(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CreditSummary(Model):
    """A credit memo or refund on the card, in its own currency."""

    kind: CreditKind
    label: str = Field(description="Credit memo or Refund")
    realm_id: str
    txn_id: str
    number: str | None
    customer: str | None
    date: date
    amount: DecimalString
    unapplied: DecimalString = Field(description="Credit not yet applied to an invoice (0 for refunds)")
    currency: str


class InvoiceSummary(Model):
    realm_id: str
    company_name: str
    invoice_id: str
    number: str | None
    customer: str | None
    invoice_date: date
    due_date: date | None
    amount: DecimalString
    balance: DecimalString
    currency: str
    status: InvoiceStatus
    status_label: str
    qbo_url: str
    home_currency: str | None = Field(default=None, description="Set when the invoice is in a foreign currency")
    home_amount: DecimalString | None = None
    home_balance: DecimalString | None = None
    writes_deal_properties: bool = Field(description="False for invoices not in the HubSpot company currency")
    bill_email: str | None = Field(default=None, description="Where QuickBooks e-mails it unless told otherwise")
    payment_link: str | None = Field(default=None, description="The customer's pay-online link; only where the "
                                                               "company takes online payments")
    can_send: bool = Field(default=False, description="Not voided: QuickBooks can e-mail it")
    can_void: bool = Field(default=False, description="Nothing paid yet and the caller is an approver or admin")


class LinkedObject(Model):
    object_type: HubSpotObjectType
    object_id: str


class UnavailableInvoice(Model):
    realm_id: str
    invoice_id: str
    number: str | None
    reason: str


class CompanyChoice(Model):
    realm_id: str
    company_name: str
    country: str
    home_currency: str
    can_create_invoices: bool
    blocked_reason: str | None = None


class NextAction(Model):
    action: str
    label: str
    enabled: bool = True
    reason: str | None = None


class CardSummary(Model):
    """The record's invoices in one line, in the HubSpot account's company currency (voided invoices left out)."""

    currency: str = Field(description="The HubSpot account's company currency: every amount below is in it")
    invoiced: DecimalString
    paid: DecimalString
    outstanding: DecimalString
    overdue: DecimalString
    invoice_count: int = Field(description="Invoices counted in the amounts")
    overdue_count: int
    other_currency_count: int = Field(
        description="Invoices left out because neither their currency nor their company's home currency is the "
                    "account's currency (HubBooks converts nothing itself)")
    unapplied_credit: DecimalString = Field(
        default=Decimal(0), description="Credit memos' credit not yet applied to an invoice: already taken off the "
                                        "outstanding amount")
    refunded: DecimalString = Field(default=Decimal(0), description="Refunds paid back: already taken off the paid "
                                                                    "amount")


class CardData(Model):
    object_type: HubSpotObjectType
    object_id: str
    hubspot_currency: str
    summary: CardSummary
    invoices: list[InvoiceSummary]
    unavailable_invoices: list[UnavailableInvoice]
    companies: list[CompanyChoice]
    next_actions: list[NextAction]
    credits: list[CreditSummary] = Field(default_factory=list,
                                         description="Credit memos and refunds of the record's QuickBooks customer")


# ---------------------------------------------------------------- wizard

class QuoteLineView(Model):
    line_item_id: str
    name: str
    sku: str | None
    quantity: DecimalString
    price: DecimalString


class QuoteView(Model):
    quote_id: str
    title: str
    status: str | None
    expiration_date: date | None
    currency: str | None
    usable: bool
    reason: str | None = Field(default=None, description="Why the quote cannot start an invoice")
    line_items: list[QuoteLineView]


class WizardStart(Model):
    deal_id: str
    deal_name: str | None
    companies: list[CompanyChoice]
    selected_realm_id: str | None = Field(description="Set when there is one company: the choice step is skipped")
    quotes: list[QuoteView]
    warnings: list[str] = Field(default_factory=list, description=(
        "Earlier submissions from this deal whose answer was lost: an invoice found in QuickBooks and linked, or "
        "one still being created. Show them before offering to create another."))


class CustomerView(Model):
    customer_id: str
    display_name: str
    company_name: str | None = None
    email: str | None = None
    currency: str | None = None


class CustomerSuggestion(CustomerView):
    score: int
    reason: str


class CustomerSuggestions(Model):
    suggestions: list[CustomerSuggestion]
    new_customer: "NewCustomerBody | None" = Field(description="A prefilled new customer from the deal's records")


class NewCustomerBody(_Body):
    display_name: str = Field(min_length=1, max_length=100)
    company_name: str | None = Field(default=None, max_length=100)
    given_name: str | None = Field(default=None, max_length=100)
    family_name: str | None = Field(default=None, max_length=100)
    email: str | None = Field(default=None, max_length=100, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    submission_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="Retries reuse it: one customer")


class CreatedCustomer(Model):
    customer: CustomerView
    renamed: bool
    notice: str | None = None


class ItemView(Model):
    item_id: str
    name: str
    sku: str | None = None
    description: str | None = None
    unit_price: DecimalString | None = None
    type: str
    default_tax_code_id: str | None = None


class DraftLineView(Model):
    item_id: str
    item_name: str
    quantity: DecimalString
    rate: DecimalString
    description: str | None
    tax_code_id: str | None = None
    source_line_item_id: str | None = None


class UnmappedLineView(Model):
    line_item_id: str
    name: str
    reason: str


class QuoteLines(Model):
    quote_id: str
    lines: list[DraftLineView]
    unmapped: list[UnmappedLineView]
    customer_suggestions: list[CustomerSuggestion]


class TaxCodeView(Model):
    tax_code_id: str
    name: str
    percent: DecimalString


class TermView(Model):
    term_id: str
    name: str
    due_days: int | None = None
    day_of_month_due: int | None = None


class InvoiceOptions(Model):
    realm_id: str
    country: str
    home_currency: str
    tax_required: bool = Field(description="True outside the US: every line needs one of tax_codes")
    tax_label: str
    tax_codes: list[TaxCodeView]
    terms: list[TermView]
    default_term_id: str | None
    today: date
    can_create_invoices: bool
    blocked_reason: str | None = None
    assigns_doc_numbers: bool


class ReviewLine(Model):
    item_id: str
    item_name: str
    description: str | None
    quantity: DecimalString
    rate: DecimalString
    amount: DecimalString
    tax_code_id: str | None


class TaxLineView(Model):
    rate_id: str
    percent: DecimalString
    taxable_amount: DecimalString
    tax: DecimalString


class InvoiceReview(Model):
    realm_id: str
    customer: CustomerView
    lines: list[ReviewLine]
    invoice_date: date
    due_date: date
    term_id: str | None
    term_name: str | None
    customer_message: str | None
    currency: str
    subtotal: DecimalString
    tax: DecimalString | None = Field(description="None for US companies: QuickBooks adds sales tax when it saves")
    tax_lines: list[TaxLineView]
    total: DecimalString
    tax_note: str | None = None
    doc_number_note: str | None = None


class CreatedInvoice(Model):
    invoice: InvoiceSummary
    linked_to: LinkedObject
    deal_properties_updated: bool
    warnings: list[str] = Field(default_factory=list)


# ---------------------------------------------------------------- existing invoices, links, settings

class LinkInvoicesBody(_Body):
    realm_id: str = Field(pattern=r"^[0-9A-Za-z]{1,32}$", description="QuickBooks company (realm) id")
    invoice_ids: list[Annotated[str, Field(pattern=r"^[0-9]{1,20}$")]] = Field(
        min_length=1, max_length=50, description="QuickBooks invoice ids (digits)")
    object_type: HubSpotObjectType
    object_id: str = Field(min_length=1, max_length=40, pattern=r"^[0-9]+$")


class LinkResult(Model):
    linked: list[InvoiceSummary]
    already_linked: list[str]
    not_found: list[str]
    deal_properties_updated: bool


class UnlinkResult(Model):
    unlinked: bool
    deal_properties_updated: bool


class InvoiceSearchResult(Model):
    invoices: list[InvoiceSummary]


class InvoicingSettingsBody(_Body):
    assign_doc_numbers: bool
    doc_number_prefix: str = Field(default="HB-", max_length=12)


class InvoicingSettingsView(Model):
    realm_id: str
    custom_txn_numbers: bool = Field(description="QuickBooks' Custom transaction numbers setting, read live")
    assign_doc_numbers: bool
    doc_number_prefix: str
    can_create_invoices: bool
    blocked_reason: str | None = None



class PreviewLink(Model):
    """A URL the card can open in an iframe: HubSpot cannot sign iframe requests, so the link carries its proof."""

    url: str
    expires_at: datetime
