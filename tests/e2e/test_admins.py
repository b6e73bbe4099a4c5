"""HubBooks admins through the local gateway: signed only; the installer names an admin, who may then act; the
installer cannot be removed; an added admin can."""

from __future__ import annotations

import dataclasses

import pytest
import requests

from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.stack import StackProcess

pytestmark = pytest.mark.e2e
NEW_ADMIN = 818181


def test_admins_are_named_and_removed_through_the_gateway(stack: StackProcess) -> None:
    scenario = InvoiceScenario.set_up(stack)
    assert requests.get(f"{stack.gateway_url}/app/admins", timeout=30).status_code == 401
    status, view = scenario.fetch("GET", "/app/admins")
    assert status == 200 and view["installer_user_id"] == scenario.user_id and view["you_are_admin"], view

    newcomer = dataclasses.replace(scenario, user_id=NEW_ADMIN)
    status, refused = newcomer.fetch("POST", "/app/admins", {"user_id": NEW_ADMIN})
    assert status == 403, refused
    status, view = scenario.fetch("POST", "/app/admins", {"user_id": NEW_ADMIN})
    assert status == 200 and view["added_user_ids"] == [NEW_ADMIN], view

    status, kept = newcomer.fetch("DELETE", f"/app/admins/{scenario.user_id}")
    assert status == 409 and "always an admin" in kept["message"], kept
    status, view = newcomer.fetch("DELETE", f"/app/admins/{NEW_ADMIN}")
    assert status == 200 and view["added_user_ids"] == [] and not view["you_are_admin"], view
