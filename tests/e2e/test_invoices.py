"""Invoices from deals through the local gateway: every request is a signed hubspot.fetch made by the HubSpot
simulator, QuickBooks is its simulator, AWS is moto server. The demo's steps are the scenario, checked here."""

from __future__ import annotations

import io
import time
import uuid
from typing import Any

import pytest

from sandbox.demo import steps_invoices
from sandbox.demo.framework import Demo, run_steps
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.stack import StackProcess

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def scenario(stack: StackProcess) -> InvoiceScenario:
    return InvoiceScenario.set_up(stack)


def test_every_invoice_demo_step_succeeds(stack: StackProcess) -> None:
    out = io.StringIO()
    demo = Demo(stack=stack, out=out, facts={"hubspot_app_id": stack.hubspot_app["app_id"]})
    failed = run_steps(demo, steps_invoices.STEPS)
    assert failed == 0, out.getvalue()


def test_card_lists_companies_and_actions(scenario: InvoiceScenario) -> None:
    status, card = scenario.fetch("GET", f"/app/cards/deal/{scenario.deal.id}")
    assert status == 200, card
    assert {c["country"] for c in card["companies"]} == {"US", "GB"}
    assert [a["action"] for a in card["next_actions"]] == ["create_invoice", "link_existing_invoice"]


def test_an_unsigned_request_through_the_gateway_is_refused(scenario: InvoiceScenario) -> None:
    import requests

    answer = requests.get(f"{scenario.stack.gateway_url}/app/cards/deal/{scenario.deal.id}",
                          params={"portalId": scenario.portal_id, "userId": scenario.user_id}, timeout=30)
    assert answer.status_code == 401


def test_concurrent_double_submission_makes_one_invoice(scenario: InvoiceScenario) -> None:
    from concurrent.futures import ThreadPoolExecutor

    before = scenario.invoice_count("us")
    draft = scenario.draft("us", [{"item_id": "2", "quantity": "3", "rate": "50"}])
    submission_id = uuid.uuid4().hex
    def click(nth: int) -> tuple[int, Any]:
        # Two clicks are two fetches HubSpot signs at different moments; the same millisecond would make one
        # signature twice, which the gateway rightly refuses as a replay.
        time.sleep(0.005 * nth)
        return scenario.create(draft, submission_id)

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(click, range(2)))
    statuses = sorted(status for status, _ in answers)
    # The second click either gets the same invoice or "already being created" (409) while the first runs.
    assert statuses in ([200, 200], [200, 409]), answers
    assert scenario.invoice_count("us") == before + 1
    status, again = scenario.create(draft, submission_id)
    assert status == 200 and again["invoice"]["invoice_id"] in {b["invoice"]["invoice_id"] for s, b in answers
                                                                if s == 200}


def test_field_level_errors_and_translated_quickbooks_faults(scenario: InvoiceScenario) -> None:
    status, answer = scenario.create(scenario.draft("us", [{"item_id": "1", "quantity": "0", "rate": "-1"}]))
    assert status == 422
    assert {f["field"] for f in answer["details"]["fields"]} == {"lines.0.quantity", "lines.0.rate"}
    status, answer = scenario.create(scenario.draft("us", [{"item_id": "9999", "quantity": "1", "rate": "1"}]))
    assert status == 422 and answer["details"]["fields"][0]["field"] == "lines[0].item_id"
