"""Two-way product sync on fakes: a new HubSpot product becomes one QuickBooks item posting to the accounts the admin
chose, or is linked to the item already holding its SKU (then name); several such items wait for the admin; crashes
between create and link never create twice; the settings refuse creation without a valid income account."""

from __future__ import annotations

from typing import Any

import pytest

from hubbooks.domain.sync.defaults import ITEM_TYPE_PROPERTY, QBO_REFERENCE_PROPERTY
from hubbooks.domain.sync.errors import PickedRecordTakenError, SyncSettingsRejectedError
from hubbooks.domain.sync.item_accounts import checked_item_accounts
from hubbooks.models.changes import EntityChange
from hubbooks.models.sync import (
    FieldOwner,
    ItemAccount,
    OnCreateUpdate,
    RecordLink,
    SyncBehaviour,
    SyncDirection,
    SyncObject,
)
from tests.unit.sync.fakes import SANDBOX_ACCOUNTS
from tests.unit.sync.test_applier import NOW, SCOPE
from tests.unit.sync.test_two_way import TwoWayWorld, event

PRODUCTS = "0-7"
INCOME = ItemAccount(id="79", name="Sales of Product Income")
EXPENSE = ItemAccount(id="80", name="Cost of Goods Sold")


class ItemWorld(TwoWayWorld):
    def products_both_ways(self, **behaviour: Any) -> None:
        self.turn_on(SyncObject.PRODUCTS, direction=SyncDirection.BOTH,
                     on_hubspot_create_update=OnCreateUpdate.CREATE_AND_UPDATE,
                     **{"item_income_account": INCOME, "item_expense_account": EXPENSE, **behaviour})
        config = self.configs.get(1, "9130", SyncObject.PRODUCTS)
        assert config is not None
        self.configs.save(config.model_copy(update={"mappings": tuple(
            m.model_copy(update={"owner": FieldOwner.HUBSPOT}) for m in config.mappings)}))

    def product(self, **properties: str) -> str:
        return self.crm.add("products", **properties)

    def new(self, hubspot_id: str) -> str:
        return self.two_way.apply_events(1, [event(hubspot_id, "creation", type_id=PRODUCTS)])

    def link_of(self, hubspot_id: str) -> RecordLink | None:
        return self.links.by_hubspot_ids(1, "9130", SyncObject.PRODUCTS, [hubspot_id]).get(hubspot_id)

    def reasons(self) -> list[str]:
        return [f.reason for f in self.failures.list(1, "9130", SyncObject.PRODUCTS)]


@pytest.fixture
def world() -> ItemWorld:
    return ItemWorld()


def test_new_product_becomes_one_item_on_the_chosen_accounts_and_nothing_echoes(world: ItemWorld) -> None:
    world.products_both_ways()
    hubspot_id = world.product(name="Gizmo: large", hs_sku="GZ-1", price="12.50", hs_cost_of_goods_sold="4",
                               description="A large gizmo")
    assert "1 created in QuickBooks" in world.new(hubspot_id)
    [body] = world.qbo.creates
    assert body == {"Name": "Gizmo large", "Sku": "GZ-1", "UnitPrice": 12.5, "PurchaseCost": 4,
                    "Description": "A large gizmo", "Type": "NonInventory",
                    "IncomeAccountRef": {"value": "79"}, "ExpenseAccountRef": {"value": "80"}}
    link = world.link_of(hubspot_id)
    assert link is not None and link.matched_by == "created"
    assert world.crm.records["products"][hubspot_id][QBO_REFERENCE_PROPERTY] == f"9130:{link.qbo_id}"
    # QuickBooks' webhook for the new item finds what HubSpot already has: nothing goes back.
    world.calls()
    world.items.apply(SCOPE, [EntityChange(entity="Item", entity_id=link.qbo_id,
                                           current=world.qbo.records[link.qbo_id])])
    assert world.calls() == {}
    # A redelivery of the creation changes nothing.
    world.new(hubspot_id)
    assert len(world.qbo.creates) == 1


