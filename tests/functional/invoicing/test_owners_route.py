"""GET /app/hubspot-owners: the settings page's pickers list the portal's active owners, for any signed user."""

from __future__ import annotations

import invoice_handler
import requests

from tests.functional.invoicing.conftest import USER, World
from tests.support import LambdaContext, http_event, json_body


def test_any_signed_user_lists_the_active_owners_by_name(world: World) -> None:
    for first, last, archived in (("Zoe", "Ledger", False), ("Ann", "Books", False), ("Old", "Hand", True)):
        requests.post(f"{world.hubspot_url}/_sandbox/users", timeout=10, json={
            "portal_id": world.portal_id, "first_name": first, "last_name": last, "archived": archived,
            "email": f"{first.lower()}@books.example"}).raise_for_status()
    status, answer, _ = world.call("GET", "/app/hubspot-owners", user_id=USER + 40)  # not an admin: still fine
    assert status == 200, answer
    assert [o["name"] for o in answer["owners"]] == ["Ann Books", "Portal Admin", "Zoe Ledger"]
    ann = answer["owners"][0]
    assert ann["email"] == "ann@books.example" and ann["owner_id"].isdigit() and isinstance(ann["user_id"], int)


def test_an_unsigned_request_gets_401(world: World) -> None:
    response = invoice_handler.lambda_handler(http_event("GET", "/app/hubspot-owners", query={
        "portalId": world.portal_id, "userId": USER}), LambdaContext())
    assert response["statusCode"] == 401 and "owners" not in json_body(response)
