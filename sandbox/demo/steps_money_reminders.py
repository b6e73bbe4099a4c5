"""The finance user's reminders: an admin picks a finance user among the portal's HubSpot owners and turns on the bank
deposit and pay-a-vendor reminders; a payment sitting in Undeposited Funds and a bill coming due each get one task
for that user from the daily job; depositing the payment in QuickBooks completes its task."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import requests

from sandbox.demo.bookkeeper import bookkeeper_token
from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.demo.steps_finance import _fire_daily_job
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.seed_hubspot import sandbox_token
from sandbox.stack import http_json

ORDER = 52  # after the finance steps (50), on the same portal and company; before approvals and auto-link (55)
COMPANY_ZONE = ZoneInfo("America/Los_Angeles")  # the US company's time zone (the simulator's and ours)
BANK_ACCOUNT = "35"  # the simulator's "Checking"


def _qbo(scenario: InvoiceScenario, token: str, entity: str, body: dict[str, Any]) -> dict[str, Any]:
    """What the bookkeeper does in QuickBooks, through the Accounting API with their own app."""
    answer = requests.post(f"{scenario.stack.qbo_url}/v3/company/{scenario.realms['us']}/{entity.lower()}",
                           params={"minorversion": "75"}, json=body, timeout=30,
                           headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    if answer.status_code != 200:
        raise StepFailed(f"QuickBooks refused the {entity}: {answer.status_code} {answer.text[:200]}")
    return dict(answer.json()[entity])


def _company_today(scenario: InvoiceScenario) -> date:
    _, clock = http_json("GET", f"{scenario.stack.qbo_url}/_sandbox/clock")
    return datetime.fromtimestamp(float(clock["now"]), tz=COMPANY_ZONE).date()


def _tasks_of(scenario: InvoiceScenario, owner_id: str) -> list[dict[str, Any]]:
    token = sandbox_token(scenario.stack.hubspot_url, scenario.portal_id)
    answer = requests.post(f"{scenario.stack.hubspot_url}/crm/v3/objects/tasks/search", timeout=30,
                           headers={"Authorization": f"Bearer {token}"}, json={
                               "filterGroups": [{"filters": [{"propertyName": "hubspot_owner_id", "operator": "EQ",
                                                              "value": owner_id}]}],
                               "properties": ["hs_task_subject", "hs_task_status"], "limit": 100})
    answer.raise_for_status()
    return sorted(answer.json()["results"], key=lambda task: int(task["id"]))


def deposit_and_bill_reminders(demo: Demo) -> str:
    scenario = demo.facts["invoice_scenario"]
    assert isinstance(scenario, InvoiceScenario)
    realm = scenario.realms["us"]
    status, user = http_json("POST", f"{scenario.stack.hubspot_url}/_sandbox/users", {
        "portal_id": scenario.portal_id, "email": "fiona@birds.example", "first_name": "Fiona",
        "last_name": "Finance"})
    demo.check(status == 201, f"adding a HubSpot user failed: {status} {short_json(user)}")
    status, owners = scenario.fetch("GET", "/app/hubspot-owners")
    demo.check(status == 200, f"listing the HubSpot owners failed: {status} {short_json(owners)}")
    finance = next((o for o in owners["owners"] if o["email"] == "fiona@birds.example"), None)
    demo.check(finance is not None, f"Fiona is not among the owners: {short_json(owners)}")
    assert finance is not None
    demo.say("settings page, finance user picker: " + ", ".join(o["name"] for o in owners["owners"])
             + f"; the admin picks {finance['name']} (owner {finance['owner_id']})")

    status, current = scenario.fetch("GET", f"/app/qbo/{realm}/reminder-settings")
    demo.check(status == 200, f"reading the reminders failed: {status} {short_json(current)}")
    wanted = {**current, "deposit": {"enabled": True, "days": 2}, "pay_vendor": {"enabled": True, "days": 7}}
    status, refused = scenario.fetch("PUT", f"/app/qbo/{realm}/reminder-settings", {**wanted, "finance_owner_id": None})
    demo.check(status == 422, f"turning them on without a finance user was answered {status}")
    demo.say(f"without a finance user -> {status}: {refused['message']}")
    status, saved = scenario.fetch("PUT", f"/app/qbo/{realm}/reminder-settings",
                                   {**wanted, "finance_owner_id": finance["owner_id"]})
    demo.check(status == 200, f"saving the reminders failed: {status} {short_json(saved)}")
    demo.say("admin turns on: bank deposit after 2 days in Undeposited Funds, pay-a-vendor 7 days before a bill is "
             "due")

    today = _company_today(scenario)
    token = bookkeeper_token(scenario.stack.qbo_url, realm)
    payment = _qbo(scenario, token, "Payment", {"CustomerRef": {"value": "2"}, "TotalAmt": "320.00",
                                                "TxnDate": (today - timedelta(days=3)).isoformat(),
                                                "PaymentRefNum": "CHK-2044"})
    bill = _qbo(scenario, token, "Bill", {
        "VendorRef": {"value": "1"}, "DocNumber": "BB-118", "DueDate": (today + timedelta(days=4)).isoformat(),
        "Line": [{"Amount": "145.00", "DetailType": "AccountBasedExpenseLineDetail", "Description": "Bird seed",
                  "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "60"}}}]})
    demo.say(f"in QuickBooks: payment {payment['Id']} of 320.00 USD received 3 days ago into "
             f"{payment['DepositToAccountRef'].get('name', 'Undeposited Funds')}; bill {bill['DocNumber']} of "
             f"145.00 USD to {bill['VendorRef'].get('name')} due on {bill['DueDate']}")

    _fire_daily_job(demo)
    _fire_daily_job(demo)  # a second run (or a retry) opens nothing more
    tasks = _tasks_of(scenario, finance["owner_id"])
    demo.check(len(tasks) == 2 and all(t["properties"]["hs_task_status"] == "NOT_STARTED" for t in tasks),
               f"expected two open tasks for the finance user, found {short_json(tasks)}")
    for task in tasks:
        demo.say(f"daily job, twice: one task for {finance['name']}: {task['properties']['hs_task_subject']!r}")

    _qbo(scenario, token, "Deposit", {"DepositToAccountRef": {"value": BANK_ACCOUNT}, "Line": [
        {"Amount": "320.00", "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment", "TxnLineId": "0"}]}]})
    demo.say("the bookkeeper deposits the payment into Checking in QuickBooks")
    _fire_daily_job(demo)
    statuses = {t["properties"]["hs_task_subject"]: t["properties"]["hs_task_status"]
                for t in _tasks_of(scenario, finance["owner_id"])}
    deposit_status = next((s for subject, s in statuses.items() if subject.startswith("Deposit")), None)
    bill_status = next((s for subject, s in statuses.items() if subject.startswith("Pay bill")), None)
    demo.check(deposit_status == "COMPLETED" and bill_status == "NOT_STARTED", f"tasks: {short_json(statuses)}")
    demo.say(f"next daily job: the deposit task is {deposit_status}; the bill's task stays open until it is paid")
    return "one task each for an undeposited payment and a bill due soon; the deposit completed its task"


STEPS = [
    Step("Finance: bank deposit and pay-a-vendor tasks for the finance user; a deposit completes its task",
         deposit_and_bill_reminders, needs=("invoice_scenario",)),
]