def test_mapped_type_is_used_and_inventory_is_skipped_with_the_reason(world: ItemWorld) -> None:
    world.products_both_ways()
    service = world.product(name="Setup", **{ITEM_TYPE_PROPERTY: "service"})
    world.new(service)
    assert world.qbo.creates[0]["Type"] == "Service"
    stock = world.product(name="Crate", **{ITEM_TYPE_PROPERTY: "inventory"})
    outcome = world.new(stock)
    assert "skipped (Inventory items are not created from HubSpot: QuickBooks needs quantity on hand" in outcome
    assert len(world.qbo.creates) == 1 and world.link_of(stock) is None


def test_a_product_whose_sku_an_item_holds_is_linked_instead_and_hubspot_owned_values_go_to_it(world) -> None:
    world.products_both_ways()
    world.qbo.add_item("5", Name="Old gizmo", Sku="gz-1", UnitPrice=10)
    hubspot_id = world.product(name="Gizmo", hs_sku="GZ-1", price="12")
    assert "1 linked to an existing QuickBooks item (same sku)" in world.new(hubspot_id)
    assert world.qbo.creates == []
    link = world.link_of(hubspot_id)
    assert link is not None and (link.qbo_id, link.matched_by) == ("5", "sku")
    assert world.qbo.updates == [("5", {"Name": "Gizmo", "Sku": "GZ-1", "UnitPrice": 12.0})]


def test_without_a_sku_an_item_of_the_same_name_is_linked(world: ItemWorld) -> None:
    world.products_both_ways()
    world.qbo.add_item("6", Name="Widget", UnitPrice=25)
    hubspot_id = world.product(name="widget")
    assert "linked to an existing QuickBooks item (same name)" in world.new(hubspot_id)
    assert world.qbo.creates == [] and world.link_of(hubspot_id).qbo_id == "6"  # type: ignore[union-attr]


def test_items_linked_to_other_products_or_inactive_are_not_matched_and_names_stay_unique(world) -> None:
    world.products_both_ways()
    world.qbo.add_item("6", Name="Widget", Sku="W")
    world.links.save(RecordLink(portal_id=1, realm_id="9130", object=SyncObject.PRODUCTS, qbo_id="6",
                                hubspot_id="999", matched_by="created", linked_at=NOW))
    world.qbo.add_item("7", Name="Widget (2)", Active=False)
    hubspot_id = world.product(name="Widget")
    assert "1 created in QuickBooks" in world.new(hubspot_id)
    assert world.qbo.creates[0]["Name"] == "Widget (3)"
    # A second product with the SKU a linked item holds is not created as a second item with that SKU.
    twin = world.product(name="Widget twin", hs_sku="W")
    assert "1 failed" in world.new(twin)
    assert "already has SKU W and syncs with HubSpot product 999" in world.reasons()[0]
    assert len(world.qbo.creates) == 1


def test_several_items_with_the_sku_wait_for_the_admin(world: ItemWorld) -> None:
    world.products_both_ways()
    world.qbo.add_item("5", Name="Gizmo A", Sku="GZ")
    world.qbo.add_item("6", Name="Gizmo B", Sku="GZ")
    hubspot_id = world.product(name="Gizmo", hs_sku="GZ")
    assert "1 waiting for a decision" in world.new(hubspot_id)
    [decision] = world.decisions.list(1, "9130", SyncObject.PRODUCTS)
    assert decision.qbo_id == f"hs-{hubspot_id}" and decision.matched_on == "sku GZ"
    assert [c.hubspot_id for c in decision.candidates] == ["5", "6"]
    assert "QuickBooks item Gizmo A (SKU GZ)" in decision.candidates[0].label
    assert world.qbo.creates == [] and world.link_of(hubspot_id) is None
    # The bookkeeper retires one of them: the next change links the product, and nothing waits any more.
    world.qbo.records["5"]["Active"] = False
    assert "linked to an existing QuickBooks item (same sku)" in world.new(hubspot_id)
    assert world.link_of(hubspot_id).qbo_id == "6"  # type: ignore[union-attr]
    assert world.decisions.list(1, "9130", SyncObject.PRODUCTS) == []


