"""The create-invoice wizard's read steps: company, quote, customer, products, tax and terms, review."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from hubbooks.domain.invoicing.card import company_choices
from hubbooks.domain.invoicing.customer_matching import (
    CustomerMatch,
    create_under_free_name,
    rank_customers,
    suggested_new_customer_name,
)
from hubbooks.domain.invoicing.doc_numbers import creation_block_reason, ensure_invoices_can_be_numbered
from hubbooks.domain.invoicing.errors import (
    FieldProblem,
    InvoiceRejectedError,
    QuoteNotUsableError,
    RecordNotFoundError,
)
from hubbooks.domain.invoicing.ports import (
    Crm,
    InvoicingSettingsStore,
    QboCompanies,
    QboCompany,
)
from hubbooks.domain.invoicing.preparation import CompanyCatalogue, PreparedInvoice, prepare_invoice, tax_word
from hubbooks.domain.invoicing.quotes import map_quote_lines, why_quote_cannot_be_used
from hubbooks.domain.invoicing.status import today_in
from hubbooks.models.invoice_wizard import (
    CrmCompany,
    CrmContact,
    CrmDeal,
    CrmQuote,
    InvoiceDraft,
    NewCustomer,
    QboCustomer,
    QboItem,
)
from hubbooks.models.invoicing_api import (
    CreatedCustomer,
    CustomerSuggestion,
    CustomerSuggestions,
    CustomerView,
    DraftLineView,
    InvoiceOptions,
    InvoiceReview,
    ItemView,
    NewCustomerBody,
    QuoteLines,
    QuoteLineView,
    QuoteView,
    ReviewLine,
    TaxCodeView,
    TaxLineView,
    TermView,
    UnmappedLineView,
    WizardStart,
)

Clock = Callable[[], datetime]
_SEARCH_LIMIT = 25
_MAX_NAME_ATTEMPTS = 5


def request_id(*parts: object) -> str:
    """A QuickBooks requestid (at most 50 characters) that is the same for every retry of one business operation."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f"hb-{digest[:40]}"


def customer_view(customer: QboCustomer) -> CustomerView:
    return CustomerView(customer_id=customer.id, display_name=customer.display_name,
                        company_name=customer.company_name, email=customer.email, currency=customer.currency)


def _suggestion(match: CustomerMatch) -> CustomerSuggestion:
    return CustomerSuggestion(**customer_view(match.customer).model_dump(), score=match.score, reason=match.reason)


def quote_view(quote: CrmQuote, reason: str | None) -> QuoteView:
    return QuoteView(quote_id=quote.id, title=quote.title, status=quote.status,
                     expiration_date=quote.expiration_date, currency=quote.currency, usable=reason is None,
                     reason=f"This quote cannot be used: {reason}." if reason else None,
                     line_items=[QuoteLineView(line_item_id=line.id, name=line.name, sku=line.sku,
                                               quantity=line.quantity, price=line.price)
                                 for line in quote.line_items])


# ---------------------------------------------------------------- steps 1 and 2: company and quote

def start_wizard(*, portal_id: int, deal_id: str, crm: Crm, companies: QboCompanies,
                 settings: InvoicingSettingsStore, clock: Clock = lambda: datetime.now(UTC)) -> WizardStart:
    deal = crm.deal(deal_id)
    choices = company_choices(portal_id, companies.connected(portal_id), settings)
    today = clock().date()
    quotes = crm.quotes(deal.quote_ids) if deal.quote_ids else []
    views = [quote_view(quote, why_quote_cannot_be_used(quote, today)) for quote in quotes]
    views.sort(key=lambda v: (not v.usable, v.title.casefold()))
    selected = choices[0].realm_id if len(choices) == 1 else None
    return WizardStart(deal_id=deal.id, deal_name=deal.name, companies=choices, selected_realm_id=selected,
                       quotes=views)


def _deal_quote(crm: Crm, deal: CrmDeal, quote_id: str) -> CrmQuote:
    if quote_id not in deal.quote_ids:
        raise RecordNotFoundError("That quote is not on this deal.")
    found = crm.quotes([quote_id])
    if not found:
        raise RecordNotFoundError("That quote no longer exists in HubSpot.")
    return found[0]


def usable_quote(crm: Crm, deal: CrmDeal, quote_id: str, now: datetime) -> CrmQuote:
    quote = _deal_quote(crm, deal, quote_id)
    reason = why_quote_cannot_be_used(quote, now.date())
    if reason:
        raise QuoteNotUsableError(f"This quote cannot be used: {reason}.", details={"quote_id": quote_id})
    return quote


# ---------------------------------------------------------------- step 3: customer

