"""Every QuickBooks invoice where it belongs: a salesperson links one of a customer's invoices to the contact, the
admin turns automatic linking on, and an invoice the bookkeeper then makes in QuickBooks appears on the contact by
itself (QuickBooks' webhook, the change engine); older invoices follow by a backfill, dry run first; a credit memo
for the customer then shows on the contact's card and timeline and lowers its outstanding balance."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import requests

from sandbox.demo.bookkeeper import bookkeeper_token
from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.demo.steps_payments import PaymentScenario
from sandbox.seed_hubspot import sandbox_token

ORDER = 55  # after the finance steps (50), on the same portal; before the contact sync (60)


def _scenario(demo: Demo) -> InvoiceScenario:
    scenario = demo.facts["invoice_scenario"]
    assert isinstance(scenario, InvoiceScenario)
    return scenario


def _bookkeeper_invoice(scenario: InvoiceScenario, realm: str, token: str, amount: str) -> dict[str, Any]:
    answer = requests.post(f"{scenario.stack.qbo_url}/v3/company/{realm}/invoice", params={"minorversion": "75"},
                           headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}, timeout=30,
                           json={"CustomerRef": {"value": "1"}, "TxnDate": date.today().isoformat(),
                                 "Line": [{"DetailType": "SalesItemLineDetail", "Amount": amount,
                                           "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 1,
                                                                   "UnitPrice": amount}}]})
    if answer.status_code != 200:
        raise StepFailed(f"the bookkeeper could not create an invoice: {answer.status_code} {answer.text[:200]}")
    return dict(answer.json()["Invoice"])


def _contact_invoices(scenario: InvoiceScenario) -> set[str]:
    status, card = scenario.fetch("GET", f"/app/cards/contact/{scenario.deal.contact_id}")
    if status != 200:
        raise StepFailed(f"the contact's card failed: {status} {short_json(card)}")
    return {str(row["invoice_id"]) for row in card["invoices"]}


def invoice_made_in_quickbooks(demo: Demo) -> str:
    scenario = _scenario(demo)
    realm = scenario.realms["us"]
    contact = scenario.deal.contact_id
    token = bookkeeper_token(scenario.stack.qbo_url, realm)
    earlier = _bookkeeper_invoice(scenario, realm, token, "60")
    status, linked = scenario.fetch("POST", "/app/invoice-links", {"realm_id": realm, "invoice_ids": [earlier["Id"]],
                                                                   "object_type": "contact", "object_id": contact})
    demo.check(status == 200 and linked["linked"], f"linking failed: {status} {short_json(linked)}")
    demo.say(f"a salesperson links QuickBooks invoice {earlier['DocNumber']} (customer "
             f"{earlier['CustomerRef'].get('name', '1')}) to contact {contact} from the card")
    status, saved = scenario.fetch("PUT", f"/app/qbo/{realm}/autolink-settings", {"enabled": True})
    demo.check(status == 200 and saved["enabled"], f"turning auto-linking on failed: {status} {short_json(saved)}")
    demo.say("admin turns on 'Link invoices made in QuickBooks to their customer's contact and company'")

    made = _bookkeeper_invoice(scenario, realm, token, "240")
    demo.say(f"the bookkeeper makes invoice {made['DocNumber']} (240.00 USD) in QuickBooks, nowhere near HubSpot")
    PaymentScenario(scenario, realm, token, made).deliver_webhooks()
    demo.check(str(made["Id"]) in _contact_invoices(scenario), "the QuickBooks invoice did not reach the contact")
    demo.say(f"QuickBooks' webhook -> change engine: invoice {made['DocNumber']} is on contact {contact}'s card, "
             "linked by itself")
    return f"invoice {made['DocNumber']} appeared on contact {contact} by itself"


def backfill_with_dry_run(demo: Demo) -> str:
    scenario = _scenario(demo)
    realm = scenario.realms["us"]
    today = date.today()
    body = {"date_from": (today - timedelta(days=400)).isoformat(), "date_to": (today + timedelta(days=1)).isoformat()}
    status, started = scenario.fetch("POST", f"/app/qbo/{realm}/autolink-backfill", {**body, "dry_run": True})
    demo.check(status == 200, f"the dry run did not start: {status} {short_json(started)}")
    run = _wait(demo, scenario, realm)
    counts = run["counts"]
    demo.say(f"dry run over {run['invoices_in_range']} invoice(s) dated {body['date_from']}..{body['date_to']}: "
             f"{counts.get('invoices_to_link', 0)} to link, {counts.get('customer_not_linked', 0)} whose customer "
             f"is on no contact or company, {counts.get('already_linked', 0)} already there")
    for example in run["examples"].get("invoices_to_link", [])[:3]:
        demo.say(f"  e.g. invoice {example['doc_number']} -> {', '.join(example['records'])}")
    status, started = scenario.fetch("POST", f"/app/qbo/{realm}/autolink-backfill", {**body, "dry_run": False})
    demo.check(status == 200, f"the backfill did not start: {status} {short_json(started)}")
    done = _wait(demo, scenario, realm)
    demo.check(done["counts"].get("invoices_to_link", 0) == counts.get("invoices_to_link", 0),
               f"the run linked {short_json(done['counts'])} after a dry run of {short_json(counts)}")
    demo.say(f"backfill: {done['counts'].get('invoices_to_link', 0)} invoice(s) linked to "
             f"{done['counts'].get('links_to_make', 0)} contact or company record(s)")
    return f"dry run then backfill: {done['counts'].get('invoices_to_link', 0)} older invoice(s) linked"


def credit_memo_on_the_contact(demo: Demo) -> str:
    scenario = _scenario(demo)
    realm = scenario.realms["us"]
    contact = scenario.deal.contact_id
    before = _outstanding(scenario)
    token = bookkeeper_token(scenario.stack.qbo_url, realm)
    answer = requests.post(f"{scenario.stack.qbo_url}/v3/company/{realm}/creditmemo", params={"minorversion": "75"},
                           headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}, timeout=30,
                           json={"CustomerRef": {"value": "1"},
                                 "Line": [{"DetailType": "SalesItemLineDetail", "Amount": "25",
                                           "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 1,
                                                                   "UnitPrice": "25"}}]})
    if answer.status_code != 200:
        raise StepFailed(f"the bookkeeper could not create a credit memo: {answer.status_code} {answer.text[:200]}")
    memo = answer.json()["CreditMemo"]
    demo.say(f"the bookkeeper issues credit memo {memo['DocNumber']} (25.00 USD) to the same customer in QuickBooks")
    PaymentScenario(scenario, realm, token, memo).deliver_webhooks()
    status, card = scenario.fetch("GET", f"/app/cards/contact/{contact}")
    shown = [c for c in card.get("credits", []) if c["txn_id"] == str(memo["Id"])] if status == 200 else []
    demo.check(len(shown) == 1, f"the credit memo is not on the contact's card: {status} {short_json(card)}")
    notes = _contact_notes(scenario)
    demo.check(sum(f"qbo-creditmemo-{realm}-{memo['Id']}" in body for body in notes) == 1,
               f"expected one note for the credit memo on the contact, found {short_json(notes)}")
    after = _outstanding(scenario)
    demo.check(after == before - 25, f"outstanding went from {before} to {after}, expected 25.00 less")
    demo.say(f"contact {contact}'s card lists it under 'Credits and refunds' (25.00 not yet applied), a note is on "
             f"the contact's timeline, and its outstanding balance went from {before:.2f} to {after:.2f}")
    return f"credit memo {memo['DocNumber']} on contact {contact}; outstanding lowered by 25.00"


def _hubspot(scenario: InvoiceScenario, path: str, **params: str) -> dict[str, Any]:
    token = sandbox_token(scenario.stack.hubspot_url, scenario.portal_id)
    answer = requests.get(f"{scenario.stack.hubspot_url}{path}", params=params,
                          headers={"Authorization": f"Bearer {token}"}, timeout=30)
    answer.raise_for_status()
    return dict(answer.json())


def _outstanding(scenario: InvoiceScenario) -> float:
    found = _hubspot(scenario, f"/crm/v3/objects/contacts/{scenario.deal.contact_id}",
                     properties="hubbooks_outstanding_balance")
    return float(found["properties"].get("hubbooks_outstanding_balance") or 0)


def _contact_notes(scenario: InvoiceScenario) -> list[str]:
    contact = _hubspot(scenario, f"/crm/v3/objects/contacts/{scenario.deal.contact_id}", associations="notes")
    ids = dict.fromkeys(r["id"] for r in (contact.get("associations") or {}).get("notes", {}).get("results", []))
    return [str(_hubspot(scenario, f"/crm/v3/objects/notes/{i}", properties="hs_note_body")["properties"]
                .get("hs_note_body") or "") for i in ids]


def _wait(demo: Demo, scenario: InvoiceScenario, realm: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        demo.stack.drain_queues(timeout=30)
        status, view = scenario.fetch("GET", f"/app/qbo/{realm}/autolink-backfill")
        if status == 200 and view["run"]["status"] not in ("queued", "running"):
            demo.check(view["run"]["status"] == "done", f"the run ended {short_json(view['run'])}")
            return dict(view["run"])
        time.sleep(0.5)
    raise StepFailed("the invoice backfill did not finish within a minute")


STEPS = [
    Step("Auto-linking: an invoice made in QuickBooks appears on its contact by itself", invoice_made_in_quickbooks,
         needs=("invoice_scenario",)),
    Step("Auto-linking: older invoices by a backfill, dry run first", backfill_with_dry_run,
         needs=("invoice_scenario",)),
    Step("Credits: a credit memo made in QuickBooks shows on the contact and lowers its outstanding balance",
         credit_memo_on_the_contact, needs=("invoice_scenario",)),
]
