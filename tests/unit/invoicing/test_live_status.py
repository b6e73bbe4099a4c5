"""Invoice and payment webhooks -> links, deal properties and payment notes, against in-memory fakes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from hubbooks.domain.errors import UpstreamError
from hubbooks.domain.invoicing.deal_properties import AMOUNT_BILLED, DEAL_PROPERTY_NAMES, NUMBER, STATUS
from hubbooks.domain.invoicing.deal_sync import new_link
from hubbooks.domain.invoicing.overdue import check_company
from hubbooks.domain.invoicing.payments import PaymentNoteBusyError, note_body, note_timestamp
from hubbooks.domain.webhooks.fan_out import apply_qbo_batch
from hubbooks.domain.webhooks.reactions import build_dispatcher
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceStatus
from hubbooks.models.payments import AppliedAmount, QboPayment
from hubbooks.models.webhooks import QboChangeBatch, QboEntityChange
from tests.unit.invoicing.fakes import NOW, US_PROFILE, invoice
from tests.unit.invoicing.live_fakes import FakeLiveCompany, LiveWorld

DEAL = "8001"


@pytest.fixture
def world() -> LiveWorld:
    return LiveWorld(company=FakeLiveCompany(stored=US_PROFILE))


def link(world: LiveWorld, invoice_id: str, *, object_type: HubSpotObjectType = HubSpotObjectType.DEAL,
         object_id: str = DEAL, **invoice_fields: object) -> None:
    qbo_invoice = invoice(invoice_id, **invoice_fields)  # type: ignore[arg-type]
    world.company.invoices[invoice_id] = qbo_invoice
    world.links.save(new_link(portal_id=world.portal_id, object_type=object_type, object_id=object_id,
                              realm_id=world.realm_id, invoice=qbo_invoice, user_id=None, now=NOW,
                              today=date(2026, 9, 15)))


def change(world: LiveWorld, entity: str, entity_id: str, operation: str = "Update",
           realm_id: str | None = None) -> QboEntityChange:
    return QboEntityChange(event_id=f"{entity}-{entity_id}-{operation}", realm_id=realm_id or world.realm_id,
                           entity=entity, entity_id=entity_id, operation=operation)


def dispatch(world: LiveWorld, message: QboEntityChange) -> str:
    """As the webhook worker applies a queued batch: the change engine reads the entity and applies it."""
    batch = QboChangeBatch(batch_id=message.event_id, realm_id=message.realm_id, changes=(message,))
    return apply_qbo_batch(batch, realms=world.ports().realms, engine=world.engine(),
                           dispatcher=build_dispatcher(lambda: world.ports().realms))


def pay(world: LiveWorld, payment_id: str, amount: str, *applied: tuple[str, str], **extra: object) -> QboPayment:
    payment = QboPayment(id=payment_id, txn_date=date(2026, 9, 20), total=Decimal(amount), currency="USD",
                         customer_name="Amy's Bird Sanctuary",
                         applied=tuple(AppliedAmount(invoice_id=i, amount=Decimal(a)) for i, a in applied),
                         **extra)  # type: ignore[arg-type]
    world.company.payments[payment_id] = payment
    return payment


# ---------------------------------------------------------------- invoices

def test_invoice_update_refreshes_the_link_and_rewrites_the_deal(world: LiveWorld) -> None:
    link(world, "1")
    world.company.invoices["1"] = invoice("1", balance="40.00", updated=datetime(2026, 9, 16, tzinfo=UTC))
    outcome = dispatch(world, change(world, "Invoice", "1"))
    assert "1 linked invoice(s) refreshed" in outcome and "1 deal(s) updated" in outcome
    assert world.company.calls == ["query invoices by id"]
    assert world.links.for_invoice(world.portal_id, world.realm_id, "1")[0].status is InvoiceStatus.PARTIALLY_PAID
    deal, properties = world.crm.deal_updates[-1]
    assert deal == DEAL and properties[STATUS] == "partially_paid" and properties[AMOUNT_BILLED] == "100.00"


def test_unlinked_invoice_and_unknown_realm_are_acknowledged_without_hubspot_calls(world: LiveWorld) -> None:
    world.company.invoices["5"] = invoice("5")
    assert dispatch(world, change(world, "Invoice", "5")).endswith("portal 42: Invoice x1: no linked invoice")
    unknown = dispatch(world, change(world, "Invoice", "5", realm_id="777"))
    assert unknown == "ignored: QuickBooks company 777 is not connected"
    # The one read is the engine's (it also finds invoices HubBooks created but never got to link).
    assert world.company.calls == ["query invoices by id"] and world.crm_builds == 0


def test_voided_invoice_shows_voided_on_the_deal(world: LiveWorld) -> None:
    link(world, "1")
    world.company.invoices["1"] = invoice("1", total="0", balance="0", private_note="Voided",
                                          updated=datetime(2026, 9, 16, tzinfo=UTC))
    dispatch(world, change(world, "Invoice", "1", "Void"))
    assert world.crm.deal_updates[-1][1][STATUS] == "voided"


def test_deleted_invoice_is_unlinked_and_the_deal_falls_back_to_the_other_invoice(world: LiveWorld) -> None:
    link(world, "1", updated=datetime(2026, 9, 1, tzinfo=UTC))
    link(world, "2", updated=datetime(2026, 9, 10, tzinfo=UTC))
    del world.company.invoices["2"]
    outcome = dispatch(world, change(world, "Invoice", "2", "Delete"))
    assert "1 deleted in QuickBooks and unlinked" in outcome
    assert [lk.invoice_id for lk in world.links.for_object(world.portal_id, HubSpotObjectType.DEAL, DEAL)] == ["1"]
    assert world.crm.deal_updates[-1][1][NUMBER] == "101"


def test_deleting_the_only_invoice_clears_the_deal_even_when_the_first_hubspot_write_fails(world: LiveWorld,
                                                                                         monkeypatch) -> None:
    link(world, "1")
    dispatch(world, change(world, "Invoice", "1"))  # the deal shows the invoice
    del world.company.invoices["1"]
    real_update = world.crm.update_deal
    failures = iter([UpstreamError("HubSpot is down")])

    def flaky_update(deal_id: str, properties: dict[str, str]) -> None:
        failure = next(failures, None)
        if failure:
            raise failure
        real_update(deal_id, properties)

    monkeypatch.setattr(world.crm, "update_deal", flaky_update)
    with pytest.raises(UpstreamError):
        dispatch(world, change(world, "Invoice", "1", "Delete"))
    assert world.links.for_invoice(world.portal_id, world.realm_id, "1"), "links stay until the deal is written"
    dispatch(world, change(world, "Invoice", "1", "Delete"))  # SQS retries
    assert world.links.for_invoice(world.portal_id, world.realm_id, "1") == []
    deal, written = world.crm.deal_updates[-1]
    assert deal == DEAL and {written[name] for name in DEAL_PROPERTY_NAMES} == {""}
    assert written["hubbooks_total_invoiced"] == "0.00" and written["hubbooks_overdue_invoices"] == "0"


def test_foreign_currency_invoice_leaves_the_deal_properties_alone(world: LiveWorld) -> None:
    link(world, "1", currency="GBP")
    world.company.invoices["1"] = invoice("1", currency="GBP", balance="10.00")
    dispatch(world, change(world, "Invoice", "1"))
    assert world.links.for_invoice(world.portal_id, world.realm_id, "1")[0].status is InvoiceStatus.PARTIALLY_PAID
    # The invoice facts stay as they were; only the roll-ups are written (a GBP invoice a USD account cannot convert).
    assert [set(written) & set(DEAL_PROPERTY_NAMES) for _, written in world.crm.deal_updates] == [set()]


def test_quickbooks_outage_propagates_so_the_message_is_retried(world: LiveWorld, monkeypatch) -> None:
    link(world, "1")

    def down(_ids: object) -> list:
        raise UpstreamError("QuickBooks answered 503")

    monkeypatch.setattr(world.company, "invoices_by_ids", down)
    with pytest.raises(UpstreamError):
        dispatch(world, change(world, "Invoice", "1"))


# ---------------------------------------------------------------- payments

def test_payment_refreshes_its_invoice_and_puts_one_note_on_the_deal(world: LiveWorld) -> None:
    link(world, "1")
    world.company.invoices["1"] = invoice("1", balance="60.00")
    pay(world, "77", "40.00", ("1", "40.00"), method="Check", reference="1234")
    outcome = dispatch(world, change(world, "Payment", "77", "Create"))
    assert "note 500 created on deal(s) 8001" in outcome
    assert world.company.calls == ["read payment", "query invoices by id"]
    assert world.crm.deal_updates[-1][1][STATUS] == "partially_paid"
    note = world.crm.notes["500"]
    assert note.deal_ids == [DEAL] and note.timestamp == note_timestamp(date(2026, 9, 20))
    for text in ("Payment received in QuickBooks", "Amount: 40.00 USD", "Date: 2026-09-20",
                 "Applied to invoice 101: 40.00 USD", "Method: Check", "Reference: 1234", "Amy&#x27;s Bird"):
        assert text in note.body

    dispatch(world, change(world, "Payment", "77", "Create"))  # redelivered
    pay(world, "77", "100.00", ("1", "100.00"))
    world.company.invoices["1"] = invoice("1", balance="0.00")
    assert "note 500 updated" in dispatch(world, change(world, "Payment", "77", "Update"))
    assert list(world.crm.notes) == ["500"]
    assert "Amount: 100.00 USD" in world.crm.notes["500"].body
    assert world.crm.deal_updates[-1][1][STATUS] == "paid"


def test_payment_for_an_invoice_on_no_deal_writes_no_note(world: LiveWorld) -> None:
    link(world, "1", object_type=HubSpotObjectType.CONTACT, object_id="55")
    pay(world, "77", "10.00", ("1", "10.00"))
    assert dispatch(world, change(world, "Payment", "77", "Create")).endswith("payment not on any deal")
    world.company.invoices.clear()
    world.links.items.clear()
    pay(world, "78", "10.00", ("9", "10.00"))
    assert dispatch(world, change(world, "Payment", "78", "Create")).endswith(
        "no linked invoice; payment not on any deal")
    assert world.crm.notes == {} and world.notes.items == {}


def test_a_payment_whose_note_another_worker_is_creating_is_retried(world: LiveWorld) -> None:
    link(world, "1")
    pay(world, "77", "10.00", ("1", "10.00"))
    assert world.notes.claim(world.portal_id, world.realm_id, "77", NOW)
    with pytest.raises(PaymentNoteBusyError):
        dispatch(world, change(world, "Payment", "77", "Update"))
    assert world.crm.notes == {}


def test_deleted_payment_refreshes_its_invoices_and_marks_the_note(world: LiveWorld) -> None:
    link(world, "1")
    pay(world, "77", "40.00", ("1", "40.00"))
    world.company.invoices["1"] = invoice("1", balance="60.00")
    dispatch(world, change(world, "Payment", "77", "Create"))
    del world.company.payments["77"]
    world.company.invoices["1"] = invoice("1", updated=datetime(2026, 9, 21, tzinfo=UTC))
    for _ in range(2):  # a redelivered Delete must not mark it twice
        assert "payment deleted: note 500 updated" in dispatch(world, change(world, "Payment", "77", "Delete"))
    body = world.crm.notes["500"].body
    assert body.count("deleted in QuickBooks") == 1 and "Amount: 40.00 USD" in body
    assert world.crm.deal_updates[-1][1][STATUS] == "waiting_to_be_sent"


def test_voided_payment_says_so_on_its_note(world: LiveWorld) -> None:
    link(world, "1")
    pay(world, "77", "40.00", ("1", "40.00"))
    dispatch(world, change(world, "Payment", "77", "Create"))
    pay(world, "77", "0", ("1", "0"), private_note="Voided")
    dispatch(world, change(world, "Payment", "77", "Void"))
    assert "Payment voided in QuickBooks" in world.crm.notes["500"].body


# ---------------------------------------------------------------- lost answers and duplicates (issue 11)

def test_a_note_create_whose_answer_is_lost_is_found_by_its_marker_not_created_twice(world: LiveWorld,
                                                                                   monkeypatch) -> None:
    """Today's code: the retry creates a second note. Now the retry finds the first by its marker."""
    link(world, "1")
    pay(world, "77", "40.00", ("1", "40.00"))
    real_create = world.crm.create_note

    def create_then_lose_the_answer(body: str, timestamp: datetime, deal_ids: list[str]) -> str:
        real_create(body, timestamp, deal_ids)
        raise UpstreamError("HubSpot gave no answer (creating a notes record); it may have been done.")

    monkeypatch.setattr(world.crm, "create_note", create_then_lose_the_answer)
    with pytest.raises(UpstreamError):
        dispatch(world, change(world, "Payment", "77", "Create"))
    monkeypatch.setattr(world.crm, "create_note", real_create)
    outcome = dispatch(world, change(world, "Payment", "77", "Create"))  # SQS retries at once: the claim was let go
    assert "found (its create answer was lost)" in outcome
    pay(world, "77", "60.00", ("1", "60.00"))
    dispatch(world, change(world, "Payment", "77", "Update"))  # a later edit updates that same note
    assert list(world.crm.notes) == ["500"] and "Amount: 60.00 USD" in world.crm.notes["500"].body
    assert "HubBooks reference: qbo-payment-9130-77" in world.crm.notes["500"].body


