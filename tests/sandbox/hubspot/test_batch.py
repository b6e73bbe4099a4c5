"""Batch endpoints: 100-input cap, 207 partial failures, upsert by unique property."""

from __future__ import annotations

from tests.sandbox.hubspot.conftest import Seeded, assert_no_violations

BASE = "/crm/objects/2026-03"


def test_batch_create_read_update_archive(seeded: Seeded) -> None:
    created = seeded.api("POST", f"{BASE}/products/batch/create", json={"inputs": [
        {"properties": {"name": f"P{i}", "price": str(i)}, "associations": [], "objectWriteTraceId": f"t{i}"}
        for i in range(3)]})
    assert created.status_code == 201
    ids = [r["id"] for r in created.json()["results"]]
    assert [r["objectWriteTraceId"] for r in created.json()["results"]] == ["t0", "t1", "t2"]
    read = seeded.api("POST", f"{BASE}/products/batch/read", json={
        "inputs": [{"id": ids[0]}, {"id": "424242"}], "properties": ["name"], "propertiesWithHistory": []})
    assert read.status_code == 207
    assert read.json()["errors"][0]["context"]["ids"] == ["424242"] and read.json()["numErrors"] == 1
    updated = seeded.api("POST", f"{BASE}/products/batch/update", json={"inputs": [
        {"id": ids[1], "properties": {"price": "50"}}, {"id": ids[2], "properties": {"price": "oops"}}]})
    assert updated.status_code == 207 and updated.json()["results"][0]["properties"]["price"] == "50"
    assert seeded.api("POST", f"{BASE}/products/batch/archive", json={"inputs": [{"id": i} for i in ids]}
                      ).status_code == 204
    assert seeded.api("GET", f"{BASE}/products").json()["results"] == []
    assert_no_violations(seeded.sim)


def test_more_than_100_inputs_is_rejected(seeded: Seeded) -> None:
    response = seeded.api("POST", f"{BASE}/contacts/batch/create", json={"inputs": [
        {"properties": {"email": f"x{i}@x.io"}, "associations": []} for i in range(101)]})
    assert response.status_code == 400 and response.json()["category"] == "VALIDATION_ERROR"


def test_upsert_by_email_and_custom_unique_property(seeded: Seeded) -> None:
    seeded.create("contacts", {"email": "old@x.io", "firstname": "Old"})
    upsert = seeded.api("POST", f"{BASE}/contacts/batch/upsert", json={"inputs": [
        {"id": "old@x.io", "idProperty": "email", "properties": {"firstname": "New"}},
        {"id": "fresh@x.io", "idProperty": "email", "properties": {"firstname": "Fresh"}}]}).json()
    assert [r["new"] for r in upsert["results"]] == [False, True]
    assert upsert["results"][0]["properties"]["firstname"] == "New"
    no_unique = seeded.api("POST", f"{BASE}/products/batch/upsert", json={"inputs": [
        {"id": "A-1", "idProperty": "name", "properties": {"price": "1"}}]})
    assert no_unique.status_code == 207
    prop = seeded.api("POST", "/crm/properties/2026-03/products", json={
        "name": "qbo_item_id", "label": "QBO item", "type": "string", "fieldType": "text",
        "groupName": "productinformation", "hasUniqueValue": True})
    assert prop.status_code == 201
    first = seeded.api("POST", f"{BASE}/products/batch/upsert?idProperty=qbo_item_id", json={"inputs": [
        {"id": "17", "properties": {"name": "Svc", "price": "10"}}]}).json()
    second = seeded.api("POST", f"{BASE}/products/batch/upsert", json={"inputs": [
        {"id": "17", "idProperty": "qbo_item_id", "properties": {"price": "12"}}]}).json()
    assert first["results"][0]["new"] is True and second["results"][0]["new"] is False
    assert first["results"][0]["id"] == second["results"][0]["id"]
    assert_no_violations(seeded.sim)


def test_batch_create_errors_carry_the_inputs_object_write_trace_id(seeded: Seeded) -> None:
    """api-facts H5 "Batch upsert" [V]: partial failures in batch create are correlated by giving each input a
    unique `objectWriteTraceId`; each `errors[]` entry names it in `context.objectWriteTraceId`.

    Before: the 207's errors had an empty context, so a client could not tell which input had failed.
    """
    answer = seeded.api("POST", f"{BASE}/products/batch/create", json={"inputs": [
        {"properties": {"name": "Good", "price": "1"}, "associations": [], "objectWriteTraceId": "good-1"},
        {"properties": {"name": "Bad", "price": "not a number"}, "associations": [], "objectWriteTraceId": "bad-2"},
        {"properties": {"name": "Worse", "nope": "x"}, "associations": [], "objectWriteTraceId": "bad-3"}]})
    assert answer.status_code == 207
    body = answer.json()
    assert [r["objectWriteTraceId"] for r in body["results"]] == ["good-1"]
    assert body["numErrors"] == 2
    assert [e["context"]["objectWriteTraceId"] for e in body["errors"]] == [["bad-2"], ["bad-3"]]
    assert all(e["category"] == "VALIDATION_ERROR" and e["status"] == "error" for e in body["errors"])
    updated = seeded.api("POST", f"{BASE}/products/batch/update", json={"inputs": [
        {"id": body["results"][0]["id"], "properties": {"price": "x"}, "objectWriteTraceId": "upd-1"}]})
    assert updated.status_code == 207
    assert updated.json()["errors"][0]["context"] == {"ids": [body["results"][0]["id"]],
                                                      "objectWriteTraceId": ["upd-1"]}
    assert_no_violations(seeded.sim)
