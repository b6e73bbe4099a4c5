"""Associations v4 and 2026-03: default and labelled links, listing, batch calls and labels."""

from __future__ import annotations

import pytest

from tests.sandbox.hubspot.conftest import Seeded, assert_no_violations


@pytest.fixture
def pair(seeded: Seeded) -> tuple[Seeded, str, str]:
    deal = seeded.create("deals", {"dealname": "D"})
    company = seeded.create("companies", {"name": "C"})
    return seeded, deal["id"], company["id"]


def test_default_and_labelled_v4(pair: tuple[Seeded, str, str]) -> None:
    seeded, deal, company = pair
    default = seeded.api("PUT", f"/crm/v4/objects/deals/{deal}/associations/default/companies/{company}")
    assert default.status_code == 200
    specs = [r["associationSpec"]["associationTypeId"] for r in default.json()["results"]]
    assert specs == [341, 342]
    labelled = seeded.api("PUT", f"/crm/v4/objects/deals/{deal}/associations/companies/{company}",
                          json=[{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 5}])
    assert labelled.status_code == 201
    assert labelled.json() == {"fromObjectTypeId": "0-3", "fromObjectId": int(deal), "toObjectTypeId": "0-2",
                               "toObjectId": int(company), "labels": ["Primary"]}
    listed = seeded.api("GET", f"/crm/v4/objects/deals/{deal}/associations/companies").json()
    assert listed["results"][0]["toObjectId"] == int(company)
    assert {t["typeId"] for t in listed["results"][0]["associationTypes"]} == {5, 341}
    reverse = seeded.api("GET", f"/crm/objects/2026-03/companies/{company}/associations/deals").json()
    assert reverse["results"][0]["toObjectId"] == deal  # a string in the date-versioned API
    assert {t["typeId"] for t in reverse["results"][0]["associationTypes"]} == {6, 342}
    assert seeded.api("DELETE", f"/crm/v4/objects/deals/{deal}/associations/companies/{company}").status_code == 204
    assert seeded.api("GET", f"/crm/v4/objects/deals/{deal}/associations/companies").json()["results"] == []
    assert_no_violations(seeded.sim)


@pytest.mark.parametrize("prefix", ["/crm/v4/associations", "/crm/associations/2026-03"])
def test_batch_calls_and_labels(pair: tuple[Seeded, str, str], prefix: str) -> None:
    seeded, deal, company = pair
    other = seeded.create("deals", {"dealname": "E"})["id"]
    made = seeded.api("POST", f"{prefix}/deals/companies/batch/associate/default", json={"inputs": [
        {"from": {"id": deal}, "to": {"id": company}}, {"from": {"id": other}, "to": {"id": company}}]})
    assert made.status_code == 200 and len(made.json()["results"]) == 4
    created = seeded.api("POST", f"{prefix}/deals/companies/batch/create", json={"inputs": [
        {"from": {"id": deal}, "to": {"id": company},
         "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 5}]},
        {"from": {"id": deal}, "to": {"id": "999999"},
         "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 5}]}]})
    assert created.status_code == 207 and created.json()["numErrors"] == 1
    read = seeded.api("POST", f"{prefix}/deals/companies/batch/read", json={"inputs": [{"id": deal}, {"id": other}]})
    assert read.status_code == 200
    by_from = {r["from"]["id"]: r["to"] for r in read.json()["results"]}
    assert {t["typeId"] for t in by_from[deal][0]["associationTypes"]} == {5, 341}
    labels = seeded.api("GET", f"{prefix}/deals/companies/labels").json()["results"]
    assert {(lab["typeId"], lab.get("label")) for lab in labels} == {(341, None), (5, "Primary")}
    archived = seeded.api("POST", f"{prefix}/deals/companies/batch/archive",
                          json={"inputs": [{"from": {"id": other}, "to": [{"id": company}]}]})
    assert archived.status_code in (200, 204)
    assert seeded.api("GET", f"/crm/v4/objects/deals/{other}/associations/companies").json()["results"] == []
    assert_no_violations(seeded.sim)


def test_invalid_type_and_missing_object(pair: tuple[Seeded, str, str]) -> None:
    seeded, deal, company = pair
    wrong = seeded.api("PUT", f"/crm/v4/objects/deals/{deal}/associations/companies/{company}",
                       json=[{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}])
    assert wrong.status_code == 400
    missing = seeded.api("PUT", f"/crm/v4/objects/deals/{deal}/associations/default/companies/987654")
    assert missing.status_code == 404
    assert_no_violations(seeded.sim)
