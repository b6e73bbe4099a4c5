"""Two-way sync through the local gateway: the HubSpot simulator signs its webhook deliveries for the project's
subscriptions, the gateway runs the receiver, the queue and the worker; a user's edit in HubSpot reaches the QuickBooks
customer and nothing echoes back either way; a product added in HubSpot becomes one QuickBooks item. Unsigned
deliveries never reach the queue."""

from __future__ import annotations

import io

import pytest
import requests

from sandbox.demo import steps_invoices, steps_sync
from sandbox.demo.framework import Demo, Step, run_steps
from sandbox.stack import StackProcess

pytestmark = pytest.mark.e2e


def _step(name: str) -> Step:
    return next(step for step in steps_sync.STEPS if step.run.__name__ == name)


def test_a_hubspot_edit_reaches_quickbooks_without_echo(stack: StackProcess) -> None:
    out = io.StringIO()
    demo = Demo(stack=stack, out=out, facts={"hubspot_app_id": stack.hubspot_app["app_id"]})
    steps = [steps_invoices.STEPS[0], _step("turn_on"), _step("backfill"), _step("two_way_contact")]
    assert run_steps(demo, steps) == 0, out.getvalue()
    failures = [i for i in stack.invocations(function="WebhookWorkerFunction", trigger="sqs") if i["status"] != "ok"]
    assert failures == []


def test_a_product_added_in_hubspot_becomes_one_quickbooks_item(stack: StackProcess) -> None:
    out = io.StringIO()
    demo = Demo(stack=stack, out=out, facts={"hubspot_app_id": stack.hubspot_app["app_id"]})
    steps = [steps_invoices.STEPS[0], _step("turn_on"), _step("two_way_product")]
    assert run_steps(demo, steps) == 0, out.getvalue()
    failures = [i for i in stack.invocations(function="WebhookWorkerFunction", trigger="sqs") if i["status"] != "ok"]
    assert failures == []


def test_unsigned_hubspot_webhooks_are_refused_at_the_gateway(stack: StackProcess) -> None:
    body = [{"eventId": 1, "portalId": 1, "subscriptionType": "object.propertyChange", "objectTypeId": "0-1",
             "objectId": 5, "changeSource": "CRM_UI", "occurredAt": 1764320000000}]
    answer = requests.post(f"{stack.gateway_url}/webhooks/hubspot", json=body, timeout=10,
                           headers={"X-HubSpot-Signature-v3": "bm90IGl0", "X-HubSpot-Request-Timestamp": "1"})
    assert answer.status_code == 401 and answer.json()["error"] == "unauthorized"
