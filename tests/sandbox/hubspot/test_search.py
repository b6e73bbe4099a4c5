"""Search operators, sorts, query text and paging."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from sandbox.hubspot.propdefs import parse_instant_ms
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


def _modified_search(seeded: Seeded, object_type: str, filters: list[dict[str, Any]],
                     sort: str, **extra: Any) -> requests.Response:
    return seeded.api("POST", f"/crm/objects/2026-03/{object_type}/search", json={
        "filterGroups": [{"filters": filters}], "sorts": [sort], "properties": ["email", "name"], "limit": 200,
        "after": "0", **extra})


def test_every_write_stamps_the_modified_date_the_search_filters_and_sorts_on(seeded: Seeded) -> None:
    """What the HubSpot-side reconciliation relies on: contacts stamp lastmodifieddate, other objects
    hs_lastmodifieddate, on create and on every write that changes a value (single or batch); date filters take epoch
    milliseconds and sort ascending."""
    untouched = seeded.create("contacts", {"email": "old@x.test"})["id"]
    edited = seeded.create("contacts", {"email": "edit@x.test"})["id"]
    product = seeded.create("products", {"name": "Widget"})["id"]
    assert seeded.sim.control("POST", "clock", json={"advance_seconds": 60}).status_code == 200
    since = int(seeded.sim.control("GET", "clock").json()["now"] * 1000)
    assert seeded.api("PATCH", f"/crm/v3/objects/contacts/{edited}",
                      json={"properties": {"email": "edited@x.test"}}).status_code == 200
    seeded.sim.control("POST", "clock", json={"advance_seconds": 1})
    created = seeded.create("contacts", {"email": "new@x.test"})["id"]
    batch = seeded.api("POST", "/crm/v3/objects/products/batch/update",
                       json={"inputs": [{"id": product, "properties": {"name": "Widget 2"}}]})
    assert batch.status_code == 200, batch.text

    later = _modified_search(seeded, "contacts", [
        {"propertyName": "lastmodifieddate", "operator": "GTE", "value": str(since)}], "lastmodifieddate").json()
    assert [r["id"] for r in later["results"]] == [edited, created]
    stamps = [r["properties"]["lastmodifieddate"] for r in later["results"]]
    assert stamps == sorted(stamps) and stamps[0] > later["results"][0]["properties"]["createdate"]
    newest_first = _modified_search(seeded, "contacts", [
        {"propertyName": "lastmodifieddate", "operator": "GTE", "value": str(since)}], "-lastmodifieddate").json()
    assert [r["id"] for r in newest_first["results"]] == [created, edited]
    before = _modified_search(seeded, "contacts", [
        {"propertyName": "lastmodifieddate", "operator": "LT", "value": str(since)}], "lastmodifieddate").json()
    assert [r["id"] for r in before["results"]] == [untouched]
    products = _modified_search(seeded, "products", [
        {"propertyName": "hs_lastmodifieddate", "operator": "GTE", "value": str(since)}], "hs_lastmodifieddate")
    assert [r["id"] for r in products.json()["results"]] == [product]
    # One millisecond walked by id: EQ on the stamp, ids above a given one, sorted by id.
    stamp_ms = str(parse_instant_ms(stamps[0]))
    same = _modified_search(seeded, "contacts", [
        {"propertyName": "lastmodifieddate", "operator": "EQ", "value": stamp_ms},
        {"propertyName": "hs_object_id", "operator": "GT", "value": str(int(edited) - 1)}], "hs_object_id").json()
    assert [r["id"] for r in same["results"]] == [edited]
    assert_no_violations(seeded.sim)


def test_search_refuses_to_page_past_ten_thousand_results(seeded: Seeded) -> None:
    deepest = _modified_search(seeded, "contacts", [], "lastmodifieddate", after="9800")
    assert deepest.status_code == 200, deepest.text
    beyond = _modified_search(seeded, "contacts", [], "lastmodifieddate", after="9900")
    assert beyond.status_code == 400 and "10000" in beyond.json()["message"]
    assert beyond.json()["category"] == "VALIDATION_ERROR"
