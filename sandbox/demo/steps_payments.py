"""Payments recorded in QuickBooks reach HubSpot by themselves: the simulator signs a webhook for each change, our
receiver queues it, the worker re-reads QuickBooks and updates the card, the deal's invoice fields and the deal
timeline. `PaymentScenario` is also what the e2e tests build on."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

import requests

from sandbox.demo.bookkeeper import bookkeeper_token
from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.seed_hubspot import sandbox_token
from sandbox.stack import http_json

ORDER = 45  # after the invoice steps (40), whose scenario it reuses
DEAL_FIELDS = "hubbooks_invoice_status,hubbooks_invoice_number,hubbooks_invoice_amount_billed"


@dataclass
class PaymentScenario:
    """An invoice on a deal of the invoice scenario's portal, and a bookkeeper's own QuickBooks app to pay it with
    (as another accounting tool would; it has no webhook URL, so only HubBooks hears about the changes)."""

    invoices: InvoiceScenario
    realm_id: str
    qbo_token: str
    invoice: dict[str, Any]

    @classmethod
    def set_up(cls, invoices: InvoiceScenario, amount: str = "400") -> PaymentScenario:
        realm = invoices.realms["us"]
        status, created = invoices.create(invoices.draft("us", [{"item_id": "1", "quantity": "1", "rate": amount}],
                                                         term_id="3"))
        if status != 200:
            raise StepFailed(f"creating the invoice to pay failed: {status} {short_json(created)}")
        scenario = cls(invoices, realm, bookkeeper_token(invoices.stack.qbo_url, realm), created["invoice"])
        scenario.deliver_webhooks()  # the invoice's own Create
        return scenario

    @property
    def stack(self) -> Any:
        return self.invoices.stack

    def pay(self, amount: str, **extra: Any) -> dict[str, Any]:
        """POST /v3/company/{realm}/payment, applied to the invoice through Line[].LinkedTxn."""
        answer = requests.post(
            f"{self.stack.qbo_url}/v3/company/{self.realm_id}/payment", params={"minorversion": "75"}, timeout=30,
            headers={"Authorization": f"Bearer {self.qbo_token}", "Accept": "application/json"},
            json={"CustomerRef": {"value": "1"}, "TotalAmt": amount, **extra,
                  "Line": [{"Amount": amount,
                            "LinkedTxn": [{"TxnId": self.invoice["invoice_id"], "TxnType": "Invoice"}]}]})
        if answer.status_code != 200:
            raise StepFailed(f"QuickBooks refused the payment: {answer.status_code} {answer.text[:200]}")
        return dict(answer.json()["Payment"])

    def deliver_webhooks(self) -> list[dict[str, Any]]:
        """Wait for the simulator's webhook POSTs to our gateway, then for the worker to empty the queue."""
        status, flushed = http_json("POST", f"{self.stack.qbo_url}/_sandbox/webhooks/flush", {"timeout_seconds": 20})
        if status != 200 or not flushed["idle"]:
            raise StepFailed(f"the QuickBooks simulator's webhooks did not go out: {status} {short_json(flushed)}")
        drained = self.stack.drain_queues(timeout=60)
        if not drained.get("drained"):
            raise StepFailed(f"the webhook queue did not drain: {short_json(drained)}")
        return list(flushed["deliveries"])

    @staticmethod
    def payment_delivery(deliveries: list[dict[str, Any]]) -> dict[str, Any]:
        """The latest delivery that told us about a payment (CloudEvents array or legacy notification)."""
        def mentions_payment(payload: Any) -> bool:
            if isinstance(payload, list):
                return any(str(e.get("type", "")).startswith("qbo.payment.") for e in payload)
            return any(entity.get("name") == "Payment" for n in payload.get("eventNotifications", [])
                       for entity in n.get("dataChangeEvent", {}).get("entities", []))

        found = [d for d in deliveries if mentions_payment(d["payload"])]
        if not found:
            raise StepFailed("no webhook delivery mentioned the payment")
        return found[-1]

    def redeliver(self, delivery: dict[str, Any]) -> int:
        """POST a delivery again, byte for byte and signed, as Intuit does when it missed our 200."""
        body = json.dumps(delivery["payload"], separators=(",", ":"))
        answer = requests.post(f"{self.stack.gateway_url}/webhooks/qbo", data=body.encode(), timeout=30,
                               headers={"intuit-signature": delivery["signature"],
                                        "content-type": delivery["content_type"]})
        self.stack.drain_queues(timeout=60)
        return answer.status_code

    def card_invoice(self) -> dict[str, Any]:
        status, card = self.invoices.fetch("GET", f"/app/cards/deal/{self.invoices.deal.id}")
        if status != 200:
            raise StepFailed(f"the card answered {status}: {short_json(card)}")
        return next(i for i in card["invoices"] if i["invoice_id"] == self.invoice["invoice_id"])

    def _hubspot(self, path: str) -> dict[str, Any]:
        token = sandbox_token(self.stack.hubspot_url, self.invoices.portal_id)
        answer = requests.get(f"{self.stack.hubspot_url}{path}", headers={"Authorization": f"Bearer {token}"},
                              timeout=30)
        answer.raise_for_status()
        return dict(answer.json())

    def deal_fields(self) -> dict[str, Any]:
        return dict(self._hubspot(f"/crm/v3/objects/deals/{self.invoices.deal.id}?properties={DEAL_FIELDS}")
                    ["properties"])

    def payment_notes(self) -> list[str]:
        """Bodies of the deal's notes about this invoice."""
        deal = self._hubspot(f"/crm/v3/objects/deals/{self.invoices.deal.id}?associations=notes")
        ids = dict.fromkeys(r["id"] for r in (deal.get("associations") or {}).get("notes", {}).get("results", []))
        bodies = [self._hubspot(f"/crm/v3/objects/notes/{i}?properties=hs_note_body")["properties"]["hs_note_body"]
                  for i in ids]
        return [b for b in bodies if f"invoice {self.invoice['number']}" in (b or "")]


