"""Approval before QuickBooks: an admin turns it on for a company; "Create invoice" becomes a request with a HubSpot
task for each approver (assigned to the approver's owner); an approver edits the message and approves, the invoice is
created in QuickBooks and the tasks completed, and the decision is noted on the deal's timeline; a second request is
withdrawn by its requester. Approval is turned off again afterwards so the later steps create invoices directly."""

from __future__ import annotations

import dataclasses
import html
import re
import uuid
from typing import Any

from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.demo.steps_finance import _deal_tasks, _hubspot
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.stack import http_json

ORDER = 55  # after the finance steps (50), on the same portal; before sync (60)


def _invoices(demo: Demo) -> InvoiceScenario:
    scenario = demo.facts["invoice_scenario"]
    assert isinstance(scenario, InvoiceScenario)
    return scenario


def _task(scenario: InvoiceScenario, task_id: str) -> dict[str, Any]:
    found = _hubspot(scenario, f"/crm/v3/objects/tasks/{task_id}?properties=hs_task_subject,hs_task_status,"
                               "hubspot_owner_id")
    return dict(found["properties"])


def _approvers(demo: Demo, scenario: InvoiceScenario) -> list[dict[str, Any]]:
    """Two more HubSpot users of the portal (each with an owner), made approvers by the admin once."""
    if "approvers" not in demo.facts:
        made = []
        for first in ("Ada", "Ben"):
            status, user = http_json("POST", f"{scenario.stack.hubspot_url}/_sandbox/users", {
                "portal_id": scenario.portal_id, "first_name": first, "last_name": "Approver",
                "email": f"{first.lower()}.approver@demo.example"})
            if status != 201:
                raise StepFailed(f"the HubSpot simulator did not add a user: {status} {short_json(user)}")
            made.append(dict(user))
        demo.facts["approvers"] = made
    return list(demo.facts["approvers"])


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
    chosen = _approvers(demo, scenario)
    approver_id = chosen[0]["user_id"]
    approver = dataclasses.replace(scenario, user_id=approver_id)
    status, roles = scenario.fetch("GET", "/app/finance-roles")
    demo.check(status == 200, f"roles: {status} {short_json(roles)}")
    status, roles = scenario.fetch("PUT", "/app/finance-roles", {
        "admin_user_ids": roles["admin_user_ids"], "approver_user_ids": [a["user_id"] for a in chosen]})
    demo.check(status == 200, f"choosing the approver failed: {status} {short_json(roles)}")
    status, saved = scenario.fetch("PUT", f"/app/qbo/{realm}/approval-settings", {"required": True})
    demo.check(status == 200 and saved["required"], f"turning approval on failed: {status} {short_json(saved)}")
    demo.say(f"admin (user {scenario.user_id}) makes users {' and '.join(str(a['user_id']) for a in chosen)} "
             "approvers and turns on approval for the US company")
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
        demo.check(request["status"] == "pending" and len(request["task_ids"]) == 2, f"request: {short_json(request)}")
        tasks = [_task(scenario, task_id) for task_id in request["task_ids"]]
        demo.check(sorted(t["hubspot_owner_id"] for t in tasks) == sorted(a["owner_id"] for a in chosen),
                   f"tasks not assigned to the approvers' owners: {short_json(tasks)}")
        demo.say(f"'Create invoice' by user {scenario.user_id} -> request {request['request_id'][:8]}…: "
                 f"{request['status_label']} ({request['review']['total']} {request['review']['currency']})")
        demo.say(f"HubSpot tasks on deal {scenario.deal.id}: {tasks[0]['hs_task_subject']!r}, one per approver "
                 f"(owners {', '.join(t['hubspot_owner_id'] for t in tasks)}, {tasks[0]['hs_task_status']}); the "
                 "retried click made no second request or task")
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
        demo.say(f"approver {approver_id} edits the message and approves -> invoice {invoice['number']} created in "
                 f"{invoice['company_name']} and linked to the deal; changes kept: "
                 f"{approved['request']['history'][-1]['changes']}")
        tasks = [_task(scenario, task_id) for task_id in request["task_ids"]]
        demo.check(all(t["hs_task_status"] == "COMPLETED" for t in tasks), f"tasks: {short_json(tasks)}")
        demo.check(len(_deal_tasks(scenario, "Approve invoice")) == 2, "not one approval task per approver")
        demo.say(f"both approvers' tasks are now {tasks[0]['hs_task_status']}")
        demo.say(f"deal timeline note: {_decision_note(scenario, request['request_id'])!r}")
        status, late = approver.fetch("POST", f"{path}/{request['request_id']}/approve", {"version": mine["version"]})
        demo.check(status == 409, f"a second approval was answered {status}")
        demo.say(f"approving it again -> {status}: {late['message']}")
    finally:
        scenario.fetch("PUT", f"/app/qbo/{realm}/approval-settings", {"required": False})
    return (f"request -> a task per approver -> approved -> invoice {invoice['number']} (one invoice, tasks closed, "
            "noted)")


def approval_request_withdrawn(demo: Demo) -> str:
    scenario = _invoices(demo)
    realm = scenario.realms["us"]
    approver = dataclasses.replace(scenario, user_id=_approvers(demo, scenario)[0]["user_id"])
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
        tasks = [_task(scenario, task_id) for task_id in withdrawn["request"]["task_ids"]]
        demo.check(len(tasks) == 2 and all(t["hs_task_status"] == "COMPLETED" for t in tasks),
                   f"tasks: {short_json(tasks)}")
        demo.say(f"user {scenario.user_id} withdraws request {request['request_id'][:8]}… -> "
                 f"{withdrawn['request']['status_label']}; both approvers' tasks are {tasks[0]['hs_task_status']}")
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
    Step("Finance: approval before QuickBooks (request, a task per approver, approve, created)",
         approval_request_to_invoice, needs=("invoice_scenario",)),
    Step("Finance: a request withdrawn by its requester (tasks closed, timeline note)", approval_request_withdrawn,
         needs=("invoice_scenario",)),
]
