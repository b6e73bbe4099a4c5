"""Whatever QuickBooks does, a card's request is answered before hubspot.fetch gives up (15 s): a 503 that says to
try again once the request's deadline has passed, with retries and timeouts cut to fit."""

from __future__ import annotations

import time

import pytest

from hubbooks.api import deadlines
from sandbox.cfn_template import load_template
from tests.functional.invoicing.conftest import World


def test_a_slow_quickbooks_gets_a_clear_503_within_the_budget(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(deadlines, "CARD_ANSWER_SECONDS", 3.0)  # the 12 s budget, scaled down for a fast test
    realm = world.realms["us"]
    world.qbo("POST", "faults", {"status": 0, "rate": 1.0, "latency_ms": 8_000, "path_prefix": f"/v3/company/{realm}"})
    try:
        started = time.monotonic()
        status, answer, _ = world.call("GET", f"/app/qbo/{realm}/items")
        elapsed = time.monotonic() - started
    finally:
        world.qbo("DELETE", "faults")
    assert status == 503 and "try again" in answer["message"], answer
    assert elapsed < 3.0, elapsed


def test_the_budget_is_below_hubspots_cut_and_the_functions_timeouts_match() -> None:
    assert deadlines.CARD_ANSWER_SECONDS <= 12
    resources = load_template()["Resources"]
    for function in ("InvoiceFunction", "OAuthFunction"):
        timeout = resources[function]["Properties"].get("Timeout")
        # Above the budget (the function answers itself) and below hubspot.fetch's 15 s.
        assert timeout is not None and deadlines.CARD_ANSWER_SECONDS < timeout < 15, (function, timeout)
