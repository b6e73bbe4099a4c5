"""Two-way product sync on both simulators and moto: the admin picks the items' accounts from QuickBooks' own list
(refused with 422 naming the field otherwise); a new HubSpot product becomes one QuickBooks item on those accounts,
also after a crash between create and link; a product whose SKU an item holds is linked to it instead; QuickBooks'
duplicate-name fault and missing accounts reach the engine as its errors."""

from __future__ import annotations

from typing import Any

import pytest

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.qbo.sync_records import QboSyncRecords
from hubbooks.adapters.storage.sync_store import DynamoSyncLinks
from hubbooks.config import get_settings
from hubbooks.domain.invoicing.ports import DisplayNameTakenError
from hubbooks.domain.sync.ports import QboRecordRefusedError
from hubbooks.models.sync import SyncObject
from tests.functional.invoicing.conftest import USER, World
from tests.functional.sync.test_sync_settings_api import _as
from tests.functional.sync.test_two_way_sync import _hubspot_webhook

PRODUCT = "0-7"


def _items(world: World, realm: str, where: str) -> list[dict[str, Any]]:
    return list(qbo_client(world.portal_id, realm).query_all(f"SELECT * FROM Item WHERE {where}"))


def _product(world: World, product_id: str) -> dict[str, Any]:
    return dict(world.hubspot("GET", f"/crm/v3/objects/products/{product_id}?properties=hubbooks_qbo_ref")
                ["properties"])


def _creating_items(world: World, realm: str, **accounts: str) -> tuple[int, dict[str, Any]]:
    status, body = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/products/behaviour",
                       body={"enabled": True, "direction": "both", "on_hubspot_create_update": "create_and_update",
                             **accounts})
    return status, body