def _people(crm: Crm, deal: CrmDeal, quote: CrmQuote | None) -> tuple[list[CrmContact], list[CrmCompany]]:
    contact_ids: Sequence[str] = (quote.contact_ids if quote and quote.contact_ids else deal.contact_ids)
    company_ids: Sequence[str] = (quote.company_ids if quote and quote.company_ids else deal.company_ids)
    contacts = crm.contacts(contact_ids) if contact_ids else []
    companies = crm.companies(company_ids) if company_ids else []
    return contacts, companies


def _rank(company: QboCompany, contacts: list[CrmContact], companies: list[CrmCompany]) -> list[CustomerSuggestion]:
    emails = sorted({c.email for c in contacts if c.email})
    names = sorted({n for n in [*(c.name for c in companies), *(c.company_name for c in contacts),
                                *(c.full_name for c in contacts)] if n})
    candidates = company.customers_matching(emails, names) if emails or names else []
    return [_suggestion(match) for match in rank_customers(candidates, contacts, companies)]


def customer_suggestions(*, deal_id: str, quote_id: str | None, crm: Crm, company: QboCompany) -> CustomerSuggestions:
    deal = crm.deal(deal_id)
    quote = _deal_quote(crm, deal, quote_id) if quote_id else None
    contacts, companies = _people(crm, deal, quote)
    suggestions = _rank(company, contacts, companies)
    name = suggested_new_customer_name(contacts, companies)
    first = contacts[0] if contacts else None
    prefill = None
    if name:
        prefill = NewCustomerBody(display_name=name, company_name=companies[0].name if companies else None,
                                  given_name=first.first_name if first else None,
                                  family_name=first.last_name if first else None,
                                  email=first.email if first else None,
                                  submission_id="replace-with-a-new-id")
    return CustomerSuggestions(suggestions=suggestions, new_customer=prefill)


def search_customers(company: QboCompany, text: str) -> list[CustomerView]:
    return [customer_view(c) for c in company.search_customers(text.strip(), _SEARCH_LIMIT) if c.active]


def create_customer(*, portal_id: int, company: QboCompany, body: NewCustomerBody) -> CreatedCustomer:
    """Create the customer under the wanted name, or the first free "Name (2)"-style variant, and say so.

    Names are shared with vendors and employees, which we cannot list cheaply, so a clash at create time moves on to
    the next variant. Each attempt has its own requestid, derived from the submission, so retries stay single."""
    profile = company.profile()
    if body.currency and body.currency != profile.home_currency and not profile.multicurrency:
        raise InvoiceRejectedError([FieldProblem("currency", f"This QuickBooks company only uses "
                                                             f"{profile.home_currency}; multicurrency is off.")])
    def create(name: str, attempt: int) -> QboCustomer:
        new = NewCustomer(display_name=name, company_name=body.company_name, given_name=body.given_name,
                          family_name=body.family_name, email=body.email, currency=body.currency)
        return company.create_customer(new, request_id("customer", portal_id, company.realm_id, body.submission_id,
                                                       attempt))

    created = create_under_free_name(body.display_name, company.display_names_starting(body.display_name), create,
                                     attempts=_MAX_NAME_ATTEMPTS)
    if created is not None:
        renamed = created.display_name.casefold() != body.display_name.strip().casefold()
        notice = (f"QuickBooks already has a customer, vendor or employee called {body.display_name!r}, so the new "
                  f"customer is called {created.display_name!r}.") if renamed else None
        return CreatedCustomer(customer=customer_view(created), renamed=renamed, notice=notice)
    raise InvoiceRejectedError([FieldProblem("display_name", "That name and its numbered variants are all used in "
                                                             "QuickBooks; choose a different name.")])


# ---------------------------------------------------------------- step 4: products

def item_view(item: QboItem) -> ItemView:
    return ItemView(item_id=item.id, name=item.name, sku=item.sku, description=item.description,
                    unit_price=item.unit_price, type=item.type, default_tax_code_id=item.sales_tax_code_id)


def search_items(company: QboCompany, text: str) -> list[ItemView]:
    return [item_view(i) for i in company.search_items(text.strip(), _SEARCH_LIMIT)
            if i.active and i.type not in ("Category", "Group")]


def quote_lines(*, deal_id: str, quote_id: str, crm: Crm, company: QboCompany,
                clock: Clock = lambda: datetime.now(UTC)) -> QuoteLines:
    deal = crm.deal(deal_id)
    quote = usable_quote(crm, deal, quote_id, clock())
    names = sorted({line.name for line in quote.line_items})
    skus = sorted({line.sku for line in quote.line_items if line.sku})
    mapped, unmapped = map_quote_lines(quote, company.items_matching(names, skus))
    profile = company.profile()
    lines = [DraftLineView(item_id=m.item.id, item_name=m.item.name, quantity=m.quantity, rate=m.rate,
                           description=m.description, source_line_item_id=m.source.id,
                           tax_code_id=None if profile.is_us else m.item.sales_tax_code_id)
             for m in mapped]
    contacts, companies = _people(crm, deal, quote)
    return QuoteLines(quote_id=quote.id, lines=lines,
                      unmapped=[UnmappedLineView(line_item_id=u.source.id, name=u.source.name, reason=u.reason)
                                for u in unmapped],
                      customer_suggestions=_rank(company, contacts, companies))


