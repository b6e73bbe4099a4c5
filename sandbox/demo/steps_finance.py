"""Finance workflows from the card: send an invoice through QuickBooks (with its pay-online link), void one (a paid
one is refused), the roll-ups on the deal and contact, and a reminder task the daily job opens and a payment closes."""

from __future__ import annotations

import uuid
from typing import Any

import requests

from sandbox.demo.bookkeeper import bookkeeper_token
from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.demo.steps_payments import PaymentScenario
from sandbox.seed_hubspot import sandbox_token
from sandbox.stack import http_json

ORDER = 50  # after the payments (45), whose paid invoice it tries to void
ROLLUPS = ("hubbooks_total_invoiced", "hubbooks_total_paid", "hubbooks_outstanding_balance",
           "hubbooks_overdue_amount", "hubbooks_overdue_invoices", "hubbooks_last_payment_date")


def _invoices(demo: Demo) -> InvoiceScenario:
    scenario = demo.facts["invoice_scenario"]
    assert isinstance(scenario, InvoiceScenario)
    return scenario


def _hubspot(scenario: InvoiceScenario, path: str) -> dict[str, Any]:
    token = sandbox_token(scenario.stack.hubspot_url, scenario.portal_id)
    answer = requests.get(f"{scenario.stack.hubspot_url}{path}", headers={"Authorization": f"Bearer {token}"},
                          timeout=30)
    answer.raise_for_status()
    return dict(answer.json())


def _new_invoice(scenario: InvoiceScenario, rate: str, term_id: str = "3") -> dict[str, Any]:
    status, created = scenario.create(scenario.draft("us", [{"item_id": "1", "quantity": "1", "rate": rate}],
                                                     term_id=term_id))
    if status != 200:
        raise StepFailed(f"creating an invoice failed: {status} {short_json(created)}")
    return dict(created["invoice"])


def _emails(scenario: InvoiceScenario) -> list[dict[str, Any]]:
    _, found = http_json("GET", f"{scenario.stack.qbo_url}/_sandbox/companies/{scenario.realms['us']}/emails")
    return list(found["emails"])


def send_from_the_card(demo: Demo) -> str:
    scenario = _invoices(demo)
    realm = scenario.realms["us"]
    http_json("PATCH", f"{scenario.stack.qbo_url}/_sandbox/companies/{realm}", {"online_payments": True})
    demo.say("the US company takes online payments (QuickBooks Payments is on)")
    invoice = _new_invoice(scenario, "180")
    path = f"/app/qbo/{realm}/invoices/{invoice['invoice_id']}/send"
    status, refused = scenario.fetch("POST", path, {"send_id": uuid.uuid4().hex, "to": "ap@birds"})
    demo.check(status == 422, f"a bad address was answered {status}")
    demo.say(f"Send to 'ap@birds' -> {status}: {refused['message']}")
    before = len(_emails(scenario))
    click = {"send_id": uuid.uuid4().hex, "to": "ap@birds.example"}
    status, sent = scenario.fetch("POST", path, click)
    again, _ = scenario.fetch("POST", path, click)  # the card retries the same click
    demo.check(status == again == 200, f"send answered {status} then {again}: {short_json(sent)}")
    demo.check(len(_emails(scenario)) == before + 1, "the retried click e-mailed the customer twice")
    demo.check(sent["invoice"]["status"] == "sent" and sent["payment_link"], f"after send: {short_json(sent)}")
    demo.say(f"invoice {invoice['number']} e-mailed to {sent['sent_to']} through QuickBooks (one e-mail for two "
             f"tries); status {sent['invoice']['status_label']}")
    demo.say(f"payment link for the salesperson to share: {sent['payment_link']}")
    fields = _hubspot(scenario, f"/crm/v3/objects/deals/{scenario.deal.id}?properties=hubbooks_invoice_status")
    demo.check(fields["properties"].get("hubbooks_invoice_status") == "sent", f"deal: {short_json(fields)}")
    demo.facts["sent_invoice"] = invoice
    return f"invoice {invoice['number']} sent; deal field Invoice status: sent, at once"


def void_from_the_card(demo: Demo) -> str:
    scenario = _invoices(demo)
    realm = scenario.realms["us"]
    status, roles = scenario.fetch("GET", "/app/finance-roles")
    demo.check(status == 200 and roles["you_can_void"], f"roles: {status} {short_json(roles)}")
    demo.say(f"user {scenario.user_id} installed HubBooks, so is an admin and may void")
    paid = demo.facts.get("payment_scenario")
    if isinstance(paid, PaymentScenario):
        status, refused = scenario.fetch("POST", f"/app/qbo/{realm}/invoices/{paid.invoice['invoice_id']}/void",
                                         {"confirm": True})
        demo.check(status == 409, f"voiding the paid invoice was answered {status}")
        demo.say(f"void the paid invoice {paid.invoice['number']} -> {status}: {refused['message']}")
    mistake = _new_invoice(scenario, "99")
    status, voided = scenario.fetch("POST", f"/app/qbo/{realm}/invoices/{mistake['invoice_id']}/void",
                                    {"confirm": True})
    demo.check(status == 200 and voided["invoice"]["status"] == "voided", f"void: {status} {short_json(voided)}")
    demo.say(f"invoice {mistake['number']} (99.00 USD, made by mistake) voided in QuickBooks; deal {scenario.deal.id} "
             "and its timeline follow")
    return f"a paid invoice is refused; invoice {mistake['number']} voided"


