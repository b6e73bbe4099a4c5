"""Sending and voiding a linked invoice: QuickBooks first, then the links, the deal properties and the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from hubbooks.domain.finance.delivery import (
    Actor,
    InvoiceNotSendableError,
    InvoiceNotVoidableError,
    send_invoice,
    void_invoice,
)
from hubbooks.domain.invoicing.deal_properties import AMOUNT_BILLED, STATUS
from hubbooks.domain.invoicing.deal_sync import new_link
from hubbooks.domain.invoicing.errors import InvoiceRejectedError, RecordNotFoundError
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceStatus
from tests.unit.finance.fakes import FakeDeliveringCompany, clock
from tests.unit.invoicing.fakes import NOW, US_PROFILE, FakeCompanies, FakeLinks, invoice
from tests.unit.invoicing.live_fakes import FakeLiveCrm

PORTAL = 42
ACTOR = Actor(user_id=7, email="sam@example.com")


@dataclass
class Desk:
    company: FakeDeliveringCompany = field(default_factory=lambda: FakeDeliveringCompany(stored=US_PROFILE))
    links: FakeLinks = field(default_factory=FakeLinks)
    crm: FakeLiveCrm = field(default_factory=FakeLiveCrm)

    def add(self, invoice_id: str = "1", *, deals: tuple[str, ...] = ("900",), contact: str | None = None,
            **facts: object) -> None:
        found = invoice(invoice_id, sync_token="0", **facts)
        self.company.invoices[invoice_id] = found
        records = [(HubSpotObjectType.DEAL, deal) for deal in deals]
        if contact:
            records.append((HubSpotObjectType.CONTACT, contact))
        for object_type, object_id in records:
            self.links.save(new_link(portal_id=PORTAL, object_type=object_type, object_id=object_id,
                                     realm_id=US_PROFILE.realm_id, invoice=found, user_id=7, now=NOW,
                                     today=NOW.date()))

    def send(self, invoice_id: str = "1", to: str | None = None):  # type: ignore[no-untyped-def]
        return send_invoice(portal_id=PORTAL, actor=ACTOR, realm_id=US_PROFILE.realm_id, invoice_id=invoice_id,
                            to=to, companies=FakeCompanies({US_PROFILE.realm_id: self.company}, portal_id=PORTAL),
                            links=self.links, crm=self.crm, clock=clock)

    def void(self, invoice_id: str = "1"):  # type: ignore[no-untyped-def]
        return void_invoice(portal_id=PORTAL, actor=ACTOR, realm_id=US_PROFILE.realm_id, invoice_id=invoice_id,
                            companies=FakeCompanies({US_PROFILE.realm_id: self.company}, portal_id=PORTAL),
                            links=self.links, crm=self.crm, clock=clock)


def test_send_marks_the_invoice_sent_at_once_on_every_linked_record_and_the_deal_timeline() -> None:
    desk = Desk()
    desk.add(deals=("900", "901"), contact="300", bill_email="ap@birds.example")
    result = desk.send()
    assert desk.company.emails == [("1", "ap@birds.example")]
    assert result.invoice.status is InvoiceStatus.SENT and result.sent_to == "ap@birds.example"
    assert result.deals_updated == ["900", "901"]
    assert {deal: props[STATUS] for deal, props in desk.crm.deal_updates} == {"900": "sent", "901": "sent"}
    assert {link.status for link in desk.links.items.values()} == {InvoiceStatus.SENT}  # the contact's link too
    [note] = desk.crm.notes.values()
    assert note.deal_ids == ["900", "901"] and "ap@birds.example" in note.body and "sam@example.com" in note.body
    assert result.payment_link is None  # the company takes no online payments


def test_send_to_another_address_shows_the_payment_link_where_the_company_takes_online_payments() -> None:
    desk = Desk()
    desk.company.online_payments = True
    desk.add()
    result = desk.send(to="  finance@birds.example ")
    assert desk.company.emails == [("1", "finance@birds.example")]
    assert result.payment_link == "https://connect.intuit.com/t/scs-v1-1"
    assert result.invoice.payment_link == result.payment_link


@pytest.mark.parametrize("address", ["not-an-address", "a@b", "two@@example.com", "sp ace@example.com",
                                     "x@" + "d" * 100 + ".com", "name@exa_mple.com", "name@example.123"])
def test_an_invalid_address_is_refused_before_quickbooks_is_asked(address: str) -> None:
    desk = Desk()
    desk.add(bill_email="ap@birds.example")
    with pytest.raises(InvoiceRejectedError) as caught:
        desk.send(to=address)
    assert caught.value.problems[0].field == "to"
    assert desk.company.calls == [] and desk.company.emails == []


def test_without_any_address_the_user_is_asked_for_one() -> None:
    desk = Desk()
    desk.add()
    with pytest.raises(InvoiceRejectedError, match="no billing e-mail"):
        desk.send()
    assert desk.company.emails == []


def test_only_linked_invoices_can_be_sent_or_voided() -> None:
    desk = Desk()
    desk.company.invoices["5"] = invoice("5", bill_email="ap@birds.example", sync_token="0")
    with pytest.raises(RecordNotFoundError, match="not shown on any HubSpot record"):
        desk.send("5")
    with pytest.raises(RecordNotFoundError):
        desk.void("5")
    assert desk.company.emails == [] and desk.company.voids == []


def test_an_invoice_deleted_in_quickbooks_is_reported() -> None:
    desk = Desk()
    desk.add(bill_email="ap@birds.example")
    del desk.company.invoices["1"]
    with pytest.raises(RecordNotFoundError, match="no longer exists"):
        desk.send()


def test_void_zeroes_the_deal_properties_notes_it_and_a_second_void_changes_nothing() -> None:
    desk = Desk()
    desk.add(total="250.00")
    first = desk.void()
    assert first.invoice.status is InvoiceStatus.VOIDED
    assert desk.crm.deal_updates[-1][1][STATUS] == "voided"
    assert desk.crm.deal_updates[-1][1][AMOUNT_BILLED] == "0.00"
    [note] = desk.crm.notes.values()
    assert "voided" in note.body and "250.00 USD" in note.body
    second = desk.void()
    assert second.invoice.status is InvoiceStatus.VOIDED
    assert len(desk.company.voids) == 1 and len(desk.crm.notes) == 1


@pytest.mark.parametrize(("balance", "words"), [("0.00", "is paid"), ("40.00", "60.00 USD paid against it")])
def test_an_invoice_with_payments_is_not_voided(balance: str, words: str) -> None:
    desk = Desk()
    desk.add(total="100.00", balance=balance)
    with pytest.raises(InvoiceNotVoidableError, match=words):
        desk.void()
    assert desk.company.voids == [] and desk.crm.deal_updates == []


def test_a_voided_invoice_cannot_be_sent() -> None:
    desk = Desk()
    desk.add(total="0.00", balance="0.00", private_note="Voided", bill_email="ap@birds.example")
    with pytest.raises(InvoiceNotSendableError, match="voided"):
        desk.send()


def test_hubspot_failing_after_the_change_is_a_warning_not_an_error() -> None:
    desk = Desk()
    desk.add(bill_email="ap@birds.example")

    def broken(deal_id: str, properties: dict[str, str]) -> None:
        raise RuntimeError("HubSpot is down")

    desk.crm.update_deal = broken  # type: ignore[method-assign]
    result = desk.send()
    assert desk.company.emails == [("1", "ap@birds.example")]
    assert result.warnings and result.deals_updated == []
    assert result.invoice.status is InvoiceStatus.SENT
    assert desk.links.for_invoice(PORTAL, US_PROFILE.realm_id, "1")[0].status is InvoiceStatus.SENT


def test_void_request_id_follows_the_invoice_version() -> None:
    desk = Desk()
    desk.add(total="80.00", balance="80.00")
    desk.void()
    assert desk.company.invoices["1"].total == Decimal(0)
    assert desk.company.voids[0].startswith("hb-") and len(desk.company.voids[0]) <= 50
