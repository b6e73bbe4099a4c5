"""Invoice status kept live by QuickBooks webhooks: the simulator signs and records each delivery, our receiver queues
it on moto SQS, and the worker applies it against both simulators, all in-process."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
import requests
import webhook_receiver_handler
import webhook_worker_handler

from sandbox.demo.bookkeeper import bookkeeper_token
from tests.functional.invoicing.conftest import World
from tests.functional.test_webhooks import _drain, _sqs_event
from tests.support import LambdaContext, http_event

UNREACHABLE = "http://127.0.0.1:9/webhooks/qbo"  # the simulator records signed deliveries it cannot make


class Webhooks:
    """Our app's QuickBooks webhooks, pointed somewhere unreachable so the simulator keeps each signed delivery for
    us to hand to the receiver in-process."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.seen: set[str] = set()
        app = world.qbo("GET", "apps")["apps"][0]
        world.qbo("PATCH", f"apps/{app['client_id']}", {"webhook_url": UNREACHABLE})

    def deliver(self) -> list[dict[str, Any]]:
        """Flush the simulator, give each new signed body to our receiver, and return the queued messages."""
        self.world.qbo("POST", "webhooks/flush", {"timeout_seconds": 10})
        for delivery in self.world.qbo("GET", "webhooks/deliveries")["deliveries"]:
            if delivery["id"] in self.seen:
                continue
            self.seen.add(delivery["id"])
            body = json.dumps(delivery["payload"], separators=(",", ":"))
            event = http_event("POST", "/webhooks/qbo", body=body, headers={
                "intuit-signature": delivery["signature"], "content-type": delivery["content_type"]})
            response = webhook_receiver_handler.lambda_handler(event, LambdaContext())
            assert response["statusCode"] == 200, response
        return _drain()


@pytest.fixture
def hooks(world: World) -> Webhooks:
    return Webhooks(world)


def run_worker(messages: list[dict[str, Any]], context: LambdaContext | None = None) -> dict[str, Any]:
    return webhook_worker_handler.lambda_handler(_sqs_event(messages), context or LambdaContext())


def qbo_api(world: World, realm: str, method: str, path: str, body: Any = None) -> Any:
    """As a bookkeeper's other app does: the Accounting API with that app's own token (and its own rate limit)."""
    answer = requests.request(method, f"{world.qbo_url}/v3/company/{realm}/{path}", json=body, timeout=10,
                              params={"minorversion": "75"},
                              headers={"Authorization": f"Bearer {bookkeeper_token(world.qbo_url, realm)}",
                                       "Accept": "application/json"})
    assert answer.status_code == 200, answer.text
    return answer.json()


def create_invoice(world: World, realm: str, rate: str = "200") -> dict[str, Any]:
    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body={
        "realm_id": realm, "customer_id": "1", "submission_id": uuid.uuid4().hex, "term_id": "3",
        "lines": [{"item_id": "3", "quantity": "1", "rate": rate}]})
    assert status == 200, created
    return created["invoice"]


