"""Properties API: seeded defaults, custom properties and groups, typed writes on custom properties."""

from __future__ import annotations

import pytest

from tests.sandbox.hubspot.conftest import Seeded, assert_no_violations


@pytest.mark.parametrize("prefix", ["/crm/v3/properties", "/crm/properties/2026-03"])
def test_default_properties(seeded: Seeded, prefix: str) -> None:
    quotes = {p["name"]: p for p in seeded.api("GET", f"{prefix}/quotes").json()["results"]}
    assert {"hs_status", "hs_expiration_date", "hs_title", "hs_quote_amount", "hs_currency"} <= quotes.keys()
    assert {o["value"] for o in quotes["hs_status"]["options"]} >= {"APPROVAL_NOT_NEEDED", "PENDING_APPROVAL",
                                                                   "APPROVED"}
    items = {p["name"] for p in seeded.api("GET", f"{prefix}/line_items").json()["results"]}
    assert {"hs_product_id", "quantity", "price", "amount", "name", "description"} <= items
    deal_amount = seeded.api("GET", f"{prefix}/deals/amount").json()
    assert deal_amount["type"] == "number" and deal_amount["hubspotDefined"] is True
    assert seeded.api("GET", f"{prefix}/deals/nope").status_code == 404
    assert_no_violations(seeded.sim)


def test_custom_group_and_enumeration_property(seeded: Seeded) -> None:
    base = "/crm/v3/properties/deals"
    group = seeded.api("POST", f"{base}/groups", json={"name": "hubbooks", "label": "HubBooks", "displayOrder": 1})
    assert group.status_code == 201
    prop = seeded.api("POST", base, json={
        "name": "qbo_status", "label": "QBO status", "type": "enumeration", "fieldType": "select",
        "groupName": "hubbooks", "options": [
            {"label": "Paid", "value": "paid", "displayOrder": 0, "hidden": False},
            {"label": "Open", "value": "open", "displayOrder": 1, "hidden": False}]})
    assert prop.status_code == 201
    assert seeded.api("POST", base, json={"name": "qbo_status", "label": "x", "type": "string", "fieldType": "text",
                                          "groupName": "hubbooks"}).status_code == 409
    deal = seeded.create("deals", {"dealname": "D", "qbo_status": "paid"})
    wrong = seeded.api("PATCH", f"/crm/v3/objects/deals/{deal['id']}", json={"properties": {"qbo_status": "void"}})
    assert wrong.status_code == 400
    in_use = seeded.api("DELETE", f"{base}/groups/hubbooks")
    assert in_use.status_code == 400 and in_use.json()["subCategory"].endswith("GROUP_WITH_ACTIVE_PROPERTIES")
    assert seeded.api("DELETE", f"{base}/qbo_status").status_code == 204
    assert seeded.api("DELETE", f"{base}/groups/hubbooks").status_code == 204
    groups = seeded.api("GET", f"{base}/groups").json()["results"]
    assert "hubbooks" not in {g["name"] for g in groups}
    batch = seeded.api("POST", f"{base}/batch/read", json={"inputs": [{"name": "amount"}], "archived": False,
                                                           "dataSensitivity": "non_sensitive"})
    assert batch.json()["results"][0]["name"] == "amount"
    assert_no_violations(seeded.sim)
