"""Customer ranking, distinct display names, quote eligibility and mapping, invoice numbering, deal properties."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hubbooks.domain.invoicing.customer_matching import (
    clean_display_name,
    display_name_candidates,
    normalise_name,
    rank_customers,
    suggested_new_customer_name,
)
from hubbooks.domain.invoicing.deal_properties import (
    AMOUNT_BILLED,
    DUE_DATE,
    NUMBER,
    RECIPIENT,
    STATUS,
    InvoiceFacts,
    deal_properties,
)
from hubbooks.domain.invoicing.doc_numbers import (
    CUSTOM_NUMBERS_MESSAGE,
    assign_doc_number,
    creation_block_reason,
    ensure_invoices_can_be_numbered,
    format_doc_number,
    prefix_problems,
)
from hubbooks.domain.invoicing.errors import CustomNumbersRequiredError
from hubbooks.domain.invoicing.quotes import effective_rate, map_quote_lines, why_quote_cannot_be_used
from hubbooks.models.invoice_wizard import CrmCompany, CrmContact, CrmQuote, QboCustomer, QuoteLineItem
from hubbooks.models.invoicing import InvoiceStatus, InvoicingSettings
from tests.unit.invoicing.fakes import ITEMS, US_PROFILE

CUSTOMERS = [
    QboCustomer(id="1", display_name="Amy's Bird Sanctuary", company_name="Amy's Bird Sanctuary",
                email="birds@intuit.com"),
    QboCustomer(id="2", display_name="Globex", company_name="Globex Corporation"),
    QboCustomer(id="3", display_name="Jane Doe"),
    QboCustomer(id="4", display_name="Globex Europe"),
    QboCustomer(id="5", display_name="Globex (old)", company_name="Globex Inc", active=False),
]


def test_email_beats_company_beats_person_beats_partial() -> None:
    contacts = [CrmContact(id="c1", email="Birds@Intuit.com", first_name="Jane", last_name="Doe")]
    companies = [CrmCompany(id="k1", name="Globex, Inc.")]
    ranked = rank_customers(CUSTOMERS, contacts, companies)
    assert [(m.customer.id, m.score) for m in ranked] == [("1", 100), ("2", 60), ("3", 40), ("4", 15)]
    assert ranked[0].reason == "E-mail matches Birds@Intuit.com"
    assert ranked[1].reason == "Company name matches Globex, Inc."


def test_no_evidence_no_suggestion() -> None:
    assert rank_customers(CUSTOMERS, [CrmContact(id="c", email="x@y.z")], []) == []


def test_names_are_compared_without_case_punctuation_or_legal_suffix() -> None:
    assert normalise_name("ACME, Ltd.") == normalise_name("acme") == "acme"
    assert normalise_name("Smith & Sons LLC") == "smith and sons"


def test_display_name_candidates_skip_taken_names() -> None:
    assert display_name_candidates("Globex", ["globex", "Globex (2)"], attempts=2) == ["Globex (3)", "Globex (4)"]
    assert display_name_candidates("New Co", [], attempts=1) == ["New Co"]
    assert clean_display_name("Parent: Child  Co") == "Parent Child Co"
    long = display_name_candidates("x" * 120, ["x" * 100], attempts=1)[0]
    assert len(long) == 100 and long.endswith(" (2)")


def test_new_customer_name_prefers_the_company() -> None:
    contact = CrmContact(id="c", first_name="Jane", last_name="Doe", email="jane@example.com")
    assert suggested_new_customer_name([contact], [CrmCompany(id="k", name="Globex")]) == "Globex"
    assert suggested_new_customer_name([contact], []) == "Jane Doe"
    assert suggested_new_customer_name([], []) is None


TODAY = date(2026, 9, 15)
LINE = QuoteLineItem(id="li1", name="Consulting", quantity=Decimal(2), price=Decimal(150))


@pytest.mark.parametrize(("status", "expires", "lines", "reason"), [
    ("APPROVAL_NOT_NEEDED", date(2026, 9, 15), (LINE,), None),
    ("APPROVED", None, (LINE,), None),
    ("DRAFT", None, (LINE,), "it is still a draft; publish it in HubSpot first"),
    (None, None, (LINE,), "it is still a draft; publish it in HubSpot first"),
    ("PENDING_APPROVAL", None, (LINE,), "it is waiting for approval"),
    ("REJECTED", None, (LINE,), "it was rejected; edit and publish it again"),
    ("ARCHIVED", None, (LINE,), "its status is ARCHIVED, not published"),
    ("APPROVED", date(2026, 9, 14), (LINE,), "it expired on 2026-09-14"),
    ("APPROVED", None, (), "it has no line items"),
])
def test_quote_eligibility(status: str | None, expires: date | None, lines: tuple, reason: str | None) -> None:
    quote = CrmQuote(id="q", title="Q", status=status, expiration_date=expires, line_items=lines)
    assert why_quote_cannot_be_used(quote, TODAY) == reason


def test_quote_lines_map_by_sku_then_name_and_report_the_rest() -> None:
    quote = CrmQuote(id="q", title="Q", status="APPROVED", line_items=(
        QuoteLineItem(id="a", name="Advisory", sku="cons-1", quantity=Decimal(2), price=Decimal(100)),
        QuoteLineItem(id="b", name="widget", quantity=Decimal(3), price=Decimal(25), description="Blue"),
        QuoteLineItem(id="c", name="Gizmo", sku="GZ", quantity=Decimal(1), price=Decimal(9)),
        QuoteLineItem(id="d", name="Hardware", quantity=Decimal(1), price=Decimal(9)),
    ))
    mapped, unmapped = map_quote_lines(quote, ITEMS)
    assert [(m.source.id, m.item.id, m.quantity, m.rate, m.description) for m in mapped] == [
        ("a", "3", Decimal(2), Decimal(100), "Advisory"), ("b", "4", Decimal(3), Decimal(25), "Blue")]
    assert [u.source.id for u in unmapped] == ["c", "d"]
    assert "Gizmo" in unmapped[0].reason and "GZ" in unmapped[0].reason


def test_discounts_fold_into_the_rate() -> None:
    assert effective_rate(QuoteLineItem(id="x", name="n", price=Decimal(100), discount_percent=Decimal(10))) == 90
    assert effective_rate(QuoteLineItem(id="x", name="n", price=Decimal(100), discount_amount=Decimal(120))) == 0


def test_doc_numbers() -> None:
    assert format_doc_number("HB-", 7) == "HB-7"
    with pytest.raises(ValueError, match="21"):
        format_doc_number("HB-", 10 ** 19)
    assert prefix_problems("INV/2026-") == []
    assert {p.field for p in prefix_problems("way too long prefix!")} == {"doc_number_prefix"}
    sequence = iter(range(1, 10))
    taken = {"HB-1", "HB-2"}
    assert assign_doc_number("HB-", lambda: next(sequence), taken.__contains__) == "HB-3"
    with pytest.raises(CustomNumbersRequiredError, match="already used"):
        assign_doc_number("HB-", lambda: 1, lambda n: True, attempts=3)


def test_custom_transaction_numbers_block_creation_until_opted_in() -> None:
    custom = US_PROFILE.model_copy(update={"custom_txn_numbers": True})
    assert creation_block_reason(US_PROFILE, None) is None
    assert creation_block_reason(custom, None) == CUSTOM_NUMBERS_MESSAGE
    assert "Account and settings > Sales > Custom transaction numbers" in CUSTOM_NUMBERS_MESSAGE
    opted_in = InvoicingSettings(portal_id=1, realm_id="9130", assign_doc_numbers=True)
    assert creation_block_reason(custom, opted_in) is None
    with pytest.raises(CustomNumbersRequiredError) as refused:
        ensure_invoices_can_be_numbered(custom, InvoicingSettings(portal_id=1, realm_id="9130"))
    assert refused.value.status_code == 409


def _facts(invoice_id: str, currency: str, updated_day: int, status: InvoiceStatus = InvoiceStatus.SENT
           ) -> InvoiceFacts:
    return InvoiceFacts(realm_id="9130", invoice_id=invoice_id, doc_number=f"N{invoice_id}", customer_name="Amy",
                        total=Decimal("12.5"), currency=currency, status=status, due_date=date(2026, 10, 1),
                        last_updated=datetime(2026, 9, updated_day, tzinfo=UTC))


def test_deal_properties_come_from_the_latest_home_currency_invoice() -> None:
    props = deal_properties([_facts("1", "USD", 3), _facts("2", "USD", 5), _facts("3", "EUR", 9)], "usd")
    assert props == {AMOUNT_BILLED: "12.50", RECIPIENT: "Amy", NUMBER: "N2", STATUS: "sent",
                     DUE_DATE: "2026-10-01"}


def test_only_foreign_invoices_write_nothing() -> None:
    assert deal_properties([_facts("3", "EUR", 9)], "USD") is None
