"""Single-record CRUD at both path families, typed validation and type-specific rules."""

from __future__ import annotations

import pytest

from tests.sandbox.hubspot.conftest import Seeded, assert_no_violations

PREFIXES = ["/crm/v3/objects", "/crm/objects/2026-03"]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_crud_cycle(seeded: Seeded, prefix: str) -> None:
    deal = seeded.create("deals", {"dealname": "Big", "amount": "1200.50", "dealstage": "closedwon",
                                   "closedate": "2026-01-15", "deal_currency_code": "EUR"}, prefix)
    assert deal["properties"]["closedate"] == "2026-01-15T00:00:00.000Z"
    got = seeded.api("GET", f"{prefix}/deals/{deal['id']}", params={"properties": "dealname,amount"}).json()
    assert got["properties"]["amount"] == "1200.50" and "dealstage" not in got["properties"]
    updated = seeded.api("PATCH", f"{prefix}/deals/{deal['id']}", json={"properties": {"amount": "99"}})
    assert updated.status_code == 200 and updated.json()["properties"]["amount"] == "99"
    history = seeded.api("GET", f"{prefix}/deals/{deal['id']}", params={"propertiesWithHistory": "amount"}).json()
    assert [h["value"] for h in history["propertiesWithHistory"]["amount"]] == ["99", "1200.50"]
    assert seeded.api("DELETE", f"{prefix}/deals/{deal['id']}").status_code == 204
    assert seeded.api("GET", f"{prefix}/deals/{deal['id']}").status_code == 404
    archived = seeded.api("GET", f"{prefix}/deals/{deal['id']}", params={"archived": "true"}).json()
    assert archived["archived"] is True
    assert_no_violations(seeded.sim)


def test_type_ids_and_list_paging(seeded: Seeded) -> None:
    for i in range(3):
        seeded.create("contacts", {"email": f"p{i}@x.io"})
    page = seeded.api("GET", "/crm/v3/objects/0-1", params={"limit": 2}).json()
    assert len(page["results"]) == 2 and "after" in page["paging"]["next"]
    rest = seeded.api("GET", "/crm/v3/objects/contacts", params={"limit": 2,
                                                                 "after": page["paging"]["next"]["after"]}).json()
    assert len(rest["results"]) == 1 and "paging" not in rest
    assert_no_violations(seeded.sim)


def test_validation_errors(seeded: Seeded) -> None:
    bad = seeded.api("POST", "/crm/v3/objects/deals",
                     json={"properties": {"nope": "1", "amount": "ten", "dealstage": "??"}, "associations": []})
    assert bad.status_code == 400
    body = bad.json()
    assert body["category"] == "VALIDATION_ERROR"
    assert {e["code"] for e in body["errors"]} == {"PROPERTY_DOESNT_EXIST", "INVALID_DECIMAL", "INVALID_OPTION"}
    currency = seeded.api("POST", "/crm/v3/objects/deals",
                          json={"properties": {"deal_currency_code": "BRL"}, "associations": []}).json()
    assert "is not a part of the current effective currency codes" in currency["message"]
    line = seeded.api("POST", "/crm/v3/objects/line_items",
                      json={"properties": {"hs_line_item_currency_code": "CAD"}, "associations": []}).json()
    assert line["message"] == "Provided line item currency CAD is not supported by portal"
    read_only = seeded.api("POST", "/crm/v3/objects/contacts",
                           json={"properties": {"hs_object_id": "5"}, "associations": []})
    assert read_only.status_code == 400
    assert_no_violations(seeded.sim)


def test_unique_email_conflict(seeded: Seeded) -> None:
    seeded.create("contacts", {"email": "dup@x.io"})
    again = seeded.api("POST", "/crm/v3/objects/contacts",
                       json={"properties": {"email": "DUP@x.io"}, "associations": []})
    assert again.status_code == 409 and "Existing ID" in again.json()["message"]


def test_create_with_associations_and_read_them(seeded: Seeded) -> None:
    contact = seeded.create("contacts", {"email": "a@x.io"})
    product = seeded.create("products", {"name": "Widget", "price": "10"})
    deal = seeded.create("deals", {"dealname": "D"}, associations=[
        {"to": {"id": contact["id"]}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}]}])
    item = seeded.create("line_items", {"name": "W", "hs_product_id": product["id"], "quantity": "3", "price": "2.5"},
                         associations=[{"to": {"id": deal["id"]}, "types": [
                             {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 20}]}])
    assert item["properties"]["amount"] == "7.5"
    read = seeded.api("GET", f"/crm/v3/objects/deals/{deal['id']}",
                      params={"associations": "contacts,line_items"}).json()
    assert read["associations"]["contacts"]["results"] == [{"id": contact["id"], "type": "deal_to_contact"}]
    assert read["associations"]["line items"]["results"][0]["id"] == item["id"]
    bad = seeded.api("POST", "/crm/v3/objects/deals", json={"properties": {}, "associations": [
        {"to": {"id": "999999"}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 3}]}]})
    assert bad.status_code == 400
    assert_no_violations(seeded.sim)


def test_quote_rules(seeded: Seeded) -> None:
    missing = seeded.api("POST", "/crm/v3/objects/quotes", json={"properties": {"hs_title": "Q"}, "associations": []})
    assert missing.status_code == 400
    deal = seeded.create("deals", {"dealname": "D", "deal_currency_code": "EUR"})
    quote = seeded.create("quotes", {"hs_title": "Q", "hs_expiration_date": "2026-12-31"}, associations=[
        {"to": {"id": deal["id"]}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 64}]}])
    assert quote["properties"]["hs_currency"] == "EUR"
    published = seeded.api("PATCH", f"/crm/v3/objects/quotes/{quote['id']}",
                           json={"properties": {"hs_status": "APPROVAL_NOT_NEEDED"}}).json()
    assert published["properties"]["hs_locked"] == "true" and published["properties"]["hs_quote_link"]
    locked = seeded.api("PATCH", f"/crm/v3/objects/quotes/{quote['id']}", json={"properties": {"hs_title": "X"}})
    assert locked.status_code == 400
    assert_no_violations(seeded.sim)


def test_invoice_rules(seeded: Seeded) -> None:
    invoice = seeded.create("invoices", {"hs_currency": "USD", "hs_invoice_date": "2026-03-01"})
    assert invoice["properties"]["hs_invoice_status"] == "draft"
    assert invoice["properties"]["hs_due_date"] == "2026-03-31T00:00:00.000Z"
    opened = seeded.api("PATCH", f"/crm/v3/objects/invoices/{invoice['id']}",
                        json={"properties": {"hs_invoice_status": "open"}})
    assert opened.status_code == 400
    note = seeded.api("POST", "/crm/v3/objects/notes", json={"properties": {"hs_note_body": "x"}, "associations": []})
    assert note.status_code == 400  # hs_timestamp is required
    assert seeded.create("notes", {"hs_note_body": "<p>hi</p>", "hs_timestamp": "2026-03-01T10:00:00Z"})["id"]
