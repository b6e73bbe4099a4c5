"""Approval before QuickBooks: an admin turns it on for a company; "Create invoice" becomes a request with a HubSpot
task for the approvers; an approver edits the message and approves, the invoice is created in QuickBooks and the task
completed, and the decision is noted on the deal's timeline; a second request is withdrawn by its requester. Approval
is turned off again afterwards so the later steps create invoices directly."""

from __future__ import annotations

import dataclasses
import html
import re
import uuid
from typing import Any

from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.demo.steps_finance import _deal_tasks, _hubspot
from sandbox.demo.steps_invoices import InvoiceScenario

ORDER = 55  # after the finance steps (50), on the same portal; before sync (60)
APPROVER = 424242  # a second HubSpot user of the portal, made an approver by the admin


def _invoices(demo: Demo) -> InvoiceScenario:
    scenario = demo.facts["invoice_scenario"]
    assert isinstance(scenario, InvoiceScenario)
    return scenario


def _task(scenario: InvoiceScenario, task_id: str) -> dict[str, Any]:
    found = _hubspot(scenario, f"/crm/v3/objects/tasks/{task_id}?properties=hs_task_subject,hs_task_status")
    return dict(found["properties"])


def _decision_note(scenario: InvoiceScenario, request_id: str) -> str:
    """The deal's timeline note for the request's decision (found by the marker HubBooks puts on it)."""
    deal = _hubspot(scenario, f"/crm/v3/objects/deals/{scenario.deal.id}?associations=notes")
    ids = dict.fromkeys(r["id"] for r in (deal.get("associations") or {}).get("notes", {}).get("results", []))
    bodies = [_hubspot(scenario, f"/crm/v3/objects/notes/{i}?properties=hs_note_body")["properties"]["hs_note_body"]
              for i in ids]
    found = [body for body in bodies if f"hubbooks-approval-{request_id}-" in (body or "")]
    if len(found) != 1:
        raise StepFailed(f"expected one timeline note for request {request_id}, found {len(found)}")
    text = html.unescape(re.sub(r"<[^>]+>", " ", found[0].split("<p>HubBooks reference")[0]))
    return " ".join(text.split())


def approval_request_to_invoice(demo: Demo) -> str:
    scenario = _invoices(demo)
    realm = scenario.realms["us"]
    approver = dataclasses.replace(scenario, user_id=APPROVER)
    status, roles = scenario.fetch("GET", "/app/finance-roles")
    demo.check(status == 200, f"roles: {status} {short_json(roles)}")
    status, roles = scenario.fetch("PUT", "/app/finance-roles", {
        "admin_user_ids": roles["admin_user_ids"], "approver_user_ids": [APPROVER]})
    demo.check(status == 200, f"choosing the approver failed: {status} {short_json(roles)}")
    status, saved = scenario.fetch("PUT", f"/app/qbo/{realm}/approval-settings", {"required": True})
    demo.check(status == 200 and saved["required"], f"turning approval on failed: {status} {short_json(saved)}")
    demo.say(f"admin (user {scenario.user_id}) makes user {APPROVER} an approver and turns on approval for the US "
             "company")
    try:
        before = scenario.invoice_count("us")
        draft = scenario.draft("us", [{"item_id": "1", "quantity": "3", "rate": "250"}], term_id="3")
        status, refused = scenario.create(draft)
        demo.check(status == 409, f"a direct create while approval is on was answered {status}")
        demo.say(f"a direct create is refused ({status}): {refused['message']}")
        submission = {**draft, "submission_id": uuid.uuid4().hex}
        path = f"/app/deals/{scenario.deal.id}/approval-requests"
        status, submitted = scenario.fetch("POST", path, submission)
        again, _ = scenario.fetch("POST", path, submission)  # the card retries the click
        demo.check(status == again == 200, f"submitting failed: {status} {short_json(submitted)}")
        request = submitted["request"]
        demo.check(request["status"] == "pending" and request["task_id"], f"request: {short_json(request)}")
        task = _task(scenario, request["task_id"])
        demo.say(f"'Create invoice' by user {scenario.user_id} -> request {request['request_id'][:8]}…: "
                 f"{request['status_label']} ({request['review']['total']} {request['review']['currency']})")
        demo.say(f"HubSpot task on deal {scenario.deal.id}: {task['hs_task_subject']!r} ({task['hs_task_status']}); "
                 "the retried click made no second request or task")
        demo.check(scenario.invoice_count("us") == before, "an invoice was created before approval")
        status, listed = approver.fetch("GET", path)
        mine = next(r for r in listed["requests"] if r["request_id"] == request["request_id"])
        demo.check(status == 200 and mine["you_can_approve"], f"approver's view: {short_json(mine)}")
        status, approved = approver.fetch("POST", f"{path}/{request['request_id']}/approve", {
            "version": mine["version"], "edits": {"customer_message": "Approved with thanks for your order."}})
        demo.check(status == 200 and approved["request"]["status"] == "approved",
                   f"approving failed: {status} {short_json(approved)}")
        invoice = approved["created"]["invoice"]
        demo.check(scenario.invoice_count("us") == before + 1, "approving did not create exactly one invoice")
        demo.say(f"approver {APPROVER} edits the message and approves -> invoice {invoice['number']} created in "
                 f"{invoice['company_name']} and linked to the deal; changes kept: "
                 f"{approved['request']['history'][-1]['changes']}")
        task = _task(scenario, request["task_id"])
        demo.check(task["hs_task_status"] == "COMPLETED", f"task: {short_json(task)}")
        demo.check(len(_deal_tasks(scenario, "Approve invoice")) == 1, "more than one approval task")
        demo.say(f"the approvers' task is now {task['hs_task_status']}")
        demo.say(f"deal timeline note: {_decision_note(scenario, request['request_id'])!r}")
        status, late = approver.fetch("POST", f"{path}/{request['request_id']}/approve", {"version": mine["version"]})
        demo.check(status == 409, f"a second approval was answered {status}")
        demo.say(f"approving it again -> {status}: {late['message']}")
    finally:
        scenario.fetch("PUT", f"/app/qbo/{realm}/approval-settings", {"required": False})
    return f"request -> task -> approved -> invoice {invoice['number']} (one invoice, task completed, noted)"


