"""In the sandbox the product's business clock follows the QuickBooks simulator's: moving it past a due date turns
the invoice overdue on the card and in the overdue check, without waiting."""

from __future__ import annotations

import pytest
import requests

from hubbooks.adapters.wiring.invoicing_jobs import run_overdue_check
from hubbooks.config import get_settings
from hubbooks.models.connections import ConnectionRef
from tests.functional.invoicing.conftest import World
from tests.functional.invoicing.test_live_status import create_invoice


def _status(world: World, invoice_id: str) -> str:
    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200, card
    return str(next(i for i in card["invoices"] if i["invoice_id"] == invoice_id)["status"])


def test_moving_the_simulators_clock_turns_an_invoice_overdue(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_CLOCK_URL", f"{world.qbo_url}/_sandbox/clock")  # what the sandbox gateway sets
    get_settings.cache_clear()
    realm = world.realms["us"]
    invoice = create_invoice(world, realm)  # Net 30
    assert _status(world, invoice["invoice_id"]) != "overdue"

    requests.post(f"{world.qbo_url}/_sandbox/clock", json={"advance_seconds": 31 * 86400},
                  timeout=10).raise_for_status()

    assert _status(world, invoice["invoice_id"]) == "overdue"
    assert run_overdue_check(ConnectionRef(portal_id=world.portal_id, realm_id=realm)) != "no linked invoices"
    assert world.deal_properties()["hubbooks_invoice_status"] == "overdue"