def pay(world: World, realm: str, invoice_id: str, amount: str, **extra: Any) -> str:
    payment = qbo_api(world, realm, "POST", "payment", {
        "CustomerRef": {"value": "1"}, "TotalAmt": amount, **extra,
        "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}]}]})["Payment"]
    return str(payment["Id"])


def deal_notes(world: World) -> list[dict[str, Any]]:
    deal = world.hubspot("GET", f"/crm/v3/objects/deals/{world.deal_id}?associations=notes")
    ids = [r["id"] for r in (deal.get("associations") or {}).get("notes", {}).get("results", [])]
    return [world.hubspot("GET", f"/crm/v3/objects/notes/{i}?properties=hs_note_body,hs_timestamp")
            for i in dict.fromkeys(ids)]


def card_status(world: World, invoice_id: str) -> str:
    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200, card
    return next(i["status"] for i in card["invoices"] if i["invoice_id"] == invoice_id)


def test_payments_make_the_invoice_partially_paid_then_paid_with_one_note_each(world: World, hooks: Webhooks) -> None:
    realm = world.realms["us"]
    invoice = create_invoice(world, realm)
    assert run_worker(hooks.deliver()) == {"batchItemFailures": []}  # the invoice's own Create

    first = pay(world, realm, invoice["invoice_id"], "50.00", PaymentRefNum="CHK-1001")
    messages = hooks.deliver()
    assert {c["entity"] for m in messages for c in json.loads(m["Body"])["changes"]} == {"Payment", "Invoice"}
    assert run_worker(messages) == {"batchItemFailures": []}
    assert card_status(world, invoice["invoice_id"]) == "partially_paid"
    assert world.deal_properties()["hubbooks_invoice_status"] == "partially_paid"
    notes = deal_notes(world)
    assert len(notes) == 1
    body = notes[0]["properties"]["hs_note_body"]
    assert "50.00 USD" in body and f"invoice {invoice['number']}" in body and "CHK-1001" in body

    assert run_worker(messages) == {"batchItemFailures": []}  # SQS redelivers the same batch
    payment = qbo_api(world, realm, "GET", f"payment/{first}")["Payment"]
    qbo_api(world, realm, "POST", "payment", {"Id": payment["Id"], "SyncToken": payment["SyncToken"],
                                              "sparse": True, "PrivateNote": "Cheque cleared"})
    assert run_worker(hooks.deliver()) == {"batchItemFailures": []}  # the payment's Update
    assert len(deal_notes(world)) == 1

    pay(world, realm, invoice["invoice_id"], "150.00")
    assert run_worker(hooks.deliver()) == {"batchItemFailures": []}
    assert card_status(world, invoice["invoice_id"]) == "paid"
    assert world.deal_properties()["hubbooks_invoice_status"] == "paid"
    assert len(deal_notes(world)) == 2


def _latest(world: World, realm: str, invoice_id: str) -> dict[str, Any]:
    current = qbo_api(world, realm, "GET", f"invoice/{invoice_id}")["Invoice"]
    return {"Id": current["Id"], "SyncToken": current["SyncToken"]}


def test_a_voided_then_deleted_invoice_is_reflected_on_the_deal(world: World, hooks: Webhooks) -> None:
    realm = world.realms["us"]
    invoice = create_invoice(world, realm)
    run_worker(hooks.deliver())
    qbo_api(world, realm, "POST", "invoice?operation=void", _latest(world, realm, invoice["invoice_id"]))
    assert run_worker(hooks.deliver()) == {"batchItemFailures": []}
    assert world.deal_properties()["hubbooks_invoice_status"] == "voided"

    qbo_api(world, realm, "POST", "invoice?operation=delete", _latest(world, realm, invoice["invoice_id"]))
    assert run_worker(hooks.deliver()) == {"batchItemFailures": []}
    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200 and card["invoices"] == [] and card["unavailable_invoices"] == []
    assert not world.deal_properties().get("hubbooks_invoice_status")


def _stranger_change() -> dict[str, Any]:
    """A queued change for a QuickBooks company no portal connected."""
    return {"MessageId": "m-stranger", "ReceiptHandle": "r", "MD5OfBody": "",
            "Body": json.dumps({"source": "qbo", "event_id": "ev-stranger", "realm_id": "4242", "entity": "Invoice",
                                "entity_id": "1", "operation": "Update"})}


def test_an_outage_fails_only_its_messages_and_a_stranger_realm_is_acknowledged(world: World, hooks: Webhooks) -> None:
    realm = world.realms["us"]
    invoice = create_invoice(world, realm)
    run_worker(hooks.deliver())
    pay(world, realm, invoice["invoice_id"], "20.00")
    messages = hooks.deliver()
    world.qbo("POST", "faults", {"status": 503, "rate": 1.0, "path_prefix": f"/v3/company/{realm}/query"})
    try:  # little time left in the invocation, so the client gives up instead of backing off
        result = run_worker([*messages, _stranger_change()], LambdaContext(remaining_ms=2_000))
    finally:
        world.qbo("DELETE", "faults")
    assert sorted(f["itemIdentifier"] for f in result["batchItemFailures"]) == sorted(m["MessageId"] for m in messages)
    assert run_worker(messages) == {"batchItemFailures": []}  # SQS retries once QuickBooks answers again
    assert world.deal_properties()["hubbooks_invoice_status"] == "partially_paid"
    assert len(deal_notes(world)) == 1