def approval_request_withdrawn(demo: Demo) -> str:
    scenario = _invoices(demo)
    realm = scenario.realms["us"]
    approver = dataclasses.replace(scenario, user_id=APPROVER)
    status, saved = scenario.fetch("PUT", f"/app/qbo/{realm}/approval-settings", {"required": True})
    demo.check(status == 200 and saved["required"], f"turning approval on failed: {status} {short_json(saved)}")
    try:
        before = scenario.invoice_count("us")
        draft = scenario.draft("us", [{"item_id": "1", "quantity": "1", "rate": "90"}], term_id="3")
        path = f"/app/deals/{scenario.deal.id}/approval-requests"
        status, submitted = scenario.fetch("POST", path, {**draft, "submission_id": uuid.uuid4().hex})
        demo.check(status == 200, f"submitting failed: {status} {short_json(submitted)}")
        request = submitted["request"]
        demo.check(request["you_can_withdraw"], f"the requester may not withdraw: {short_json(request)}")
        status, withdrawn = scenario.fetch("POST", f"{path}/{request['request_id']}/withdraw", {
            "version": request["version"], "reason": "The customer asked for a quote first."})
        demo.check(status == 200 and withdrawn["request"]["status"] == "withdrawn",
                   f"withdrawing failed: {status} {short_json(withdrawn)}")
        task = _task(scenario, request["task_id"])
        demo.check(task["hs_task_status"] == "COMPLETED", f"task: {short_json(task)}")
        demo.say(f"user {scenario.user_id} withdraws request {request['request_id'][:8]}… -> "
                 f"{withdrawn['request']['status_label']}; the approvers' task is {task['hs_task_status']}")
        demo.say(f"deal timeline note: {_decision_note(scenario, request['request_id'])!r}")
        status, late = approver.fetch("POST", f"{path}/{request['request_id']}/approve",
                                      {"version": withdrawn["request"]["version"]})
        demo.check(status == 409, f"approving a withdrawn request was answered {status}")
        demo.say(f"the approver tries to approve it anyway -> {status}: {late['message']}")
        demo.check(scenario.invoice_count("us") == before, "a withdrawn request created an invoice")
    finally:
        scenario.fetch("PUT", f"/app/qbo/{realm}/approval-settings", {"required": False})
    return "request -> withdrawn by its requester (task closed, noted, no invoice)"


STEPS = [
    Step("Finance: approval before QuickBooks (request, task, approve, created)", approval_request_to_invoice,
         needs=("invoice_scenario",)),
    Step("Finance: a request withdrawn by its requester (task closed, timeline note)", approval_request_withdrawn,
         needs=("invoice_scenario",)),
]