def _payments(demo: Demo) -> PaymentScenario:
    scenario = demo.facts["payment_scenario"]
    assert isinstance(scenario, PaymentScenario)
    return scenario


def part_payment(demo: Demo) -> str:
    invoices = demo.facts["invoice_scenario"]
    assert isinstance(invoices, InvoiceScenario)
    scenario = PaymentScenario.set_up(invoices)
    demo.facts["payment_scenario"] = scenario
    invoice = scenario.invoice
    demo.say(f"invoice {invoice['number']} for {invoice['amount']} USD on deal {invoices.deal.id}: "
             f"{scenario.card_invoice()['status_label']}")
    payment = scenario.pay("150.00", PaymentRefNum="CHK-2041", PaymentMethodRef={"value": "2", "name": "Check"})
    demo.say(f"the customer pays 150.00 USD by cheque CHK-2041; the bookkeeper records payment {payment['Id']} "
             "in QuickBooks")
    deliveries = scenario.deliver_webhooks()
    delivery = scenario.payment_delivery(deliveries)
    demo.facts["payment_delivery"] = delivery
    demo.say(f"QuickBooks' signed webhook reached /webhooks/qbo ({delivery['events']} change(s)); the worker "
             "re-read the payment and the invoice")
    card = scenario.card_invoice()
    demo.check(card["status"] == "partially_paid", f"the card says {card['status']}")
    demo.say(f"card: {card['status_label']}, balance {card['balance']} of {card['amount']}")
    fields = scenario.deal_fields()
    demo.check(fields.get("hubbooks_invoice_status") == "partially_paid", f"deal fields: {short_json(fields)}")
    demo.say(f"deal field Invoice status: {fields['hubbooks_invoice_status']}")
    notes = scenario.payment_notes()
    demo.check(len(notes) == 1, f"expected one payment note on the deal, found {len(notes)}")
    demo.say("timeline note: " + html.unescape(re.sub(r"<br>|</p><p>", "; ", notes[0]))
             .replace("<p>", "").replace("</p>", "").replace("<strong>", "").replace("</strong>", ""))
    return "partly paid in QuickBooks -> card, deal field and timeline updated, no one touched HubSpot"


def redelivery(demo: Demo) -> str:
    scenario = _payments(demo)
    status = scenario.redeliver(demo.facts["payment_delivery"])
    demo.check(status == 200, f"the redelivery was answered {status}")
    notes = scenario.payment_notes()
    demo.check(len(notes) == 1, f"a redelivered webhook made {len(notes)} notes")
    demo.say("Intuit sends the same webhook again (it retries until it sees a 200): acknowledged, nothing doubled")
    return "still exactly one note for the payment"


def rest_paid(demo: Demo) -> str:
    scenario = _payments(demo)
    scenario.pay("250.00")
    demo.say("the customer pays the remaining 250.00 USD")
    scenario.deliver_webhooks()
    card = scenario.card_invoice()
    demo.check(card["status"] == "paid", f"the card says {card['status']}")
    fields = scenario.deal_fields()
    demo.check(fields.get("hubbooks_invoice_status") == "paid", f"deal fields: {short_json(fields)}")
    notes = scenario.payment_notes()
    demo.check(len(notes) == 2, f"expected two payment notes, found {len(notes)}")
    demo.say(f"card: {card['status_label']}; deal field Invoice status: paid; {len(notes)} payment notes on the deal")
    return f"invoice {scenario.invoice['number']} fully paid, shown as paid everywhere"


STEPS = [
    Step("Payments: a customer pays part of an invoice in QuickBooks; HubSpot shows it by itself", part_payment,
         needs=("invoice_scenario",)),
    Step("Payments: the same webhook delivered twice changes nothing", redelivery, needs=("payment_scenario",)),
    Step("Payments: the rest is paid, and the invoice is paid everywhere", rest_paid, needs=("payment_scenario",)),
]
