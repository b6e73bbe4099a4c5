"""The simulator's owners API: one owner per portal user, paged, found by owner id or user id, archived once the
user is deactivated; HubSpot's own client reads it, and every answer matches HubSpot's contract."""

from __future__ import annotations

import hubspot
from hubspot.crm.owners.exceptions import ApiException

from tests.sandbox.hubspot.conftest import Seeded, assert_no_violations


def _add_user(seeded: Seeded, **body: object) -> dict:
    response = seeded.sim.control("POST", "users", json={"portal_id": seeded.portal_id, **body})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_owners_list_pages_and_filters(seeded: Seeded) -> None:
    admin = seeded.sim.control("GET", "portals").json()["results"][0]["users"][0]
    ann = _add_user(seeded, email="ann@birds.example", first_name="Ann", last_name="Ledger")
    gone = _add_user(seeded, email="gone@birds.example", archived=True)
    first = seeded.api("GET", "/crm/owners/2026-03/?limit=1")
    assert first.status_code == 200, first.text
    page = first.json()
    assert [o["id"] for o in page["results"]] == [admin["owner_id"]]
    assert page["results"][0]["userId"] == admin["user_id"] and page["results"][0]["archived"] is False
    after = page["paging"]["next"]["after"]
    rest = seeded.api("GET", f"/crm/owners/2026-03/?limit=1&after={after}").json()
    assert [(o["id"], o["email"], o["firstName"], o["lastName"], o["userId"]) for o in rest["results"]] == [
        (ann["owner_id"], "ann@birds.example", "Ann", "Ledger", ann["user_id"])]
    assert "paging" not in rest  # the archived owner is not among the active ones
    archived = seeded.api("GET", "/crm/v3/owners/?archived=true").json()["results"]
    assert [(o["id"], o["archived"], "userId" in o, o["userIdIncludingInactive"]) for o in archived] == [
        (gone["owner_id"], True, False, gone["user_id"])]
    by_email = seeded.api("GET", "/crm/owners/2026-03/?email=ANN@birds.example").json()["results"]
    assert [o["id"] for o in by_email] == [ann["owner_id"]]
    assert seeded.api("GET", "/crm/owners/2026-03/?limit=501").status_code == 400
    assert_no_violations(seeded.sim)


def test_one_owner_by_id_or_user_id(seeded: Seeded) -> None:
    ann = _add_user(seeded, email="ann@birds.example", first_name="Ann", last_name="Ledger")
    gone = _add_user(seeded, archived=True)
    assert seeded.api("GET", f"/crm/owners/2026-03/{ann['owner_id']}").json()["userId"] == ann["user_id"]
    by_user = seeded.api("GET", f"/crm/owners/2026-03/{ann['user_id']}?idProperty=userId").json()
    assert by_user["id"] == ann["owner_id"]
    assert seeded.api("GET", f"/crm/owners/2026-03/{ann['user_id']}").status_code == 404  # not an owner id
    assert seeded.api("GET", f"/crm/owners/2026-03/{gone['user_id']}?idProperty=userId").status_code == 404
    assert seeded.api("GET", f"/crm/owners/2026-03/{gone['owner_id']}?archived=true").json()["archived"] is True
    assert seeded.api("GET", f"/crm/owners/2026-03/{ann['owner_id']}?idProperty=email").status_code == 400
    other_portal = seeded.sim.portal()
    assert seeded.sim.api("GET", f"/crm/owners/2026-03/{ann['owner_id']}",
                          seeded.sim.token(other_portal)).status_code == 404  # owners belong to one portal
    assert_no_violations(seeded.sim)


def test_hubspots_own_client_reads_the_owners(seeded: Seeded) -> None:
    ann = _add_user(seeded, email="ann@birds.example", first_name="Ann", last_name="Ledger")
    client = hubspot.Client.create(access_token=seeded.token, host=seeded.sim.url)
    page = client.crm.owners.owners_api.get_page(limit=100)
    assert {o.email for o in page.results} >= {"ann@birds.example"}
    owner = client.crm.owners.owners_api.get_by_id(int(ann["user_id"]), id_property="userId")
    assert owner.id == ann["owner_id"] and owner.type == "PERSON" and owner.created_at is not None
    try:
        client.crm.owners.owners_api.get_by_id(1)
    except ApiException as failure:
        assert failure.status == 404
    else:
        raise AssertionError("an unknown owner must be a 404")
    assert_no_violations(seeded.sim)


def test_owners_need_the_owners_scope(seeded: Seeded) -> None:
    app = seeded.sim.control("POST", "apps", json={"redirect_uris": ["https://x.test/cb"]}).json()
    redirect = seeded.sim.control("POST", "authorize", json={
        "client_id": app["client_id"], "redirect_uri": "https://x.test/cb", "scope": "oauth crm.objects.deals.read",
        "portal_id": seeded.portal_id}).json()["redirect"]
    code = redirect.split("code=")[1].split("&")[0]
    tokens = seeded.sim.http.post(f"{seeded.sim.url}/oauth/v1/token", timeout=10, data={
        "grant_type": "authorization_code", "client_id": app["client_id"], "client_secret": app["client_secret"],
        "redirect_uri": "https://x.test/cb", "code": code}).json()
    refused = seeded.sim.api("GET", "/crm/owners/2026-03/", tokens["access_token"])
    assert refused.status_code == 403 and refused.json()["category"] == "MISSING_SCOPES"
