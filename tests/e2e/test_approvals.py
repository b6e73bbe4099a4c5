"""Approvals through the local gateway: the demo's approval steps (request, approve, timeline note; a request withdrawn
by its requester), and the withdraw route's refusals as a caller meets them (unsigned, not the requester)."""

from __future__ import annotations

import dataclasses
import io
import uuid

import pytest
import requests

from sandbox.demo import steps_approvals
from sandbox.demo.framework import Demo, run_steps
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.stack import StackProcess

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def scenario(stack: StackProcess) -> InvoiceScenario:
    return InvoiceScenario.set_up(stack)


def test_every_approval_demo_step_succeeds(stack: StackProcess, scenario: InvoiceScenario) -> None:
    out = io.StringIO()
    demo = Demo(stack=stack, out=out, facts={"invoice_scenario": scenario})
    failed = run_steps(demo, steps_approvals.STEPS)
    assert failed == 0, out.getvalue()
    assert "withdraws request" in out.getvalue() and "Invoice request withdrawn" in out.getvalue()


def test_withdraw_is_signed_and_for_the_requester_or_an_admin(scenario: InvoiceScenario) -> None:
    realm = scenario.realms["us"]
    path = f"/app/deals/{scenario.deal.id}/approval-requests"
    status, saved = scenario.fetch("PUT", f"/app/qbo/{realm}/approval-settings", {"required": True})
    assert status == 200, saved
    try:
        requester = dataclasses.replace(scenario, user_id=515151)  # a salesperson, not an admin
        draft = scenario.draft("us", [{"item_id": "1", "quantity": "2", "rate": "40"}], term_id="3")
        status, submitted = requester.fetch("POST", path, {**draft, "submission_id": uuid.uuid4().hex})
        assert status == 200, submitted
        request = submitted["request"]
        withdraw = f"{path}/{request['request_id']}/withdraw"

        unsigned = requests.post(f"{scenario.stack.gateway_url}{withdraw}", json={"version": 1}, timeout=30)
        assert unsigned.status_code == 401

        stranger = dataclasses.replace(scenario, user_id=616161)
        status, refused = stranger.fetch("POST", withdraw, {"version": request["version"]})
        assert status == 403 and "user 515151" in refused["message"], refused
        status, invalid = requester.fetch("POST", withdraw, {"version": 0})
        assert status == 422, invalid

        status, withdrawn = requester.fetch("POST", withdraw, {"version": request["version"]})
        assert status == 200 and withdrawn["request"]["status"] == "withdrawn", withdrawn
        status, again = requester.fetch("POST", withdraw, {"version": withdrawn["request"]["version"]})
        assert status == 409 and "can no longer be withdrawn" in again["message"], again
    finally:
        scenario.fetch("PUT", f"/app/qbo/{realm}/approval-settings", {"required": False})
