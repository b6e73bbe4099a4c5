"""The card, the wizard steps, creation, linking and the overdue check, against in-memory fakes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from hubbooks.domain.errors import ConflictError, UpstreamError
from hubbooks.domain.invoicing import card, creation, linking, overdue, wizard
from hubbooks.domain.invoicing.deal_properties import AMOUNT_BILLED, DEAL_PROPERTY_NAMES, NUMBER, STATUS
from hubbooks.domain.invoicing.errors import (
    CustomNumbersRequiredError,
    InvoiceRejectedError,
    QuickBooksRejectedError,
    QuoteNotUsableError,
    RecordNotFoundError,
)
from hubbooks.models.invoice_wizard import (
    CrmCompany,
    CrmContact,
    CrmDeal,
    CrmQuote,
    InvoiceDraft,
    InvoiceSearch,
    InvoiceSubmission,
    QboCustomer,
    QuoteLineItem,
)
from hubbooks.models.invoicing import HubSpotObjectType, InvoicingSettings, PendingSubmission
from hubbooks.models.invoicing_api import LinkInvoicesBody, NewCustomerBody
from tests.unit.invoicing.fakes import (
    GB_PROFILE,
    GB_TAX_CODES,
    NOW,
    US_PROFILE,
    FakeCompanies,
    FakeCompany,
    FakeCrm,
    FakeLinks,
    FakeSettings,
    FakeSubmissions,
    invoice,
)

PORTAL = 42
DEAL = CrmDeal(id="501", name="Big deal", contact_ids=("301",), company_ids=("k1",), quote_ids=("q1", "q2"))
QUOTE = CrmQuote(id="q1", title="Proposal", status="APPROVAL_NOT_NEEDED", expiration_date=date(2026, 12, 31),
                 line_items=(QuoteLineItem(id="li1", name="Consulting", quantity=Decimal(2), price=Decimal(150)),
                             QuoteLineItem(id="li2", name="Mystery box", quantity=Decimal(1), price=Decimal(5))))
DRAFT_QUOTE = CrmQuote(id="q2", title="Draft", status="DRAFT", line_items=QUOTE.line_items)


def clock() -> datetime:
    return NOW


@pytest.fixture
def world():
    us = FakeCompany(stored=US_PROFILE, customers={"1": QboCustomer(id="1", display_name="Globex",
                                                                  email="ann@globex.com", currency="USD")})
    gb = FakeCompany(stored=GB_PROFILE, codes=list(GB_TAX_CODES),
                     customers={"1": QboCustomer(id="1", display_name="Tesco", currency="GBP")})
    crm = FakeCrm(deals={DEAL.id: DEAL}, quotes_by_id={"q1": QUOTE, "q2": DRAFT_QUOTE},
                  contacts_by_id={"301": CrmContact(id="301", email="ann@globex.com", first_name="Ann")},
                  companies_by_id={"k1": CrmCompany(id="k1", name="Globex Inc")})
    return {"us": us, "gb": gb, "companies": FakeCompanies({"9130": us, "4620": gb}), "crm": crm,
            "links": FakeLinks(), "settings": FakeSettings(), "submissions": FakeSubmissions()}


def submission(realm: str = "9130", **changes) -> InvoiceSubmission:
    base = {"realm_id": realm, "customer_id": "1", "submission_id": "sub-000001",
            "lines": [{"item_id": "3", "quantity": "2", "rate": "150"}]}
    return InvoiceSubmission.model_validate(base | changes)


def create(world, sub: InvoiceSubmission, at=None):
    return creation.create_invoice(portal_id=PORTAL, user_id=7, deal_id=DEAL.id, submission=sub, crm=world["crm"],
                                   companies=world["companies"], links=world["links"], settings=world["settings"],
                                   submissions=world["submissions"], clock=at or clock)


def test_card_makes_one_query_per_company_and_one_hubspot_read(world) -> None:
    world["us"].invoices = {"1": invoice("1"), "2": invoice("2", email_status="EmailSent")}
    world["gb"].invoices = {"7": invoice("7", currency="EUR", exchange_rate=Decimal("0.85"))}
    for realm, ids in (("9130", ["1", "2", "404"]), ("4620", ["7"])):
        for invoice_id in ids:
            world["links"].save(creation.new_link(
                portal_id=PORTAL, object_type=HubSpotObjectType.DEAL, object_id="501", realm_id=realm,
                invoice=invoice(invoice_id), user_id=7, now=NOW, today=NOW.date()))
    data = card.build_card(portal_id=PORTAL, object_type=HubSpotObjectType.DEAL, object_id="501",
                           links=world["links"], companies=world["companies"], crm=world["crm"],
                           settings=world["settings"], clock=clock)
    assert world["us"].calls == ["query invoices by id"] and world["gb"].calls == ["query invoices by id"]
    assert world["crm"].reads == 1
    assert {i.invoice_id for i in data.invoices} == {"1", "2", "7"}
    foreign = next(i for i in data.invoices if i.invoice_id == "7")
    assert foreign.home_currency == "GBP" and foreign.home_amount == Decimal("85.00")
    assert not foreign.writes_deal_properties
    assert foreign.qbo_url == "https://app.qbo.intuit.com/app/invoice?txnId=7"
    assert [u.invoice_id for u in data.unavailable_invoices] == ["404"]
    assert [a.action for a in data.next_actions] == ["create_invoice", "link_existing_invoice"]
    assert data.summary.currency == data.hubspot_currency
    assert data.summary.invoice_count + data.summary.other_currency_count == 3


def test_card_hands_its_independent_reads_over_in_two_rounds(world) -> None:
    """The links, connections and currency need nothing from each other; every company's query needs the first
    round's links and connections. A runner that makes each round's reads at once then waits for two, not five."""
    world["us"].invoices = {"1": invoice("1")}
    world["gb"].invoices = {"7": invoice("7")}
    for realm, invoice_id in (("9130", "1"), ("4620", "7")):
        world["links"].save(creation.new_link(
            portal_id=PORTAL, object_type=HubSpotObjectType.DEAL, object_id="501", realm_id=realm,
            invoice=invoice(invoice_id), user_id=7, now=NOW, today=NOW.date()))
    rounds: list[int] = []

    def runner(calls):
        rounds.append(len(calls))
        return [call() for call in reversed(calls)][::-1]  # any order of execution gives the same card

    data = card.build_card(portal_id=PORTAL, object_type=HubSpotObjectType.DEAL, object_id="501",
                           links=world["links"], companies=world["companies"], crm=world["crm"],
                           settings=world["settings"], clock=clock, run_all=runner)
    numbered = sum(1 for c in world["companies"].connected(PORTAL) if c.custom_txn_numbers)
    assert rounds == [3, 2 + numbered]
    assert sorted(i.invoice_id for i in data.invoices) == ["1", "7"]
    assert world["us"].calls == ["query invoices by id"] and world["gb"].calls == ["query invoices by id"]


def test_card_without_companies_offers_to_connect(world) -> None:
    data = card.build_card(portal_id=99, object_type=HubSpotObjectType.CONTACT, object_id="301", links=world["links"],
                           companies=world["companies"], crm=world["crm"], settings=world["settings"])
    assert [a.action for a in data.next_actions] == ["connect_quickbooks"] and data.invoices == []


def test_wizard_start_lists_usable_quotes_first_with_reasons_for_the_others(world) -> None:
    start = wizard.start_wizard(portal_id=PORTAL, deal_id="501", crm=world["crm"], companies=world["companies"],
                                settings=world["settings"], clock=clock)
    assert [(q.quote_id, q.usable) for q in start.quotes] == [("q1", True), ("q2", False)]
    assert "draft" in (start.quotes[1].reason or "")
    assert start.selected_realm_id is None and len(start.companies) == 2


def test_quote_lines_map_and_report_unmapped(world) -> None:
    lines = wizard.quote_lines(deal_id="501", quote_id="q1", crm=world["crm"], company=world["us"], clock=clock)
    assert [(line.item_id, line.quantity, line.rate) for line in lines.lines] == [("3", 2, 150)]
    assert [u.name for u in lines.unmapped] == ["Mystery box"]
    assert lines.customer_suggestions[0].customer_id == "1"
    with pytest.raises(QuoteNotUsableError, match="draft"):
        wizard.quote_lines(deal_id="501", quote_id="q2", crm=world["crm"], company=world["us"], clock=clock)
    with pytest.raises(RecordNotFoundError):
        wizard.quote_lines(deal_id="501", quote_id="q9", crm=world["crm"], company=world["us"], clock=clock)


def test_customer_suggestions_rank_by_email_and_prefill_a_new_customer(world) -> None:
    result = wizard.customer_suggestions(deal_id="501", quote_id=None, crm=world["crm"], company=world["us"])
    assert result.suggestions[0].reason.startswith("E-mail matches")
    assert result.new_customer is not None and result.new_customer.display_name == "Globex Inc"


def test_creating_a_customer_with_a_taken_name_picks_a_distinct_one_and_says_so(world) -> None:
    world["us"].other_names.add("Globex (2)")  # a vendor: invisible to the customer query
    body = NewCustomerBody(display_name="Globex", email="ops@globex.com", submission_id="cust-0001")
    created = wizard.create_customer(portal_id=PORTAL, company=world["us"], body=body)
    assert created.renamed and created.customer.display_name == "Globex (3)"
    assert "Globex (3)" in (created.notice or "")
    again = wizard.create_customer(portal_id=PORTAL, company=world["us"], body=body)
    assert again.customer.customer_id == created.customer.customer_id
    assert len(world["us"].customers) == 2


def test_invoice_options_for_uk_list_active_vat_codes(world) -> None:
    options = wizard.invoice_options(portal_id=PORTAL, company=world["gb"], settings=world["settings"], clock=clock)
    assert options.tax_required and options.tax_label == "VAT"
    assert [c.tax_code_id for c in options.tax_codes] == ["1", "2", "5"]
    us = wizard.invoice_options(portal_id=PORTAL, company=world["us"], settings=world["settings"], clock=clock)
    assert not us.tax_required and us.tax_codes == [] and us.can_create_invoices


def test_review_computes_totals_and_due_date(world) -> None:
    draft = InvoiceDraft.model_validate({
        "realm_id": "4620", "customer_id": "1", "term_id": "2", "invoice_date": "2026-09-10",
        "lines": [{"item_id": "3", "quantity": "3", "rate": "33.335", "tax_code_id": "1"},
                  {"item_id": "4", "quantity": "1", "rate": "10", "tax_code_id": "2"}]})
    review = wizard.review_invoice(portal_id=PORTAL, draft=draft, company=world["gb"], settings=world["settings"],
                                   crm=world["crm"], deal=DEAL, clock=clock)
    assert review.lines[0].amount == Decimal("100.01")
    assert review.subtotal == Decimal("110.01") and review.tax == Decimal("20.50")
    assert review.total == Decimal("130.51") and review.due_date == date(2026, 9, 25)
    assert review.currency == "GBP"


def test_review_lists_every_problem_with_its_field(world) -> None:
    draft = InvoiceDraft.model_validate({
        "realm_id": "4620", "customer_id": "77", "term_id": "99", "invoice_date": "2026-09-10",
        "due_date": "2026-09-01",
        "lines": [{"item_id": "3", "quantity": "1", "rate": "1"},
                  {"item_id": "404", "quantity": "1", "rate": "1", "tax_code_id": "9"},
                  {"item_id": "7", "quantity": "1", "rate": "1", "tax_code_id": "1"}]})
    with pytest.raises(InvoiceRejectedError) as rejected:
        wizard.review_invoice(portal_id=PORTAL, draft=draft, company=world["gb"], settings=world["settings"],
                              crm=world["crm"], deal=DEAL)
    fields = [p["field"] for p in rejected.value.details["fields"]]
    assert fields == ["customer_id", "lines[0].tax_code_id", "lines[1].item_id", "lines[1].tax_code_id",
                      "lines[2].item_id", "term_id", "due_date"]
    assert "VAT" in rejected.value.message


def test_us_lines_must_not_carry_a_tax_code(world) -> None:
    with pytest.raises(InvoiceRejectedError, match="works out US sales tax"):
        create(world, submission(lines=[{"item_id": "3", "quantity": "1", "rate": "1", "tax_code_id": "TAX"}]))
    assert "create invoice" not in world["us"].calls


def test_create_links_the_invoice_and_writes_the_deal_properties(world) -> None:
    result = create(world, submission())
    assert result.invoice.amount == Decimal("300.00") and result.deal_properties_updated
    assert result.invoice.due_date == date(2026, 10, 15)  # the company's default Net 30
    [(deal_id, props)] = world["crm"].deal_updates
    assert deal_id == "501" and props[AMOUNT_BILLED] == "300.00" and props[STATUS] == "waiting_to_be_sent"
    assert [link.invoice_id for link in world["links"].for_object(PORTAL, HubSpotObjectType.DEAL, "501")] == [
        result.invoice.invoice_id]


def test_the_same_submission_twice_makes_one_invoice(world) -> None:
    first = create(world, submission())
    second = create(world, submission())
    assert first.invoice.invoice_id == second.invoice.invoice_id
    assert len(world["us"].invoices) == 1
    other = create(world, submission(submission_id="sub-000002"))
    assert other.invoice.invoice_id != first.invoice.invoice_id


def test_foreign_currency_invoice_is_linked_but_leaves_deal_properties(world) -> None:
    world["gb"].customers["2"] = QboCustomer(id="2", display_name="Euro GmbH", currency="EUR")
    result = create(world, submission("4620", customer_id="2",
                                      lines=[{"item_id": "3", "quantity": "1", "rate": "10", "tax_code_id": "1"}]))
    assert not result.deal_properties_updated and result.invoice.currency == "EUR"
    assert "not the HubSpot company currency" in result.warnings[0]
    assert [set(written) & set(DEAL_PROPERTY_NAMES) for _, written in world["crm"].deal_updates] == [set()]


def test_custom_transaction_numbers_refuse_then_number_after_opt_in(world) -> None:
    world["us"].live = US_PROFILE.model_copy(update={"custom_txn_numbers": True})
    with pytest.raises(CustomNumbersRequiredError, match="Custom transaction numbers"):
        create(world, submission())
    assert "create invoice" not in world["us"].calls
    world["us"].invoices["x"] = invoice("x", doc_number="INV-1")
    world["settings"].save(InvoicingSettings(portal_id=PORTAL, realm_id="9130", assign_doc_numbers=True,
                                             doc_number_prefix="INV-"))
    result = create(world, submission())
    assert result.invoice.number == "INV-2"
    assert world["crm"].deal_updates[-1][1][NUMBER] == "INV-2"


def test_link_search_and_unlink(world) -> None:
    world["us"].invoices = {"1": invoice("1", doc_number="1001"), "2": invoice("2", doc_number="1002")}
    found = linking.search_invoices(company=world["us"], search=InvoiceSearch(doc_number="1002"), crm=world["crm"])
    assert [i.invoice_id for i in found] == ["2"]
    body = LinkInvoicesBody(realm_id="9130", invoice_ids=["1", "2", "3"], object_type=HubSpotObjectType.CONTACT,
                            object_id="301")
    result = linking.link_invoices(portal_id=PORTAL, user_id=7, body=body, companies=world["companies"],
                                   links=world["links"], crm=world["crm"], clock=clock)
    assert [i.invoice_id for i in result.linked] == ["1", "2"] and result.not_found == ["3"]
    assert not result.deal_properties_updated
    again = linking.link_invoices(portal_id=PORTAL, user_id=7, body=body, companies=world["companies"],
                                  links=world["links"], crm=world["crm"], clock=clock)
    assert again.linked == [] and again.already_linked == ["1", "2"]
    unlinked = linking.unlink_invoice(portal_id=PORTAL, object_type=HubSpotObjectType.CONTACT, object_id="301",
                                      realm_id="9130", invoice_id="1", links=world["links"], crm=world["crm"])
    assert unlinked.unlinked
    with pytest.raises(RecordNotFoundError):
        linking.unlink_invoice(portal_id=PORTAL, object_type=HubSpotObjectType.CONTACT, object_id="301",
                               realm_id="9130", invoice_id="1", links=world["links"], crm=world["crm"])
    with pytest.raises(RecordNotFoundError, match="no HubSpot contact 999"):
        linking.link_invoices(portal_id=PORTAL, user_id=7, body=body.model_copy(update={"object_id": "999"}),
                              companies=world["companies"], links=world["links"], crm=world["crm"])


def test_unlinking_the_last_deal_invoice_clears_the_deal_properties(world) -> None:
    created = create(world, submission())
    linking.unlink_invoice(portal_id=PORTAL, object_type=HubSpotObjectType.DEAL, object_id="501", realm_id="9130",
                           invoice_id=created.invoice.invoice_id, links=world["links"], crm=world["crm"])
    written = world["crm"].deal_updates[-1][1]
    assert {written[name] for name in DEAL_PROPERTY_NAMES} == {""} and written["hubbooks_outstanding_balance"] == "0.00"


def test_overdue_check_updates_changed_links_and_their_deals(world) -> None:
    created = create(world, submission())
    world["crm"].deal_updates.clear()
    later = datetime(2026, 11, 1, 12, tzinfo=UTC)
    outcome = overdue.check_company(portal_id=PORTAL, realm_id="9130", links=world["links"],
                                    companies=world["companies"], crm=lambda: world["crm"], clock=lambda: later)
    assert outcome == "checked 1 invoices: 1 links changed, 1 deals updated"
    assert world["crm"].deal_updates[-1][1][STATUS] == "overdue"
    writes = len(world["crm"].deal_updates)
    again = overdue.check_company(portal_id=PORTAL, realm_id="9130", links=world["links"],
                                  companies=world["companies"], crm=lambda: world["crm"], clock=lambda: later)
    assert again.endswith("0 links changed, 0 deals updated")
    assert len(world["crm"].deal_updates) == writes, "HubSpot already shows it: nothing is written"
    assert created.invoice.status.value == "waiting_to_be_sent"


def test_overdue_check_without_links_does_not_call_quickbooks(world) -> None:
    assert overdue.check_company(portal_id=PORTAL, realm_id="9130", links=world["links"],
                                 companies=world["companies"], crm=lambda: world["crm"]) == "no linked invoices"
    assert world["us"].calls == []


# ---------------------------------------------------------------- orphan invoices (issue 11)

def test_a_lost_create_answer_then_a_reopened_wizard_links_the_invoice_instead_of_making_a_second(world) -> None:
    """Today's code: the user's new submission makes a second invoice. Now it is refused, naming the invoice that
    the lost answer had made, which is linked to the deal."""
    world["us"].lose_create_answers = 1
    with pytest.raises(UpstreamError):
        create(world, submission())
    assert len(world["us"].invoices) == 1 and world["links"].items == {}
    later = lambda: NOW + timedelta(minutes=2)  # noqa: E731 - the user reopens the wizard a little later
    with pytest.raises(ConflictError, match="did create invoice 1001 in QuickBooks"):
        create(world, submission(submission_id="sub-000002"), at=later)
    assert len(world["us"].invoices) == 1, "no second invoice"
    (linked,) = world["links"].items.values()
    assert linked.object_id == DEAL.id and world["crm"].deal_updates[-1][1][NUMBER] == "1001"
    assert world["submissions"].items == {}
    again = create(world, submission(submission_id="sub-000003"), at=later)  # told, they may create another
    assert again.invoice.number == "1002"


def test_a_submission_still_in_flight_blocks_a_second_one_for_a_minute(world) -> None:
    pending = PendingSubmission(portal_id=PORTAL, deal_id=DEAL.id, submission_id="sub-000001", realm_id="9130",
                                started_at=NOW)  # its request is still running (or died without a word)
    world["submissions"].start(pending)
    soon = lambda: NOW + timedelta(seconds=20)  # noqa: E731
    with pytest.raises(ConflictError, match="being created right now"):
        create(world, submission(submission_id="sub-000002"), at=soon)
    assert "create invoice" not in world["us"].calls
    later = lambda: NOW + timedelta(minutes=2)  # noqa: E731 - past the window: looked up, not found, forgotten
    assert create(world, submission(submission_id="sub-000002"), at=later).invoice.number == "1001"


def test_a_failed_attempt_is_looked_up_at_once_rather_than_waited_for(world) -> None:
    world["us"].lose_create_answers = 1
    with pytest.raises(UpstreamError):
        create(world, submission())
    soon = lambda: NOW + timedelta(seconds=5)  # noqa: E731
    with pytest.raises(ConflictError, match="did create invoice 1001"):
        create(world, submission(submission_id="sub-000002"), at=soon)


def test_the_invoice_carries_its_deal_and_submission_where_quickbooks_keeps_it(world) -> None:
    created = create(world, submission())
    stored = world["us"].invoices[created.invoice.invoice_id]
    assert "HubBooks reference: hubspot-deal-42-501-submission-sub-000001" in (stored.private_note or "")
    assert world["submissions"].items == {}


def test_a_refused_create_leaves_no_pending_submission(world, monkeypatch) -> None:
    def refuse(*_args: object) -> None:
        assert len(world["submissions"].items) == 1, "pending while QuickBooks is asked"
        raise QuickBooksRejectedError("QuickBooks did not accept this when asked to create the invoice.")

    monkeypatch.setattr(world["us"], "create_invoice", refuse)
    with pytest.raises(QuickBooksRejectedError):
        create(world, submission())
    assert world["submissions"].items == {}