def test_a_crash_between_create_and_link_creates_once(world: ItemWorld) -> None:
    world.products_both_ways()
    hubspot_id = world.product(name="Gadget")  # no SKU: the retry must find it by name or by its requestid
    saved = world.links.save

    def crash(link: RecordLink) -> None:
        raise RuntimeError("the function timed out before the link was stored")

    world.links.save = crash  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        world.new(hubspot_id)
    world.links.save = saved  # type: ignore[method-assign]
    assert len(world.qbo.creates) == 1
    assert "1 linked to an existing QuickBooks item (same name)" in world.new(hubspot_id)
    assert len(world.qbo.creates) == 1 and world.link_of(hubspot_id).qbo_id == "100"  # type: ignore[union-attr]


def test_a_retried_create_under_a_variant_name_gets_quickbooks_stored_answer(world: ItemWorld) -> None:
    """Even when matching cannot see the first item (inactivated meanwhile), the requestid returns it."""
    world.products_both_ways()
    hubspot_id = world.product(name="Gadget")
    world.links.save = lambda link: (_ for _ in ()).throw(RuntimeError("crash"))  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        world.new(hubspot_id)
    del world.links.save  # back to the class's method
    world.qbo.records["100"]["Active"] = False
    assert "1 created in QuickBooks" in world.new(hubspot_id)
    assert len(world.qbo.creates) == 1 and world.link_of(hubspot_id).qbo_id == "100"  # type: ignore[union-attr]


def test_purchase_cost_without_an_expense_account_is_kept_with_the_reason(world: ItemWorld) -> None:
    world.products_both_ways(item_expense_account=None)
    hubspot_id = world.product(name="Bolt", hs_cost_of_goods_sold="0.10")
    assert "1 failed" in world.new(hubspot_id)
    assert "needs an expense account" in world.reasons()[0] and world.qbo.creates == []
    plain = world.product(name="Nut")
    world.new(plain)
    assert "ExpenseAccountRef" not in world.qbo.creates[0]


def test_refusals_and_missing_income_account_are_kept_with_their_reason(world: ItemWorld) -> None:
    world.products_both_ways(item_income_account=None)  # saved before the check existed
    hubspot_id = world.product(name="Bolt")
    world.new(hubspot_id)
    assert "no income account is chosen" in world.reasons()[0]
    world.products_both_ways()
    world.qbo.refuse = "Invalid Reference Id : Accounts element id 79 not found (QuickBooks error 2500)"
    world.new(hubspot_id)
    assert "QuickBooks refused it: Invalid Reference Id" in world.reasons()[0]
    world.qbo.refuse = None
    world.new(hubspot_id)
    assert world.reasons() == [] and len(world.qbo.creates) == 1


def test_products_from_quickbooks_are_not_created_again(world: ItemWorld) -> None:
    world.products_both_ways()
    hubspot_id = world.product(name="Bolt", **{QBO_REFERENCE_PROPERTY: "9130:4"})
    assert "already from QuickBooks" in world.new(hubspot_id)
    assert world.qbo.creates == []


def _creating(**accounts: Any) -> SyncBehaviour:
    return SyncBehaviour(enabled=True, direction=SyncDirection.BOTH, inactive_property="x",
                         on_hubspot_create_update=OnCreateUpdate.CREATE_AND_UPDATE, **accounts)