def test_accounts_come_from_quickbooks_and_creation_needs_a_valid_income_account(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    status, accounts = _as(world, USER, "GET", f"/app/qbo/{realm}/item-accounts")
    assert status == 200, accounts
    assert {(a["id"], a["name"]) for a in accounts["income"]} >= {("1", "Services"), ("79", "Sales of Product Income")}
    assert {a["account_type"] for a in accounts["income"]} == {"Income"}
    assert {a["account_type"] for a in accounts["expense"]} == {"Expense", "Cost of Goods Sold"}
    status, body = _as(world, USER + 1, "GET", f"/app/qbo/{realm}/item-accounts")
    assert status == 403, body

    status, body = _creating_items(world, realm)
    assert status == 422 and body["details"]["fields"][0]["field"] == "income_account_id", body
    status, body = _creating_items(world, realm, income_account_id="60")  # an Expense account
    assert status == 422 and "not an active Income account" in body["message"], body
    status, body = _creating_items(world, realm, income_account_id="79", expense_account_id="1")
    assert status == 422 and body["details"]["fields"][0]["field"] == "expense_account_id", body
    status, body = _creating_items(world, realm, income_account_id="abc")
    assert status == 422, body
    status, body = _creating_items(world, realm, income_account_id="79", expense_account_id="80")
    assert status == 200, body
    assert body["behaviour"]["item_income_account"] == {"id": "79", "name": "Sales of Product Income"}
    assert body["behaviour"]["item_expense_account"] == {"id": "80", "name": "Cost of Goods Sold"}


def test_new_products_become_one_item_each_or_are_linked_by_sku(admin_world: World,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    status, body = _creating_items(world, realm, income_account_id="79", expense_account_id="80")
    assert status == 200, body

    gizmo = world.create("products", {"name": "Gizmo", "hs_sku": "GZ-9", "price": "12.50",
                                      "hs_cost_of_goods_sold": "4", "description": "A gizmo"})
    _hubspot_webhook(world, gizmo, "creation", type_id=PRODUCT)
    _hubspot_webhook(world, gizmo, "creation", type_id=PRODUCT)  # redelivered
    [item] = _items(world, realm, "Name = 'Gizmo'")
    assert (item["Sku"], item["Type"], item["UnitPrice"], item["PurchaseCost"]) == ("GZ-9", "NonInventory", 12.5, 4)
    assert item["IncomeAccountRef"]["value"] == "79" and item["ExpenseAccountRef"]["value"] == "80"
    assert _product(world, gizmo)["hubbooks_qbo_ref"] == f"{realm}:{item['Id']}"

    # An item the bookkeeper made holds the product's SKU: linked, not created.
    qbo = qbo_client(world.portal_id, realm)
    deluxe = qbo.create("Item", {"Name": "Widget Deluxe", "Sku": "W-1", "Type": "NonInventory",
                                 "IncomeAccountRef": {"value": "79"}})
    widget = world.create("products", {"name": "Deluxe widget", "hs_sku": "W-1"})
    _hubspot_webhook(world, widget, "creation", type_id=PRODUCT)
    assert _items(world, realm, "Name = 'Deluxe widget'") == []
    links = DynamoSyncLinks(dynamodb_table(get_settings().app_table_name))
    link = links.by_hubspot_ids(world.portal_id, realm, SyncObject.PRODUCTS, [widget])[widget]
    assert (link.qbo_id, link.matched_by) == (deluxe["Id"], "sku")

    # The function dies after QuickBooks created the item and before the link was stored: the queue's retry
    # creates nothing more.
    bolt = world.create("products", {"name": "Bolt"})
    real_save = DynamoSyncLinks.save

    def crash(self: DynamoSyncLinks, link: Any) -> None:
        raise TimeoutError("the function timed out")

    monkeypatch.setattr(DynamoSyncLinks, "save", crash)
    _hubspot_webhook(world, bolt, "creation", type_id=PRODUCT, failed=True)
    monkeypatch.setattr(DynamoSyncLinks, "save", real_save)
    _hubspot_webhook(world, bolt, "creation", type_id=PRODUCT)
    [made] = _items(world, realm, "Name LIKE 'Bolt%'")
    assert links.by_hubspot_ids(world.portal_id, realm, SyncObject.PRODUCTS, [bolt])[bolt].qbo_id == made["Id"]


def test_quickbooks_item_rules_reach_the_engine_as_its_errors(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    records = QboSyncRecords(qbo_client(world.portal_id, realm))
    with pytest.raises(DisplayNameTakenError):  # fault 6240: the seed company sells "Hours"
        records.create("Item", {"Name": "hours", "Type": "Service", "IncomeAccountRef": {"value": "1"}},
                       request_id="dup-item-1")
    with pytest.raises(QboRecordRefusedError, match="IncomeAccountRef"):
        records.create("Item", {"Name": "No account", "Type": "Service"}, request_id="no-income-1")
    with pytest.raises(QboRecordRefusedError, match="ExpenseAccountRef"):
        records.create("Item", {"Name": "Costed", "Type": "Service", "PurchaseCost": 3,
                                "IncomeAccountRef": {"value": "1"}}, request_id="no-expense-1")
    with pytest.raises(QboRecordRefusedError, match="Account Id=999"):
        records.create("Item", {"Name": "Ghost", "Type": "NonInventory", "IncomeAccountRef": {"value": "999"}},
                       request_id="ghost-1")
    made = records.create("Item", {"Name": "Spare", "Sku": "SP-1", "Type": "NonInventory",
                                   "IncomeAccountRef": {"value": "79"}}, request_id="spare-1")
    qbo_client(world.portal_id, realm).sparse_update("Item", made["Id"], made["SyncToken"], {"Active": False})
    assert records.item_names_starting("Spa") == ["Spare"]  # inactive items keep their names
    assert records.items_matching("sku", "sp-1") == []  # but are not matched
    assert [i["Name"] for i in records.items_matching("name", "WIDGET")] == ["Widget"]


def test_a_product_matching_several_items_waits_in_sync_health_until_the_admin_picks(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    status, body = _creating_items(world, realm, income_account_id="79")
    assert status == 200, body
    qbo = qbo_client(world.portal_id, realm)
    twins = [qbo.create("Item", {"Name": f"Twin {n}", "Sku": "TW", "Type": "NonInventory",
                                 "IncomeAccountRef": {"value": "79"}}) for n in (1, 2)]
    product = world.create("products", {"name": "Twin", "hs_sku": "TW"})
    _hubspot_webhook(world, product, "creation", type_id=PRODUCT)
    status, health = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-health")
    assert status == 200, health
    [waiting] = next(o for o in health["objects"] if o["object"] == "products")["decisions"]
    assert waiting["qbo_id"] == f"hs-{product}" and len(waiting["candidates"]) == 2
    status, body = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/products/decisions/hs-{product}",
                       body={"hubspot_id": "1"})
    assert status == 422, body  # not a candidate
    status, body = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/products/decisions/hs-{product}",
                       body={"hubspot_id": twins[1]["Id"]})
    assert status == 200 and "1 linked as decided" in body["outcome"], body
    assert _product(world, product)["hubbooks_qbo_ref"] == f"{realm}:{twins[1]['Id']}"
    status, health = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-health")
    assert next(o for o in health["objects"] if o["object"] == "products")["decisions"] == []
    assert len(_items(world, realm, "Sku = 'TW'")) == 2  # nothing was created



def test_none_of_these_creates_a_new_item_for_the_waiting_product(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    status, body = _creating_items(world, realm, income_account_id="79")
    assert status == 200, body
    qbo = qbo_client(world.portal_id, realm)
    for n in (1, 2):
        qbo.create("Item", {"Name": f"Twin {n}", "Sku": "TW", "Type": "NonInventory",
                            "IncomeAccountRef": {"value": "79"}})
    product = world.create("products", {"name": "Twin 1", "hs_sku": "TW"})
    _hubspot_webhook(world, product, "creation", type_id=PRODUCT)
    status, body = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/products/decisions/hs-{product}/new-record")
    assert status == 200 and "1 created in QuickBooks" in body["outcome"], body
    [made] = _items(world, realm, "Name = 'Twin 1 (2)'")  # the existing "Twin 1" keeps its name
    assert made["Sku"] == "TW" and _product(world, product)["hubbooks_qbo_ref"] == f"{realm}:{made['Id']}"
    status, body = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/products/decisions/hs-{product}/new-record")
    assert status == 404, body  # answered already
