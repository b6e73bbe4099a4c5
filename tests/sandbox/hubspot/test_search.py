"""Search operators, sorts, query text and paging."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox.hubspot.conftest import Seeded, assert_no_violations


def _search(seeded: Seeded, filters: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    body = {"filterGroups": [{"filters": filters}] if filters else [], "sorts": [], "properties": ["dealname"],
            "limit": 100, "after": "0", **extra}
    response = seeded.api("POST", "/crm/v3/objects/deals/search", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.fixture
def deals(seeded: Seeded) -> Seeded:
    for name, amount, stage, close in (("Alpha deal", "100", "closedwon", "2026-01-10"),
                                       ("Beta deal", "250.5", "closedlost", "2026-02-10"),
                                       ("Gamma", "40", "closedwon", None)):
        props = {"dealname": name, "amount": amount, "dealstage": stage}
        if close:
            props["closedate"] = close
        seeded.create("deals", props)
    return seeded


def _names(result: dict[str, Any]) -> list[str]:
    return sorted(r["properties"]["dealname"] for r in result["results"])


@pytest.mark.parametrize(("flt", "expected"), [
    ({"propertyName": "dealstage", "operator": "EQ", "value": "closedwon"}, ["Alpha deal", "Gamma"]),
    ({"propertyName": "dealstage", "operator": "NEQ", "value": "closedwon"}, ["Beta deal"]),
    ({"propertyName": "amount", "operator": "LT", "value": "100"}, ["Gamma"]),
    ({"propertyName": "amount", "operator": "LTE", "value": "100"}, ["Alpha deal", "Gamma"]),
    ({"propertyName": "amount", "operator": "GT", "value": "100"}, ["Beta deal"]),
    ({"propertyName": "amount", "operator": "GTE", "value": "100"}, ["Alpha deal", "Beta deal"]),
    ({"propertyName": "amount", "operator": "BETWEEN", "value": "50", "highValue": "200"}, ["Alpha deal"]),
    ({"propertyName": "dealstage", "operator": "IN", "values": ["closedlost", "x"]}, ["Beta deal"]),
    ({"propertyName": "dealstage", "operator": "NOT_IN", "values": ["closedlost"]}, ["Alpha deal", "Gamma"]),
    ({"propertyName": "closedate", "operator": "HAS_PROPERTY"}, ["Alpha deal", "Beta deal"]),
    ({"propertyName": "closedate", "operator": "NOT_HAS_PROPERTY"}, ["Gamma"]),
    ({"propertyName": "dealname", "operator": "CONTAINS_TOKEN", "value": "deal"}, ["Alpha deal", "Beta deal"]),
    ({"propertyName": "dealname", "operator": "CONTAINS_TOKEN", "value": "gam*"}, ["Gamma"]),
    ({"propertyName": "dealname", "operator": "NOT_CONTAINS_TOKEN", "value": "deal"}, ["Gamma"]),
    ({"propertyName": "closedate", "operator": "GT", "value": "1767225600000"}, ["Alpha deal", "Beta deal"]),
    ({"propertyName": "closedate", "operator": "LT", "value": "2026-02-01"}, ["Alpha deal"]),
])
def test_operators(deals: Seeded, flt: dict[str, Any], expected: list[str]) -> None:
    assert _names(_search(deals, [flt])) == expected


def test_groups_are_ored_sorts_and_paging(deals: Seeded) -> None:
    result = _search(deals, [], filterGroups=[
        {"filters": [{"propertyName": "amount", "operator": "LT", "value": "50"}]},
        {"filters": [{"propertyName": "amount", "operator": "GT", "value": "200"}]}])
    assert _names(result) == ["Beta deal", "Gamma"]
    ordered = _search(deals, [], sorts=["-amount"], limit=2)
    assert [r["properties"]["dealname"] for r in ordered["results"]] == ["Beta deal", "Alpha deal"]
    assert ordered["total"] == 3 and ordered["paging"]["next"]["after"] == "2"
    rest = _search(deals, [], sorts=["-amount"], limit=2, after="2")
    assert [r["properties"]["dealname"] for r in rest["results"]] == ["Gamma"] and "paging" not in rest
    assert _names(_search(deals, [], query="alpha")) == ["Alpha deal"]
    assert_no_violations(deals.sim)


def test_object_sorts_and_limits(deals: Seeded) -> None:
    response = deals.api("POST", "/crm/v3/objects/deals/search", json={
        "sorts": [{"propertyName": "amount", "direction": "ASCENDING"}], "limit": 1})
    assert response.json()["results"][0]["properties"]["amount"] == "40"
    too_many = deals.api("POST", "/crm/v3/objects/deals/search", json={"limit": 201})
    assert too_many.status_code == 400
