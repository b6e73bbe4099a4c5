"""The settings page's owners list over HTTP through the local gateway: installed with the owners scope, signed by
the HubSpot simulator, read from its owners API."""

from __future__ import annotations

import pytest
import requests

from sandbox.seed_hubspot import install_app
from sandbox.stack import StackProcess, http_json

pytestmark = pytest.mark.e2e


def test_an_installed_portal_lists_its_owners_for_the_pickers(stack: StackProcess) -> None:
    status, portal = http_json("POST", f"{stack.hubspot_url}/_sandbox/portals", {"company_currency": "USD"})
    assert status == 201, portal
    assert install_app(stack.gateway_url, stack.hubspot_url, portal["portal_id"]).status == 200
    status, finance = http_json("POST", f"{stack.hubspot_url}/_sandbox/users", {
        "portal_id": portal["portal_id"], "email": "fiona@books.example", "first_name": "Fiona",
        "last_name": "Finance"})
    assert status == 201, finance

    status, fetched = http_json("POST", f"{stack.hubspot_url}/_sandbox/fetch", {
        "app_id": stack.hubspot_app["app_id"], "portal_id": portal["portal_id"], "user_id": finance["user_id"],
        "method": "GET", "url": f"{stack.gateway_url}/app/hubspot-owners"})
    assert status == 200 and fetched["status"] == 200, fetched
    owners = {o["email"]: o for o in fetched["body"]["owners"]}
    assert owners["fiona@books.example"] == {"owner_id": finance["owner_id"], "user_id": finance["user_id"],
                                             "name": "Fiona Finance", "email": "fiona@books.example"}
    assert portal["owner_id"] in {o["owner_id"] for o in owners.values()}

    unsigned = requests.get(f"{stack.gateway_url}/app/hubspot-owners?portalId={portal['portal_id']}&userId=1",
                            timeout=30)
    assert unsigned.status_code == 401