# ---------------------------------------------------------------- steps 5 and 6: tax, terms, dates

def invoice_options(*, portal_id: int, company: QboCompany, settings: InvoicingSettingsStore,
                    clock: Clock = lambda: datetime.now(UTC)) -> InvoiceOptions:
    profile = company.live_profile()
    codes = [] if profile.is_us else [c for c in company.tax_codes() if c.active]
    company_settings = settings.get(portal_id, profile.realm_id)
    blocked = creation_block_reason(profile, company_settings)
    return InvoiceOptions(
        realm_id=profile.realm_id, country=profile.country, home_currency=profile.home_currency,
        tax_required=not profile.is_us, tax_label=tax_word(profile.country),
        tax_codes=[TaxCodeView(tax_code_id=c.id, name=c.name, percent=c.total_percent) for c in codes],
        terms=[TermView(term_id=t.id, name=t.name, due_days=t.due_days, day_of_month_due=t.day_of_month_due)
               for t in company.terms() if t.active],
        default_term_id=profile.default_term_id, today=today_in(profile.time_zone, clock()),
        can_create_invoices=blocked is None, blocked_reason=blocked,
        assigns_doc_numbers=bool(profile.custom_txn_numbers and company_settings
                                 and company_settings.assign_doc_numbers),
    )


# ---------------------------------------------------------------- step 7: review

def catalogue_for(company: QboCompany, draft: InvoiceDraft, *, live: bool) -> CompanyCatalogue:
    profile = company.live_profile() if live else company.profile()
    customers = company.customers_by_ids([draft.customer_id])
    items = company.items_by_ids(sorted({line.item_id for line in draft.lines}))
    return CompanyCatalogue(
        profile=profile, customer=customers[0] if customers else None, items={i.id: i for i in items},
        tax_codes={} if profile.is_us else {c.id: c for c in company.tax_codes()},
        terms={t.id: t for t in company.terms()},
    )


def review_of(prepared: PreparedInvoice, catalogue: CompanyCatalogue, doc_number_note: str | None) -> InvoiceReview:
    invoice, totals = prepared.invoice, prepared.totals
    profile = catalogue.profile
    return InvoiceReview(
        realm_id=profile.realm_id, customer=customer_view(prepared.customer),
        lines=[ReviewLine(item_id=line.item_id, item_name=catalogue.items[line.item_id].name,
                          description=line.description, quantity=line.quantity, rate=line.rate, amount=line.amount,
                          tax_code_id=line.tax_code_id) for line in invoice.lines],
        invoice_date=invoice.txn_date, due_date=invoice.due_date, term_id=invoice.term_id,
        term_name=prepared.term.name if prepared.term else None, customer_message=invoice.customer_message,
        currency=prepared.customer.currency or profile.home_currency, subtotal=totals.subtotal, tax=totals.tax,
        tax_lines=[TaxLineView(rate_id=s.rate_id, percent=s.percent, taxable_amount=s.taxable_amount, tax=s.tax)
                   for s in totals.tax_shares],
        total=totals.total,
        tax_note="QuickBooks adds US sales tax from the customer's address when it saves the invoice."
        if totals.tax_pending else None,
        doc_number_note=doc_number_note,
    )


def review_invoice(*, portal_id: int, draft: InvoiceDraft, company: QboCompany, settings: InvoicingSettingsStore,
                   crm: Crm, deal: CrmDeal, clock: Clock = lambda: datetime.now(UTC)) -> InvoiceReview:
    """Everything create would check, checked here too: a review that passes is an invoice create will accept."""
    now = clock()
    if draft.quote_id:
        usable_quote(crm, deal, draft.quote_id, now)
    catalogue = catalogue_for(company, draft, live=True)
    profile = catalogue.profile
    prepared = prepare_invoice(draft, catalogue, today_in(profile.time_zone, now))
    company_settings = settings.get(portal_id, profile.realm_id)
    ensure_invoices_can_be_numbered(profile, company_settings)
    if profile.custom_txn_numbers and company_settings:
        note = f"HubBooks will number this invoice {company_settings.doc_number_prefix}… when it is created."
    else:
        note = None
    return review_of(prepared, catalogue, note)