def test_settings_need_an_active_income_account_to_create_items_and_name_the_field() -> None:
    with pytest.raises(SyncSettingsRejectedError, match="choose the income account") as missing:
        checked_item_accounts(SyncObject.PRODUCTS, _creating(), SANDBOX_ACCOUNTS)
    assert missing.value.details["fields"][0]["field"] == "income_account_id"
    with pytest.raises(SyncSettingsRejectedError, match="not an active Income account") as wrong:
        checked_item_accounts(SyncObject.PRODUCTS, _creating(item_income_account=ItemAccount(id="60")),
                              SANDBOX_ACCOUNTS)
    assert wrong.value.details["fields"][0]["field"] == "income_account_id"
    with pytest.raises(SyncSettingsRejectedError, match="not an active Expense") as cogs:
        checked_item_accounts(SyncObject.PRODUCTS, _creating(item_income_account=ItemAccount(id="79"),
                                                             item_expense_account=ItemAccount(id="1")),
                              SANDBOX_ACCOUNTS)
    assert cogs.value.details["fields"][0]["field"] == "expense_account_id"
    with pytest.raises(SyncSettingsRejectedError, match="products only"):
        checked_item_accounts(SyncObject.CONTACTS, _creating(item_income_account=ItemAccount(id="79")),
                              SANDBOX_ACCOUNTS)
    named = checked_item_accounts(SyncObject.PRODUCTS, _creating(item_income_account=ItemAccount(id="79"),
                                                                 item_expense_account=ItemAccount(id="80")),
                                  SANDBOX_ACCOUNTS)
    assert (named.item_income_account, named.item_expense_account) == (INCOME, EXPENSE)
    # Updating linked products only needs no account (and no read of the accounts).
    linked_only = _creating().model_copy(update={"on_hubspot_create_update": OnCreateUpdate.UPDATE_LINKED_ONLY})
    assert checked_item_accounts(SyncObject.PRODUCTS, linked_only, None) == linked_only



def test_the_admin_answers_a_waiting_product_by_picking_an_item_or_having_one_created(world: ItemWorld) -> None:
    world.products_both_ways()
    world.qbo.add_item("5", Name="Gizmo A", Sku="GZ")
    world.qbo.add_item("6", Name="Gizmo B", Sku="GZ")
    first, second = world.product(name="Gizmo", hs_sku="GZ", price="9"), world.product(name="Gizmo A", hs_sku="GZ")
    world.new(first)
    world.new(second)
    assert len(world.decisions.list(1, "9130", SyncObject.PRODUCTS)) == 2
    with pytest.raises(PickedRecordTakenError, match="syncs with HubSpot product 999"):
        world.links.save(RecordLink(portal_id=1, realm_id="9130", object=SyncObject.PRODUCTS, qbo_id="5",
                                    hubspot_id="999", matched_by="created", linked_at=NOW))
        world.two_way.resolve(SCOPE, SyncObject.PRODUCTS, first, "5")
    assert world.two_way.resolve(SCOPE, SyncObject.PRODUCTS, first, "6") == {"linked as decided": 1,
                                                                             "updated in QuickBooks": 1}
    assert world.link_of(first).qbo_id == "6"  # type: ignore[union-attr]
    assert world.crm.records["products"][first][QBO_REFERENCE_PROPERTY] == "9130:6"
    assert world.qbo.updates == [("6", {"Name": "Gizmo", "UnitPrice": 9.0})]
    # "None of these", while QuickBooks refuses: the reason is kept and the decision still waits.
    world.qbo.refuse = "Business Validation Error (QuickBooks error 6000)"
    assert world.two_way.resolve(SCOPE, SyncObject.PRODUCTS, second, None) == {"failed": 1}
    assert [d.qbo_id for d in world.decisions.list(1, "9130", SyncObject.PRODUCTS)] == [f"hs-{second}"]
    world.qbo.refuse = None
    # Then it goes through: a new item, under a free name (item 5 holds "Gizmo A").
    assert world.two_way.resolve(SCOPE, SyncObject.PRODUCTS, second, None) == {"created in QuickBooks": 1}
    assert world.qbo.creates[0]["Name"] == "Gizmo A (2)"
    assert world.decisions.list(1, "9130", SyncObject.PRODUCTS) == []