def roll_ups(demo: Demo) -> str:
    scenario = _invoices(demo)
    deal = _hubspot(scenario, f"/crm/v3/objects/deals/{scenario.deal.id}?properties={','.join(ROLLUPS)}")
    values = {name: deal["properties"].get(name) or "" for name in ROLLUPS}
    demo.check(values["hubbooks_total_invoiced"] not in ("", "0.00"), f"deal roll-ups: {short_json(values)}")
    demo.say("deal " + scenario.deal.id + ": " + ", ".join(f"{k.removeprefix('hubbooks_')} {v or '-'}"
                                                            for k, v in values.items()))
    contact = scenario.deal.contact_id
    found = _hubspot(scenario, f"/crm/v3/objects/contacts/{contact}?properties={','.join(ROLLUPS)}")
    demo.say(f"contact {contact}: total invoiced {found['properties'].get('hubbooks_total_invoiced')}, outstanding "
             f"{found['properties'].get('hubbooks_outstanding_balance')} (the invoices linked to the contact)")
    return "totals across every linked invoice on the deal and the contact, in the portal's currency"


def _fire_daily_job(demo: Demo) -> None:
    fired = demo.stack.fire_schedule("OverdueCheckSchedule")
    if fired["status"] != "ok":
        raise StepFailed(f"the daily job failed: {short_json(fired)}")
    drained = demo.stack.drain_queues(timeout=60)
    demo.check(drained["drained"], "the daily job's queue did not drain")


def _deal_tasks(scenario: InvoiceScenario, number: str) -> list[dict[str, Any]]:
    deal = _hubspot(scenario, f"/crm/v3/objects/deals/{scenario.deal.id}?associations=tasks")
    ids = dict.fromkeys(r["id"] for r in (deal.get("associations") or {}).get("tasks", {}).get("results", []))
    tasks = [_hubspot(scenario, f"/crm/v3/objects/tasks/{i}?properties=hs_task_subject,hs_task_status") for i in ids]
    return [t for t in tasks if number in (t["properties"].get("hs_task_subject") or "")]


def reminder_task(demo: Demo) -> str:
    scenario = _invoices(demo)
    realm = scenario.realms["us"]
    status, saved = scenario.fetch("PUT", f"/app/qbo/{realm}/reminder-settings", {
        "due_soon": {"enabled": True, "days": 30}, "overdue": {"enabled": True, "days": 3}})
    demo.check(status == 200, f"saving the reminders failed: {status} {short_json(saved)}")
    demo.say("admin turns on: 'due soon' 30 days before the due date, 'overdue' 3 days after it")
    invoice = _new_invoice(scenario, "75")  # Net 30: due within 30 days
    _fire_daily_job(demo)
    _fire_daily_job(demo)  # a second run (or a retry) opens nothing more
    tasks = _deal_tasks(scenario, invoice["number"])
    demo.check(len(tasks) == 1 and tasks[0]["properties"]["hs_task_status"] == "NOT_STARTED",
               f"expected one open task, found {short_json(tasks)}")
    demo.say(f"daily job, twice: one task on deal {scenario.deal.id}: {tasks[0]['properties']['hs_task_subject']!r}")
    payments = PaymentScenario(scenario, realm, bookkeeper_token(scenario.stack.qbo_url, realm), invoice)
    payments.pay("75.00")
    payments.deliver_webhooks()
    _fire_daily_job(demo)
    tasks = _deal_tasks(scenario, invoice["number"])
    demo.check([t["properties"]["hs_task_status"] for t in tasks] == ["COMPLETED"], f"tasks: {short_json(tasks)}")
    demo.say("the customer pays 75.00 USD in QuickBooks; next daily job: the task is "
             f"{tasks[0]['properties']['hs_task_status']}")
    return f"one reminder task for invoice {invoice['number']}, completed by the payment"


STEPS = [
    Step("Finance: send an invoice from the card; it reads 'sent' at once, with its payment link", send_from_the_card,
         needs=("invoice_scenario",)),
    Step("Finance: void from the card (a paid invoice is refused)", void_from_the_card, needs=("invoice_scenario",)),
    Step("Finance: roll-ups on the deal and the contact", roll_ups, needs=("invoice_scenario",)),
    Step("Finance: a reminder task opened by the daily job and closed by a payment", reminder_task,
         needs=("invoice_scenario",)),
]
