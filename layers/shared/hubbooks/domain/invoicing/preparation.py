"""Turn the wizard's draft into exactly what QuickBooks will be asked to save, or say everything that is wrong.

All checks run before any write, against the company's live products, tax codes and terms, so a rejected draft
leaves nothing behind in QuickBooks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from hubbooks.domain.invoicing.dates import due_date_for
from hubbooks.domain.invoicing.errors import FieldProblem, InvoiceRejectedError
from hubbooks.domain.invoicing.totals import PricedLine, Totals, compute_totals, line_amount
from hubbooks.models.invoice_wizard import (
    InvoiceDraft,
    InvoiceLine,
    InvoiceToCreate,
    PaymentTerm,
    QboCustomer,
    QboItem,
    TaxCode,
)
from hubbooks.models.invoicing import CompanyProfile

_TAX_WORDS = {"GB": "VAT", "UK": "VAT", "IE": "VAT", "FR": "VAT", "CA": "sales tax (GST/HST)", "AU": "GST",
              "NZ": "GST", "IN": "GST"}
_UNSELLABLE_ITEM_TYPES = frozenset({"Category", "Group"})


def tax_word(country: str) -> str:
    return _TAX_WORDS.get(country.upper(), "tax")


@dataclass(frozen=True)
class CompanyCatalogue:
    """The live QuickBooks records a draft refers to (fetched by the caller in as few queries as it can)."""

    profile: CompanyProfile
    customer: QboCustomer | None
    items: Mapping[str, QboItem]
    tax_codes: Mapping[str, TaxCode]
    terms: Mapping[str, PaymentTerm]


@dataclass(frozen=True)
class PreparedInvoice:
    invoice: InvoiceToCreate
    totals: Totals
    term: PaymentTerm | None
    customer: QboCustomer


def _line_problems(index: int, item_id: str, tax_code_id: str | None,
                   catalogue: CompanyCatalogue) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    at = f"lines[{index}]"
    item = catalogue.items.get(item_id)
    if item is None or not item.active:
        problems.append(FieldProblem(f"{at}.item_id", f"Line {index + 1}: that product or service no longer exists "
                                                      "in QuickBooks; choose another."))
    elif item.type in _UNSELLABLE_ITEM_TYPES:
        problems.append(FieldProblem(f"{at}.item_id", f"Line {index + 1}: {item.name} is a {item.type.lower()}, "
                                                      "not something you can sell; choose a product or service."))
    profile = catalogue.profile
    word = tax_word(profile.country)
    if profile.is_us:
        if tax_code_id:
            problems.append(FieldProblem(f"{at}.tax_code_id", f"Line {index + 1}: leave the tax empty; QuickBooks "
                                                              "works out US sales tax itself."))
        return problems
    if not tax_code_id:
        problems.append(FieldProblem(f"{at}.tax_code_id", f"Line {index + 1}: choose a {word} rate."))
        return problems
    code = catalogue.tax_codes.get(tax_code_id)
    if code is None or not code.active:
        problems.append(FieldProblem(f"{at}.tax_code_id", f"Line {index + 1}: that {word} rate is not available in "
                                                          "this QuickBooks company; choose another."))
    return problems


def _choose_term(draft: InvoiceDraft, catalogue: CompanyCatalogue, problems: list[FieldProblem]) -> PaymentTerm | None:
    if draft.term_id:
        term = catalogue.terms.get(draft.term_id)
        if term is None or not term.active:
            problems.append(FieldProblem("term_id", "Those payment terms are not available in QuickBooks; choose "
                                                    "others."))
        return term
    for fallback in ((catalogue.customer.term_id if catalogue.customer else None), catalogue.profile.default_term_id):
        if fallback and (term := catalogue.terms.get(fallback)) is not None and term.active:
            return term
    return None


def prepare_invoice(draft: InvoiceDraft, catalogue: CompanyCatalogue, today: date,
                    doc_number: str | None = None) -> PreparedInvoice:
    problems: list[FieldProblem] = []
    customer = catalogue.customer
    if customer is None or not customer.active:
        problems.append(FieldProblem("customer_id", "That customer no longer exists in QuickBooks; choose or create "
                                                    "another."))
    for index, line in enumerate(draft.lines):
        problems += _line_problems(index, line.item_id, line.tax_code_id, catalogue)
    term = _choose_term(draft, catalogue, problems)
    invoice_date = draft.invoice_date or today
    due = draft.due_date or (due_date_for(term, invoice_date) if term else invoice_date)
    if due < invoice_date:
        problems.append(FieldProblem("due_date", "The due date cannot be before the invoice date."))
    if problems or customer is None:
        raise InvoiceRejectedError(problems)

    lines = tuple(InvoiceLine(item_id=line.item_id, quantity=line.quantity, rate=line.rate,
                              amount=line_amount(line.quantity, line.rate),
                              description=line.description or catalogue.items[line.item_id].description,
                              tax_code_id=None if catalogue.profile.is_us else line.tax_code_id)
                  for line in draft.lines)
    totals = compute_totals((PricedLine(line.amount, line.tax_code_id) for line in lines), catalogue.tax_codes,
                            automated_tax=catalogue.profile.is_us)
    invoice = InvoiceToCreate(
        customer_id=customer.id, lines=lines, txn_date=invoice_date, due_date=due,
        term_id=term.id if term else None, customer_message=draft.customer_message or None, doc_number=doc_number,
        currency=customer.currency, bill_email=customer.email, tax_excluded=not catalogue.profile.is_us,
    )
    return PreparedInvoice(invoice=invoice, totals=totals, term=term, customer=customer)
