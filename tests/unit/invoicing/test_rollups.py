"""Roll-ups across a record's linked invoices, in the HubSpot currency; and their upkeep on every path that changes an
invoice (webhook refresh, daily check, linking), for deals, contacts and companies alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hubbooks.domain.connect.hubspot_deal_properties import (
    DEAL_PROPERTIES,
    ROLLUP_GROUP,
    ensure_invoice_properties,
    rollup_properties,
)
from hubbooks.domain.invoicing import linking, overdue
from hubbooks.domain.invoicing.deal_sync import new_link
from hubbooks.domain.invoicing.live_status import refresh_invoices
from hubbooks.domain.invoicing.rollups import ROLLUP_PROPERTY_NAMES, rollup
from hubbooks.models.hubspot_properties import PropertyGroupSpec, PropertySpec
from hubbooks.models.invoice_wizard import CrmCompany
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceLink, InvoiceStatus
from hubbooks.models.invoicing_api import LinkInvoicesBody
from tests.unit.invoicing.fakes import GB_PROFILE, NOW, US_PROFILE, FakeCompanies, FakeCompany, FakeCrm, FakeLinks
from tests.unit.invoicing.fakes import invoice as make_invoice

PORTAL = 42
TODAY = NOW.date()


def link(invoice_id: str, *, total: str, balance: str, currency: str = "USD", status: InvoiceStatus,
         rate: str | None = None, home: str | None = "USD", paid_on: date | None = None,
         realm: str = "9130") -> InvoiceLink:
    return InvoiceLink(portal_id=PORTAL, realm_id=realm, invoice_id=invoice_id,
                       object_type=HubSpotObjectType.CONTACT, object_id="300", linked_at=NOW, total=Decimal(total),
                       balance=Decimal(balance), currency=currency, status=status, last_updated=NOW,
                       exchange_rate=Decimal(rate) if rate else None, home_currency=home, last_payment_date=paid_on)


def test_totals_count_foreign_invoices_at_their_recorded_rate_and_skip_voided_ones() -> None:
    links = [
        link("1", total="100.00", balance="0.00", status=InvoiceStatus.PAID, paid_on=date(2026, 9, 3)),
        link("2", total="200.00", balance="50.00", status=InvoiceStatus.OVERDUE, paid_on=date(2026, 9, 10)),
        # EUR invoice in a USD QuickBooks company: ExchangeRate 1.1 USD per EUR, recorded on the invoice
        link("3", total="100.00", balance="100.00", currency="EUR", rate="1.1", status=InvoiceStatus.OVERDUE),
        link("4", total="0.00", balance="0.00", status=InvoiceStatus.VOIDED),
        link("5", total="70.00", balance="70.00", status=InvoiceStatus.SENT),
    ]
    totals = rollup(links, "USD")
    assert totals.total_invoiced == Decimal("480.00")  # 100 + 200 + 110 + 70
    assert totals.total_paid == Decimal("250.00")
    assert totals.outstanding == Decimal("230.00")
    assert (totals.overdue_amount, totals.overdue_count) == (Decimal("160.00"), 2)
    assert totals.last_payment_date == date(2026, 9, 10) and totals.unconverted == 0
    assert totals.properties() == {
        "hubbooks_total_invoiced": "480.00", "hubbooks_total_paid": "250.00",
        "hubbooks_outstanding_balance": "230.00", "hubbooks_overdue_amount": "160.00",
        "hubbooks_overdue_invoices": "2", "hubbooks_last_payment_date": "2026-09-10"}


def test_an_invoice_in_a_third_currency_is_left_out_not_guessed() -> None:
    # A GBP company's EUR invoice: QuickBooks recorded EUR -> GBP, which says nothing about USD.
    links = [link("1", total="100.00", balance="100.00", currency="EUR", rate="0.86", home="GBP",
                  status=InvoiceStatus.SENT, realm="4620"),
             link("2", total="10.00", balance="10.00", status=InvoiceStatus.SENT)]
    totals = rollup(links, "USD")
    assert totals.total_invoiced == Decimal("10.00") and totals.unconverted == 1 and totals.counted == 1
    assert rollup(links, "GBP").total_invoiced == Decimal("86.00")  # a GBP portal counts it


def test_the_same_invoice_twice_counts_once_and_no_links_give_zeros() -> None:
    once = link("1", total="40.00", balance="40.00", status=InvoiceStatus.SENT)
    assert rollup([once, once.model_copy(update={"object_id": "301"})], "USD").total_invoiced == Decimal("40.00")
    assert rollup([], "USD").properties()["hubbooks_total_invoiced"] == "0.00"


@dataclass
class Portal:
    company: FakeCompany = field(default_factory=lambda: FakeCompany(stored=US_PROFILE))
    links: FakeLinks = field(default_factory=FakeLinks)
    crm: FakeCrm = field(default_factory=FakeCrm)

    def companies(self) -> FakeCompanies:
        return FakeCompanies({self.company.realm_id: self.company}, portal_id=PORTAL)

    def attach(self, object_type: HubSpotObjectType, object_id: str, invoice_id: str) -> None:
        self.links.save(new_link(portal_id=PORTAL, object_type=object_type, object_id=object_id,
                                 realm_id=self.company.realm_id, invoice=self.company.invoices[invoice_id],
                                 user_id=7, now=NOW, today=TODAY))

    def written(self, object_type: HubSpotObjectType, object_id: str) -> dict[str, str]:
        if object_type is HubSpotObjectType.DEAL:
            return [p for d, p in self.crm.deal_updates if d == object_id][-1]
        return [p for t, o, p in self.crm.record_updates if (t, o) == (object_type, object_id)][-1]


def test_a_payment_webhook_refreshes_the_deal_contact_and_company_with_the_payment_date() -> None:
    world = Portal()
    world.company.invoices["1"] = make_invoice("1", total="300.00", customer_name="Amy")
    world.company.invoices["2"] = make_invoice("2", total="100.00")
    world.attach(HubSpotObjectType.DEAL, "900", "1")
    world.attach(HubSpotObjectType.CONTACT, "300", "1")
    world.attach(HubSpotObjectType.CONTACT, "300", "2")
    world.attach(HubSpotObjectType.COMPANY, "600", "1")
    world.company.invoices["1"] = make_invoice("1", total="300.00", balance="120.00", payment_ids=("77",))
    world.company.payment_dates["77"] = date(2026, 9, 12)

    refresh_invoices(portal_id=PORTAL, realm_id=world.company.realm_id, invoice_ids=["1"], links=world.links,
                     companies=world.companies(), crm=lambda: world.crm, clock=lambda: NOW)
    deal = world.written(HubSpotObjectType.DEAL, "900")
    assert deal["hubbooks_total_paid"] == "180.00" and deal["hubbooks_invoice_status"] == "partially_paid"
    contact = world.written(HubSpotObjectType.CONTACT, "300")
    assert contact["hubbooks_total_invoiced"] == "400.00" and contact["hubbooks_outstanding_balance"] == "220.00"
    assert contact["hubbooks_last_payment_date"] == "2026-09-12"
    assert "hubbooks_invoice_status" not in contact  # only deals describe a single invoice
    assert world.written(HubSpotObjectType.COMPANY, "600")["hubbooks_total_paid"] == "180.00"
    assert world.company.calls.count("query payments") == 1


def test_the_daily_check_moves_an_invoice_into_the_overdue_roll_ups() -> None:
    world = Portal()
    world.company.invoices["1"] = make_invoice("1", total="90.00", due=date(2026, 9, 30))
    world.attach(HubSpotObjectType.COMPANY, "600", "1")
    later = NOW.replace(month=10, day=5)
    outcome = overdue.check_company(portal_id=PORTAL, realm_id=world.company.realm_id, links=world.links,
                                    companies=world.companies(), crm=lambda: world.crm, clock=lambda: later)
    assert outcome.endswith("0 deals updated, 1 contacts or companies updated")
    written = world.written(HubSpotObjectType.COMPANY, "600")
    assert (written["hubbooks_overdue_amount"], written["hubbooks_overdue_invoices"]) == ("90.00", "1")


def test_linking_to_a_company_writes_its_roll_ups_including_a_foreign_invoice() -> None:
    world = Portal(company=FakeCompany(stored=GB_PROFILE), crm=FakeCrm(currency="GBP"))
    world.crm.companies_by_id["600"] = CrmCompany(id="600", name="Amy's Bird Sanctuary")
    world.company.invoices["5"] = make_invoice("5", total="200.00", balance="200.00", currency="EUR",
                                               exchange_rate=Decimal("0.85"), home_currency="GBP")
    world.company.invoices["6"] = make_invoice("6", total="50.00", balance="20.00", currency="GBP",
                                               home_currency="GBP", payment_ids=("8",))
    world.company.payment_dates["8"] = date(2026, 9, 2)
    result = linking.link_invoices(portal_id=PORTAL, user_id=7, body=LinkInvoicesBody(
        realm_id=GB_PROFILE.realm_id, invoice_ids=["5", "6"], object_type=HubSpotObjectType.COMPANY,
        object_id="600"), companies=world.companies(), links=world.links, crm=world.crm, clock=lambda: NOW)
    assert len(result.linked) == 2 and not result.deal_properties_updated
    written = world.written(HubSpotObjectType.COMPANY, "600")
    assert written["hubbooks_total_invoiced"] == "220.00"  # 200 EUR x 0.85 + 50 GBP
    assert written["hubbooks_outstanding_balance"] == "190.00"
    assert written["hubbooks_last_payment_date"] == "2026-09-02"


@dataclass
class PerObjectProperties:
    groups: dict[tuple[str, str], PropertyGroupSpec] = field(default_factory=dict)
    names: dict[str, set[str]] = field(default_factory=dict)

    def find_group(self, object_type: str, group_name: str) -> PropertyGroupSpec | None:
        return self.groups.get((object_type, group_name))

    def create_group(self, object_type: str, group: PropertyGroupSpec) -> PropertyGroupSpec:
        self.groups[(object_type, group.name)] = group
        return group

    def list_names(self, object_type: str) -> set[str]:
        return set(self.names.get(object_type, set()))

    def create(self, object_type: str, spec: PropertySpec) -> PropertySpec:
        assert (object_type, spec.group_name) in self.groups
        self.names.setdefault(object_type, set()).add(spec.name)
        return spec


def test_install_defines_the_roll_ups_on_deals_contacts_and_companies_once() -> None:
    api = PerObjectProperties()
    created = ensure_invoice_properties(api)
    assert len(created) == len(DEAL_PROPERTIES) + 2 * len(ROLLUP_PROPERTY_NAMES)
    for object_type in ("deals", "contacts", "companies"):
        assert set(ROLLUP_PROPERTY_NAMES) <= api.names[object_type]
    assert {p.name for p in rollup_properties(ROLLUP_GROUP)} == set(ROLLUP_PROPERTY_NAMES)
    assert ensure_invoice_properties(api) == []
