"""Time moves on demand: the QuickBooks simulator's clock jumps past an invoice's due date, and because the sandbox
points the product's business clock at it (SANDBOX_CLOCK_URL, never set in a deployed stack), the card and the daily
overdue check see the invoice overdue at once. Runs last: every step after it would live 30 days later."""

from __future__ import annotations

from datetime import UTC, date, datetime

import requests

from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.demo.steps_schedules import overdue_check_schedule
from sandbox.seed_hubspot import sandbox_token
from sandbox.stack import http_json

ORDER = 95  # after the schedules (90): the jump is for good


def _card_invoice(scenario: InvoiceScenario, invoice_id: str) -> dict:
    status, card = scenario.fetch("GET", f"/app/cards/deal/{scenario.deal.id}")
    if status != 200:
        raise StepFailed(f"the card answered {status}: {short_json(card)}")
    return next(i for i in card["invoices"] if i["invoice_id"] == invoice_id)


def _stored_status(demo: Demo, realm_id: str, invoice_id: str) -> str | None:
    """The link's snapshot the overdue check keeps (the demo may read the table directly; the product reads by key)."""
    dynamodb = demo.stack.aws_session().client("dynamodb")
    items = dynamodb.scan(TableName="AppTable", FilterExpression="realm_id = :realm AND invoice_id = :invoice",
                          ExpressionAttributeValues={":realm": {"S": realm_id}, ":invoice": {"S": invoice_id}})
    statuses = {item["status"]["S"] for item in items["Items"] if "status" in item and "linked_at" in item}
    return statuses.pop() if len(statuses) == 1 else None


def invoice_turns_overdue(demo: Demo) -> str:
    scenario = demo.facts["invoice_scenario"]
    assert isinstance(scenario, InvoiceScenario)
    invoice = demo.facts["invoice_from_quote"]
    before = _card_invoice(scenario, invoice["invoice_id"])
    due = date.fromisoformat(before["due_date"])
    demo.check(before["status"] != "overdue", f"the invoice is overdue already: {short_json(before)}")
    demo.say(f"invoice {before['number']} is due {due}; the card says {before['status_label']!r}")

    clock_url = f"{scenario.stack.qbo_url}/_sandbox/clock"
    status, clock = http_json("GET", clock_url)
    sim_today = datetime.fromtimestamp(float(clock["now"]), tz=UTC).date()
    days = (due - sim_today).days + 1
    status, clock = http_json("POST", clock_url, {"advance_seconds": days * 86400})
    demo.check(status == 200, f"the QuickBooks simulator's clock did not move: {status} {short_json(clock)}")
    moved_to = datetime.fromtimestamp(float(clock["now"]), tz=UTC).date()
    demo.say(f"QuickBooks' clock jumps {days} days, to {moved_to}; the product's business clock follows it")

    after = _card_invoice(scenario, invoice["invoice_id"])
    demo.check(after["status"] == "overdue", f"the card still says {after['status']!r}: {short_json(after)}")
    demo.say(f"the card now says {after['status_label']!r} with {after['balance']} {after['currency']} open")

    overdue_check_schedule(demo)
    demo.check(_stored_status(demo, after["realm_id"], after["invoice_id"]) == "overdue",
               "the overdue check did not store the invoice as overdue")
    demo.say("the overdue check stored it as overdue, for the deal's fields to use")
    token = sandbox_token(scenario.stack.hubspot_url, scenario.portal_id)
    deal = requests.get(f"{scenario.stack.hubspot_url}/crm/v3/objects/deals/{scenario.deal.id}",
                        params={"properties": "hubbooks_invoice_status"}, timeout=30,
                        headers={"Authorization": f"Bearer {token}"}).json()
    # The deal's fields describe its most recent home-currency invoice; this deal also has a later, paid one.
    demo.say(f"after the overdue check the deal's Invoice status field reads "
             f"{deal['properties'].get('hubbooks_invoice_status')!r} (its most recent invoice)")
    return (f"invoice {after['number']} turned overdue {days} days on, on the card and in the overdue check, "
            "without waiting")


STEPS = [
    Step("Time moves: QuickBooks' clock passes the due date and the invoice turns overdue",
         invoice_turns_overdue, needs=("invoice_scenario", "invoice_from_quote")),
]