def test_duplicates_left_by_earlier_versions_are_archived_once_and_recorded(world: LiveWorld) -> None:
    link(world, "1")
    payment = pay(world, "77", "40.00", ("1", "40.00"), reference="CHK-9")
    dispatch(world, change(world, "Payment", "77", "Create"))
    old_body = note_body(payment, {})  # what versions before the marker wrote, twice
    for _ in range(2):
        world.crm.create_note(old_body, note_timestamp(payment.txn_date), [DEAL])
    other = pay(world, "78", "5.00", ("1", "5.00"), reference="CHK-10")
    world.crm.create_note(note_body(other, {}), note_timestamp(other.txn_date), [DEAL])  # another payment's: kept
    world.notes.save(world.notes.get(world.portal_id, world.realm_id, "77").model_copy(  # type: ignore[union-attr]
        update={"duplicates_checked": False}))
    outcome = dispatch(world, change(world, "Payment", "77", "Update"))
    assert "2 duplicate(s) archived" in outcome
    assert sorted(world.crm.notes) == ["500", "503"]
    assert world.notes.get(world.portal_id, world.realm_id, "77").duplicates_archived == ("501", "502")  # type: ignore[union-attr]


def test_the_daily_check_repairs_a_deal_whose_write_failed_in_a_hubspot_outage(world: LiveWorld,
                                                                              monkeypatch) -> None:
    """Problem 1, second half: the snapshot used to be saved before the HubSpot write that failed, and the daily
    check only rewrote deals whose snapshot changed, so it never repaired the deal. Now it compares with HubSpot."""
    link(world, "1")
    dispatch(world, change(world, "Invoice", "1"))
    world.company.invoices["1"] = invoice("1", balance="40.00")  # partly paid in QuickBooks

    def hubspot_down(deal_id: str, properties: dict[str, str]) -> None:
        raise UpstreamError("HubSpot answered 429")

    real_update = world.crm.update_deal
    monkeypatch.setattr(world.crm, "update_deal", hubspot_down)
    with pytest.raises(UpstreamError):
        dispatch(world, change(world, "Invoice", "1"))  # retried until dead-lettered, HubSpot still down
    monkeypatch.setattr(world.crm, "update_deal", real_update)
    assert world.crm.deal_updates[-1][1][STATUS] == "waiting_to_be_sent"
    outcome = check_company(portal_id=world.portal_id, realm_id=world.realm_id, links=world.links,
                            companies=world.ports().companies, crm=lambda: world.crm, clock=lambda: NOW)
    assert outcome.endswith("1 deals updated")
    assert world.crm.deal_updates[-1][1][STATUS] == "partially_paid"
