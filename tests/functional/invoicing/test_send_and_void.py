"""Send and void from the card, in-process against both simulators: QuickBooks e-mails or voids, and the deal's
properties, its timeline and the card follow at once. Void is for approvers and admins only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import requests

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.config import get_settings
from hubbooks.models.hubspot_install import HubSpotInstall
from tests.functional.invoicing.conftest import USER, World
from tests.functional.invoicing.test_live_status import create_invoice, deal_notes, pay

SALESPERSON = 8  # not an approver


@pytest.fixture
def installed(world: World) -> World:
    """The portal's install record names USER as the installer, so USER is a HubBooks admin."""
    DynamoInstallStore(dynamodb_table(get_settings().app_table_name)).save(HubSpotInstall(
        portal_id=world.portal_id, company_currency="USD", installed_at=datetime.now(UTC), installed_by_user_id=USER))
    return world


def emails(world: World, realm: str) -> list[dict]:
    return list(world.qbo("GET", f"companies/{realm}/emails")["emails"])


def send(world: World, realm: str, invoice_id: str, **body: object) -> tuple[int, dict]:
    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/invoices/{invoice_id}/send",
                                   body={"send_id": uuid.uuid4().hex, **body}, user_id=SALESPERSON)
    return status, answer


def test_send_marks_it_sent_everywhere_once_per_click_and_shows_the_payment_link(installed: World) -> None:
    world = installed
    realm = world.realms["us"]
    requests.patch(f"{world.qbo_url}/_sandbox/companies/{realm}", json={"online_payments": True}, timeout=10)
    invoice = create_invoice(world, realm)
    assert invoice["can_send"] and invoice["payment_link"] is None  # the create response is read without the link

    body = {"send_id": "click-0001", "to": "ap@birds.example"}
    first = world.call("POST", f"/app/qbo/{realm}/invoices/{invoice['invoice_id']}/send", body=body,
                       user_id=SALESPERSON)
    again = world.call("POST", f"/app/qbo/{realm}/invoices/{invoice['invoice_id']}/send", body=body,
                       user_id=SALESPERSON)
    assert first[0] == again[0] == 200, first[1]
    result = first[1]
    assert [mail["to"] for mail in emails(world, realm)] == ["ap@birds.example"]  # the retry sent nothing
    assert result["invoice"]["status"] == "sent" and result["sent_to"] == "ap@birds.example"
    assert result["payment_link"].startswith("https://connect.intuit.com/t/")
    assert result["deals_updated"] == [world.deal_id]
    assert world.deal_properties()["hubbooks_invoice_status"] == "sent"
    assert any("ap@birds.example" in n["properties"]["hs_note_body"] for n in deal_notes(world))

    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}", user_id=SALESPERSON)
    [shown] = card["invoices"]
    assert status == 200 and shown["status"] == "sent" and shown["payment_link"] == result["payment_link"]
    assert shown["can_send"] and not shown["can_void"]  # a salesperson may not void


def test_bad_addresses_and_unlinked_invoices_get_clear_answers(installed: World) -> None:
    world = installed
    realm = world.realms["us"]
    invoice = create_invoice(world, realm)
    status, answer = send(world, realm, invoice["invoice_id"], to="ap@birds")
    assert status == 422 and answer["details"]["fields"][0]["field"] == "to"
    assert "domain name" in answer["message"]
    status, answer = send(world, realm, "999999")
    assert status == 404 and "not shown on any HubSpot record" in answer["message"]
    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/invoices/{invoice['invoice_id']}/send",
                                   body={"send_id": "short"})
    assert status == 422
    assert emails(world, realm) == []


def test_void_is_for_approvers_refuses_paid_invoices_and_the_deal_follows(installed: World) -> None:
    world = installed
    realm = world.realms["us"]
    invoice = create_invoice(world, realm, rate="120")
    path = f"/app/qbo/{realm}/invoices/{invoice['invoice_id']}/void"

    status, answer, _ = world.call("POST", path, body={"confirm": True}, user_id=SALESPERSON)
    assert status == 403 and "approvers" in answer["message"]
    status, answer, _ = world.call("POST", path, body={"confirm": False})
    assert status == 422 and "confirmation" in answer["message"]

    status, roles, _ = world.call("PUT", "/app/finance-roles", body={"approver_user_ids": [SALESPERSON]})
    assert status == 200 and roles["approver_user_ids"] == [SALESPERSON] and roles["you_are_admin"]
    status, answer, _ = world.call("PUT", "/app/finance-roles", body={"admin_user_ids": [SALESPERSON]},
                                   user_id=SALESPERSON)
    assert status == 403

    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}", user_id=SALESPERSON)
    assert card["invoices"][0]["can_void"]
    status, voided, _ = world.call("POST", path, body={"confirm": True}, user_id=SALESPERSON)
    assert status == 200, voided
    assert voided["invoice"]["status"] == "voided" and not voided["invoice"]["can_send"]
    props = world.deal_properties()
    assert props["hubbooks_invoice_status"] == "voided"
    assert any("voided" in n["properties"]["hs_note_body"] for n in deal_notes(world))
    status, again, _ = world.call("POST", path, body={"confirm": True}, user_id=SALESPERSON)
    assert status == 200 and again["invoice"]["status"] == "voided"

    paid = create_invoice(world, realm, rate="80")
    pay(world, realm, paid["invoice_id"], "80.00")
    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/invoices/{paid['invoice_id']}/void",
                                   body={"confirm": True})
    assert status == 409 and "is paid, so it cannot be voided" in answer["message"]
    status, answer = send(world, realm, invoice["invoice_id"], to="ap@birds.example")
    assert status == 409 and "voided" in answer["message"]
