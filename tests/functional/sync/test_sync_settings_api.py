"""The sync settings API through the invoice function, on both simulators: reads for everyone, changes for
admins, mappings refused with a 422 that names the problem."""

from __future__ import annotations

from typing import Any

import invoice_handler

from tests.functional.invoicing.conftest import USER, World
from tests.support import LambdaContext, json_body, signed_event

SALESPERSON = 8


def _as(world: World, user_id: int, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    response = invoice_handler.lambda_handler(
        signed_event(method, path, portal_id=world.portal_id, user_id=user_id, body=body), LambdaContext())
    return response["statusCode"], json_body(response)


def test_defaults_until_sync_is_turned_on_then_every_mapping_can_work(admin_world: World) -> None:
    realm = admin_world.realms["us"]
    status, company = _as(admin_world, USER, "GET", f"/app/qbo/{realm}/sync")
    assert status == 200, company
    objects = {o["object"]: o for o in company["objects"]}
    assert set(objects) == {"contacts", "companies", "products"}
    contacts = objects["contacts"]
    assert contacts["version"] == 0 and not contacts["behaviour"]["enabled"] and contacts["can_edit"]
    invalid = {m["mapping"]["id"]: m["problems"][0]["code"] for m in contacts["mappings"] if not m["valid"]}
    assert invalid == {"display-name": "property_missing", "notes": "property_missing"}

    status, saved = _as(admin_world, USER, "PUT", f"/app/qbo/{realm}/sync/contacts/behaviour", body={
        "enabled": True, "on_create_update": "create_and_update", "on_delete": "mark_inactive",
        "inactive_property": "hubbooks_qbo_active", "expected_version": 0})
    assert status == 200, saved
    assert saved["version"] == 1 and saved["behaviour"]["enabled"]
    assert all(m["valid"] for m in saved["mappings"]), saved["mappings"]

    status, stale = _as(admin_world, USER, "PUT", f"/app/qbo/{realm}/sync/contacts/behaviour", body={
        "enabled": False, "expected_version": 0})
    assert status == 409 and stale["error"] == "sync_settings_changed"


def test_only_admins_change_settings_but_everyone_reads_them(admin_world: World) -> None:
    realm = admin_world.realms["us"]
    status, body = _as(admin_world, SALESPERSON, "PUT", f"/app/qbo/{realm}/sync/products/behaviour",
                       body={"enabled": True})
    assert status == 403 and body["error"] == "admin_only"
    status, body = _as(admin_world, SALESPERSON, "POST", f"/app/qbo/{realm}/sync/products/mappings",
                       body={"hubspot_property": "description", "qbo_field": "PurchaseDesc"})
    assert status == 403
    status, body = _as(admin_world, SALESPERSON, "GET", f"/app/qbo/{realm}/sync/products")
    assert status == 200 and body["can_edit"] is False and body["qbo_entity"] == "Item"


def test_mappings_are_checked_added_changed_and_deleted(admin_world: World) -> None:
    realm = admin_world.realms["us"]
    base = f"/app/qbo/{realm}/sync/companies/mappings"
    status, refused = _as(admin_world, USER, "POST", base, body={"hubspot_property": "num_associated_contacts",
                                                           "qbo_field": "Balance"})
    assert status == 422 and refused["error"] == "mapping_rejected"
    assert refused["details"]["problems"][0]["code"] == "property_calculated"
    status, refused = _as(admin_world, USER, "POST", base, body={"hubspot_property": "annualrevenue",
                                                           "qbo_field": "CompanyName"})
    assert status == 422 and refused["details"]["problems"][0]["code"] == "types_incompatible"
    status, refused = _as(admin_world, USER, "POST", base, body={"hubspot_property": "no_such_property",
                                                           "qbo_field": "Balance"})
    assert status == 422 and "no_such_property" in refused["message"]

    status, added = _as(admin_world, USER, "POST", base, body={"hubspot_property": "annualrevenue",
                                                         "qbo_field": "Balance", "transform": {"decimals": 0}})
    assert status == 200, added
    assert added["mapping"]["id"] == "annualrevenue" and added["valid"]
    status, changed = _as(admin_world, USER, "PUT", f"{base}/annualrevenue", body={
        "hubspot_property": "annualrevenue", "qbo_field": "BalanceWithJobs"})
    assert status == 200 and changed["mapping"]["qbo_field"] == "BalanceWithJobs"
    status, remaining = _as(admin_world, USER, "DELETE", f"{base}/annualrevenue")
    assert status == 200 and "annualrevenue" not in [m["mapping"]["id"] for m in remaining]
    status, missing = _as(admin_world, USER, "DELETE", f"{base}/annualrevenue")
    assert status == 404 and missing["error"] == "mapping_not_found"
    status, bad = _as(admin_world, USER, "POST", base, body={"hubspot_property": "x", "qbo_field": "Balance",
                                                       "transform": {"case": "shouting"}})
    assert status == 422 and bad["error"] == "invalid_request"


def test_catalogue_offers_both_sides_with_what_cannot_be_written(admin_world: World) -> None:
    status, catalogue = _as(admin_world, USER, "GET", f"/app/qbo/{admin_world.realms['gb']}/sync/contacts/catalogue")
    assert status == 200, catalogue
    hubspot = {p["name"]: p for p in catalogue["hubspot"]}
    assert hubspot["email"]["writable"] and not hubspot["hs_object_id"]["writable"]
    assert hubspot["hs_object_id"]["reason_not_writable"] == "read-only in HubSpot"
    qbo = {f["path"]: f for f in catalogue["qbo"]}
    assert qbo["BillAddr.PostalCode"]["kind"] == "text" and qbo["Balance"]["calculated"]


def test_unknown_companies_and_objects_are_refused(admin_world: World) -> None:
    status, body = _as(admin_world, USER, "GET", "/app/qbo/999999/sync")
    assert status == 404 and body["error"] == "company_not_connected"
    status, body = _as(admin_world, USER, "GET", f"/app/qbo/{admin_world.realms['us']}/sync/invoices")
    assert status == 422
