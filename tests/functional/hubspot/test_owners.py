"""The owners adapter against the simulator, every call checked against HubSpot's contract: all pages of active
owners, and one owner by the user id a signed request carries."""

from __future__ import annotations

from hubbooks.adapters.hubspot.owners import HubSpotOwners
from hubbooks.domain.finance.owners import owner_ids_of_users, owner_options
from tests.functional.hubspot.conftest import HubSpotSim


def test_every_page_of_active_owners_and_one_by_user_id(hubspot_sim: HubSpotSim) -> None:
    portal = hubspot_sim.new_portal()
    users = [hubspot_sim.control("POST", "users", {"portal_id": portal, "email": f"u{i}@books.example",
                                                   "first_name": f"User{i}", "last_name": "Books"})
             for i in range(4)]
    gone = hubspot_sim.control("POST", "users", {"portal_id": portal, "archived": True})
    client = hubspot_sim.client(portal)
    owners = HubSpotOwners(client.transport, page_size=2)
    listed = owners.active()
    assert len(listed) == 5 and gone["owner_id"] not in {o.id for o in listed}  # the admin and four users
    assert hubspot_sim.calls("GET /crm/owners/2026-03/") == 3

    found = client.owners.by_user_id(users[1]["user_id"])
    assert found is not None and (found.id, found.email, found.display_name) == (
        users[1]["owner_id"], "u1@books.example", "User1 Books")
    assert client.owners.by_user_id(gone["user_id"]) is None
    assert client.owners.by_id(users[2]["owner_id"]) == owners.by_user_id(users[2]["user_id"])
    assert client.owners.by_id(gone["owner_id"]) is None and client.owners.by_id("1") is None
    assert client.owners.by_user_id(999) is None

    view = owner_options(client.owners)
    assert [o.name for o in view.owners][:2] == ["Portal Admin", "User0 Books"]
    assert owner_ids_of_users(client.owners, [users[0]["user_id"], gone["user_id"]]) == {
        users[0]["user_id"]: users[0]["owner_id"]}
    assert owner_ids_of_users(owners, [u["user_id"] for u in users]) == {u["user_id"]: u["owner_id"] for u in users}
