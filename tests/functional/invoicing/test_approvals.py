"""Approval before QuickBooks, in-process against both simulators: the wizard's create becomes a request with a
HubSpot task for the approvers; an approver approves (the invoice is created exactly as a direct create would, once)
or rejects with a reason, or the requester withdraws it; every decision closes the task and is noted once on the
deal's timeline; deleted customers, stale versions and lost answers get clear answers and no second invoice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.config import get_settings
from hubbooks.models.hubspot_install import HubSpotInstall
from tests.functional.invoicing.conftest import USER, World
from tests.functional.invoicing.test_live_status import qbo_api

SALESPERSON = 8
APPROVER = 9
OTHER_APPROVER = 10


@pytest.fixture
def approving(world: World) -> World:
    """USER installed the app (an admin); APPROVER and OTHER_APPROVER approve; approval is on for the US company."""
    DynamoInstallStore(dynamodb_table(get_settings().app_table_name)).save(HubSpotInstall(
        portal_id=world.portal_id, company_currency="USD", installed_at=datetime.now(UTC), installed_by_user_id=USER))
    status, roles, _ = world.call("PUT", "/app/finance-roles",
                                  body={"approver_user_ids": [APPROVER, OTHER_APPROVER]})
    assert status == 200, roles
    status, saved, _ = world.call("PUT", f"/app/qbo/{world.realms['us']}/approval-settings", body={"required": True})
    assert status == 200 and saved["required"], saved
    return world


def submission(world: World, **extra: Any) -> dict[str, Any]:
    return {"realm_id": world.realms["us"], "customer_id": "1", "submission_id": uuid.uuid4().hex, "term_id": "3",
            "lines": [{"item_id": "3", "quantity": "2", "rate": "150"}], **extra}


def submit(world: World, body: dict[str, Any], user_id: int = SALESPERSON) -> tuple[int, Any]:
    status, answer, _ = world.call("POST", f"/app/deals/{world.deal_id}/approval-requests", body=body,
                                   user_id=user_id)
    return status, answer


def decide(world: World, request: dict[str, Any], verb: str, user_id: int = APPROVER,
           **body: Any) -> tuple[int, Any]:
    status, answer, _ = world.call(
        "POST", f"/app/deals/{world.deal_id}/approval-requests/{request['request_id']}/{verb}",
        body={"version": request["version"], **body}, user_id=user_id)
    return status, answer


def tasks_of_deal(world: World) -> list[dict[str, Any]]:
    deal = world.hubspot("GET", f"/crm/v3/objects/deals/{world.deal_id}?associations=tasks")
    ids = dict.fromkeys(r["id"] for r in (deal.get("associations") or {}).get("tasks", {}).get("results", []))
    return [world.hubspot("GET", f"/crm/v3/objects/tasks/{i}?properties=hs_task_subject,hs_task_status,"
                                 "hs_task_body,hubspot_owner_id")["properties"] for i in ids]


def notes_of_deal(world: World) -> list[str]:
    deal = world.hubspot("GET", f"/crm/v3/objects/deals/{world.deal_id}?associations=notes")
    ids = dict.fromkeys(r["id"] for r in (deal.get("associations") or {}).get("notes", {}).get("results", []))
    return [world.hubspot("GET", f"/crm/v3/objects/notes/{i}?properties=hs_note_body")["properties"]["hs_note_body"]
            for i in ids]


def decision_notes(world: World, request_id: str) -> list[str]:
    return [body for body in notes_of_deal(world) if f"hubbooks-approval-{request_id}-" in body]


def invoice_count(world: World) -> int:
    return int(world.qbo("GET", f"companies/{world.realms['us']}")["counts"].get("Invoice", 0))


def test_off_by_default_and_only_admins_turn_it_on(world: World) -> None:
    realm = world.realms["us"]
    status, found, _ = world.call("GET", f"/app/qbo/{realm}/approval-settings", user_id=SALESPERSON)
    assert status == 200 and found == {"required": False, "requester_may_approve": False, "assignee_owner_id": None}
    status, refused, _ = world.call("PUT", f"/app/qbo/{realm}/approval-settings", body={"required": True},
                                    user_id=SALESPERSON)
    assert status == 403 and "admins" in refused["message"]


def test_request_task_approve_with_edits_creates_one_invoice_and_keeps_the_decision(approving: World) -> None:
    world = approving
    before = invoice_count(world)
    status, refused, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=submission(world),
                                    user_id=SALESPERSON)
    assert status == 409 and refused["error"] == "approval_required", refused

    body = submission(world, customer_message="Thanks!")
    status, first = submit(world, body)
    again_status, again = submit(world, body)  # the card retries the click
    assert status == again_status == 200, first
    request = first["request"]
    assert again["request"]["request_id"] == request["request_id"]
    assert request["status"] == "pending" and request["status_label"] == "Awaiting approval"
    assert request["review"]["total"] == "300.00" and not request["you_can_approve"]
    tasks = tasks_of_deal(world)
    assert len(tasks) == 1 and tasks[0]["hs_task_status"] == "NOT_STARTED", tasks
    assert "Approve invoice: 300.00 USD" in tasks[0]["hs_task_subject"]
    assert invoice_count(world) == before

    status, listed, _ = world.call("GET", f"/app/deals/{world.deal_id}/approval-requests", user_id=APPROVER)
    assert status == 200 and listed["requests"][0]["you_can_approve"], listed
    status, answer = decide(world, request, "approve", user_id=SALESPERSON)
    assert status == 403 and "Only approvers" in answer["message"]

    status, approved = decide(world, request, "approve", edits={"customer_message": "Thank you, Birds!",
                                                                 "due_date": "2099-01-31"})
    assert status == 200, approved
    assert approved["request"]["status"] == "approved" and approved["created"]["invoice"]["number"]
    assert invoice_count(world) == before + 1
    made = qbo_api(world, world.realms["us"], "GET", f"invoice/{approved['request']['invoice_id']}")["Invoice"]
    assert made["CustomerMemo"]["value"] == "Thank you, Birds!" and made["DueDate"] == "2099-01-31"
    assert f"submission-{request['request_id']}" in made["PrivateNote"]  # the orphan recovery's marker
    history = approved["request"]["history"]
    assert [h["action"] for h in history] == ["requested", "approved"]
    assert history[1]["user_id"] == APPROVER and history[1]["changes"]["customer_message"] == [
        "Thanks!", "Thank you, Birds!"]
    assert [t["hs_task_status"] for t in tasks_of_deal(world)] == ["COMPLETED"]
    [note] = decision_notes(world, request["request_id"])
    assert "Invoice request approved" in note and f"HubSpot user {APPROVER}" in note
    assert "Changed message to the customer: Thanks! to Thank you, Birds!" in note

    # The second approver clicked on the same version: told, and no second invoice (nor note).
    status, late = decide(world, request, "approve", user_id=OTHER_APPROVER)
    assert status == 409 and "already approved" in late["message"]
    assert invoice_count(world) == before + 1
    assert len(decision_notes(world, request["request_id"])) == 1


def test_requester_approves_own_request_only_when_the_admin_allows(approving: World) -> None:
    world = approving
    status, first = submit(world, submission(world), user_id=APPROVER)
    assert status == 200
    status, refused = decide(world, first["request"], "approve", user_id=APPROVER)
    assert status == 403 and "another approver" in refused["message"]
    world.call("PUT", f"/app/qbo/{world.realms['us']}/approval-settings",
               body={"required": True, "requester_may_approve": True})
    status, approved = decide(world, first["request"], "approve", user_id=APPROVER)
    assert status == 200 and approved["request"]["status"] == "approved", approved


def test_reject_shows_the_reason_and_completes_the_task(approving: World) -> None:
    world = approving
    _, first = submit(world, submission(world))
    status, rejected = decide(world, first["request"], "reject", reason="Use the annual price list.")
    assert status == 200 and rejected["request"]["status"] == "rejected"
    status, listed, _ = world.call("GET", f"/app/deals/{world.deal_id}/approval-requests", user_id=SALESPERSON)
    assert listed["requests"][0]["rejection_reason"] == "Use the annual price list."
    assert [t["hs_task_status"] for t in tasks_of_deal(world)] == ["COMPLETED"]
    status, _ = decide(world, rejected["request"], "reject", reason=" ")
    assert status == 422


def test_a_customer_deleted_since_keeps_the_request_pending_with_a_clear_message(approving: World) -> None:
    world = approving
    realm = world.realms["us"]
    _, first = submit(world, submission(world))
    customer = qbo_api(world, realm, "GET", "customer/1")["Customer"]
    qbo_api(world, realm, "POST", "customer", {"Id": "1", "SyncToken": customer["SyncToken"], "sparse": True,
                                               "Active": False})
    before = invoice_count(world)
    status, refused = decide(world, first["request"], "approve")
    assert status == 422 and "customer no longer exists" in refused["message"], refused
    assert "stays pending" in refused["message"]
    _, listed, _ = world.call("GET", f"/app/deals/{world.deal_id}/approval-requests", user_id=APPROVER)
    current = listed["requests"][0]
    assert current["status"] == "pending" and "no longer exists" in current["last_error"]
    assert [h["action"] for h in current["history"]] == ["requested", "approve_failed"]
    assert invoice_count(world) == before


def test_a_lost_answer_is_finished_by_approving_again_with_one_invoice(approving: World) -> None:
    world = approving
    realm = world.realms["us"]
    _, first = submit(world, submission(world))
    before = invoice_count(world)
    requests.post(f"{world.qbo_url}/_sandbox/faults", timeout=10, json={
        "status": 0, "rate": 0, "lost_rate": 1.0, "path_prefix": f"/v3/company/{realm}/invoice", "methods": ["POST"]})
    try:
        status, _ = decide(world, first["request"], "approve")
    finally:
        requests.delete(f"{world.qbo_url}/_sandbox/faults", timeout=10)
    assert status >= 500
    assert invoice_count(world) == before + 1  # QuickBooks made it; its answer was lost
    _, listed, _ = world.call("GET", f"/app/deals/{world.deal_id}/approval-requests", user_id=APPROVER)
    current = listed["requests"][0]
    assert current["status"] == "approving" and "approve again" in current["last_error"]
    status, approved = decide(world, current, "approve")
    assert status == 200, approved
    assert approved["request"]["status"] == "approved"
    assert invoice_count(world) == before + 1


def test_the_requester_withdraws_and_the_decision_closes_the_task_and_is_noted_once(approving: World) -> None:
    world = approving
    _, first = submit(world, submission(world))
    request = first["request"]
    assert request["you_can_withdraw"] and request["status"] == "pending"
    _, listed, _ = world.call("GET", f"/app/deals/{world.deal_id}/approval-requests", user_id=APPROVER)
    assert not listed["requests"][0]["you_can_withdraw"]  # an approver who is not an admin

    status, refused = decide(world, request, "withdraw", user_id=APPROVER)
    assert status == 403 and f"(user {SALESPERSON}) or a HubBooks admin" in refused["message"], refused
    status, stale = decide(world, {**request, "version": 5}, "withdraw", user_id=SALESPERSON)
    assert status == 409 and "refresh the card" in stale["message"]

    status, withdrawn = decide(world, request, "withdraw", user_id=SALESPERSON, reason="Quote first")
    assert status == 200 and withdrawn["request"]["status"] == "withdrawn", withdrawn
    assert withdrawn["request"]["status_label"] == "Withdrawn" and withdrawn["warnings"] == []
    last = withdrawn["request"]["history"][-1]
    assert (last["action"], last["user_id"], last["reason"]) == ("withdrawn", SALESPERSON, "Quote first")
    assert [t["hs_task_status"] for t in tasks_of_deal(world)] == ["COMPLETED"]
    [note] = decision_notes(world, request["request_id"])
    assert "Invoice request withdrawn" in note and "Reason: Quote first" in note

    status, again = decide(world, withdrawn["request"], "withdraw", user_id=SALESPERSON)
    assert status == 409 and again["message"].endswith("It can no longer be withdrawn."), again
    status, late = decide(world, withdrawn["request"], "approve")
    assert status == 409 and f"already withdrawn by user {SALESPERSON}" in late["message"]
    assert len(decision_notes(world, request["request_id"])) == 1


def test_an_admin_may_withdraw_and_a_rejected_request_cannot_be(approving: World) -> None:
    world = approving
    _, first = submit(world, submission(world))
    status, withdrawn = decide(world, first["request"], "withdraw", user_id=USER)  # the installer
    assert status == 200 and withdrawn["request"]["history"][-1]["user_id"] == USER
    _, second = submit(world, submission(world))
    _, rejected = decide(world, second["request"], "reject", reason="No")
    status, refused = decide(world, rejected["request"], "withdraw", user_id=SALESPERSON)
    assert status == 409 and "already rejected" in refused["message"]
    [note] = decision_notes(world, second["request"]["request_id"])
    assert "Invoice request rejected" in note and "Reason: No" in note
    status, missing = decide(world, {"request_id": "nosuchrequest1", "version": 1}, "withdraw",
                             user_id=SALESPERSON)
    assert status == 404 and "does not exist on this deal" in missing["message"]


def _hubspot_user(world: World, first: str) -> dict[str, Any]:
    made = requests.post(f"{world.hubspot_url}/_sandbox/users", timeout=10, json={
        "portal_id": world.portal_id, "first_name": first, "last_name": "Approver",
        "email": f"{first.lower()}@books.example"})
    made.raise_for_status()
    return dict(made.json())


def test_each_approver_gets_a_task_on_their_owner_and_all_close_on_the_decision(approving: World) -> None:
    world = approving
    ada, bob = _hubspot_user(world, "Ada"), _hubspot_user(world, "Bob")
    status, roles, _ = world.call("PUT", "/app/finance-roles",
                                  body={"approver_user_ids": [ada["user_id"], bob["user_id"], APPROVER]})
    assert status == 200, roles
    body = submission(world)
    status, first = submit(world, body)
    assert status == 200, first
    # APPROVER (user 9) is no HubSpot user here, so no owner: named in a warning, the others get their tasks.
    assert any("No task was assigned to user 9" in w for w in first["warnings"]), first
    submit(world, body)  # the card retries the click: no second task for anyone
    tasks = tasks_of_deal(world)
    assert sorted(t["hubspot_owner_id"] for t in tasks) == sorted([ada["owner_id"], bob["owner_id"]]), tasks
    assert all(t["hs_task_status"] == "NOT_STARTED" for t in tasks)
    assert len(first["request"]["task_ids"]) == 2

    status, approved = decide(world, first["request"], "approve", user_id=ada["user_id"])
    assert status == 200, approved
    assert [t["hs_task_status"] for t in tasks_of_deal(world)] == ["COMPLETED", "COMPLETED"]


def test_a_note_hubspot_refused_is_written_when_the_card_next_lists_the_requests(approving: World) -> None:
    world = approving
    _, first = submit(world, submission(world))
    request_id = first["request"]["request_id"]
    requests.post(f"{world.hubspot_url}/_sandbox/faults", timeout=10,
                  json={"status": 500, "rate": 1.0, "path_prefix": "/crm/objects/2026-03/notes"})
    try:
        status, rejected = decide(world, first["request"], "reject", reason="Wrong customer")
    finally:
        requests.delete(f"{world.hubspot_url}/_sandbox/faults", timeout=10)
    assert status == 200 and rejected["request"]["status"] == "rejected", rejected
    assert "timeline note could not be written" in rejected["warnings"][0]
    assert decision_notes(world, request_id) == []
    status, _listed, _ = world.call("GET", f"/app/deals/{world.deal_id}/approval-requests", user_id=SALESPERSON)
    assert status == 200
    [note] = decision_notes(world, request_id)
    assert "Reason: Wrong customer" in note
    world.call("GET", f"/app/deals/{world.deal_id}/approval-requests", user_id=SALESPERSON)
    assert len(decision_notes(world, request_id)) == 1
