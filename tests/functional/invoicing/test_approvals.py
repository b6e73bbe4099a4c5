"""Approval before QuickBooks, in-process against both simulators: the wizard's create becomes a request with a
HubSpot task for the approvers; an approver approves (the invoice is created exactly as a direct create would, once)
or rejects with a reason; deleted customers, stale versions and lost answers get clear answers and no second invoice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
import requests

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.config import get_settings
from hubbooks.models.hubspot import HubSpotInstall
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
                                 "hs_task_body")["properties"] for i in ids]


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

    # The second approver clicked on the same version: told, and no second invoice.
    status, late = decide(world, request, "approve", user_id=OTHER_APPROVER)
    assert status == 409 and "already approved" in late["message"]
    assert invoice_count(world) == before + 1


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
