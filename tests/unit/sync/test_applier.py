"""The Customer and Item appliers on fakes: batch writes, matching, behaviours, failures kept with reasons, and
idempotence (the same QuickBooks state applied twice writes nothing the second time)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hubbooks.domain.sync.applier import SyncApplier, SyncPorts, sync_appliers
from hubbooks.domain.sync.defaults import ACTIVE_PROPERTY, DEFAULT_BEHAVIOUR, DEFAULT_MAPPINGS, HUBBOOKS_PROPERTIES
from hubbooks.models.changes import CompanyScope, EntityChange
from hubbooks.models.sync import OnCreateUpdate, OnDelete, SyncBehaviour, SyncConfig, SyncObject
from tests.unit.sync.fakes import (
    FakeConfigStore,
    FakeCrm,
    FakeDecisions,
    FakeFailures,
    FakeLinks,
    FakeQboFields,
    FakeStatsRecorder,
)

SCOPE = CompanyScope(portal_id=1, realm_id="9130")
NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


class World:
    def __init__(self) -> None:
        self.crm = FakeCrm()
        for sync_object in SyncObject:
            self.crm.portal.ensure(sync_object.hubspot_type, "g", "G", HUBBOOKS_PROPERTIES[sync_object])
        self.configs, self.links, self.decisions = FakeConfigStore(), FakeLinks(), FakeDecisions()
        self.failures, self.stats = FakeFailures(), FakeStatsRecorder()
        self.ports = SyncPorts(configs=self.configs, links=self.links, decisions=self.decisions,
                               failures=self.failures, stats=self.stats, crm=lambda portal_id: self.crm,
                               qbo_fields=lambda scope: FakeQboFields(), currency=lambda scope: "USD",
                               clock=lambda: NOW)
        self.customers, self.items = sync_appliers(self.ports)

    def turn_on(self, sync_object: SyncObject, **behaviour: object) -> None:
        current = self.configs.get(1, "9130", sync_object)
        config = current or SyncConfig(portal_id=1, realm_id="9130", object=sync_object, behaviour=DEFAULT_BEHAVIOUR,
                                       mappings=DEFAULT_MAPPINGS[sync_object])
        self.configs.save(config.model_copy(update={"behaviour": SyncBehaviour(
            **{**DEFAULT_BEHAVIOUR.model_dump(), "enabled": True, **behaviour})}))

    def calls(self) -> dict[str, int]:
        calls = dict(self.crm.calls)
        calls.pop("fields", None)
        self.crm.calls.clear()
        return calls


def customer(qbo_id: str, name: str, email: str | None = None, **extra: object) -> EntityChange:
    body: dict[str, object] = {"Id": qbo_id, "DisplayName": name, "GivenName": name.split()[0], "Active": True,
                               "PrimaryEmailAddr": {"Address": email} if email else None, **extra}
    return EntityChange(entity="Customer", entity_id=qbo_id, current={k: v for k, v in body.items() if v is not None})


def item(qbo_id: str, name: str, sku: str | None = None, price: float = 10.0, **extra: object) -> EntityChange:
    body = {"Id": qbo_id, "Name": name, "Sku": sku, "UnitPrice": price, "Type": "Service", "Active": True, **extra}
    return EntityChange(entity="Item", entity_id=qbo_id, current={k: v for k, v in body.items() if v is not None})


@pytest.fixture
def world() -> World:
    return World()


def test_sync_off_writes_nothing(world: World) -> None:
    result = world.customers.apply(SCOPE, [customer("1", "Amy Lee", "amy@x.test")])
    assert result.outcome == "sync is off" and world.calls() == {}


def test_new_customers_become_contacts_in_batches_of_100_and_the_same_state_twice_writes_nothing(world) -> None:
    world.turn_on(SyncObject.CONTACTS)
    changes = [customer(str(n), f"Person {n}", f"p{n}@x.test", Notes=" likes  tea ") for n in range(250)]
    result = world.customers.apply(SCOPE, changes)
    assert result.received == 250 and "250 created" in result.outcome
    assert world.calls() == {"search": 1, "upsert": 3}
    contact = world.crm.records["contacts"][world.links.items[(1, "9130", SyncObject.CONTACTS, "7")].hubspot_id]
    assert contact["email"] == "p7@x.test" and contact["hubbooks_qbo_notes"] == "likes tea"
    assert contact["hubbooks_qbo_ref"] == "9130:7" and contact[ACTIVE_PROPERTY] == "true"
    again = world.customers.apply(SCOPE, changes)
    assert world.calls() == {} and "250 unchanged" in again.outcome


def test_an_existing_contact_with_the_email_is_updated_and_linked_not_duplicated(world: World) -> None:
    world.turn_on(SyncObject.CONTACTS)
    existing = world.crm.add("contacts", email="amy@x.test", firstname="A.")
    world.customers.apply(SCOPE, [customer("1", "Amy Lee", "Amy@X.test")])
    assert len(world.crm.records["contacts"]) == 1
    assert world.crm.records["contacts"][existing]["firstname"] == "Amy"
    assert world.links.items[(1, "9130", SyncObject.CONTACTS, "1")].matched_by == "email"


def test_a_contact_the_search_missed_is_matched_when_hubspot_refuses_the_duplicate(world: World) -> None:
    world.turn_on(SyncObject.CONTACTS)
    existing = world.crm.add("contacts", email="amy@x.test", firstname="A.")
    searches = {"lagging": 1}
    find = world.crm.find

    def lagging_find(object_type: str, prop: str, values: list[str]) -> list[object]:
        if searches["lagging"]:  # HubSpot's search index has not seen the new contact yet
            searches["lagging"] -= 1
            return []
        return find(object_type, prop, values)  # type: ignore[return-value]

    world.crm.find = lagging_find  # type: ignore[method-assign,assignment]
    applied = world.customers.apply(SCOPE, [customer("1", "Amy Lee", "amy@x.test"), customer("2", "Bo", "bo@x.test")])
    assert applied.outcome.startswith("contacts: 1 created, 1 updated")
    assert len(world.crm.records["contacts"]) == 2 and world.crm.records["contacts"][existing]["firstname"] == "Amy"
    assert world.links.items[(1, "9130", SyncObject.CONTACTS, "1")].hubspot_id == existing
    assert world.failures.list(1, "9130", SyncObject.CONTACTS) == []


def test_two_customers_sharing_an_email_never_feed_one_contact(world: World) -> None:
    world.turn_on(SyncObject.CONTACTS)
    world.customers.apply(SCOPE, [customer("1", "Amy Lee", "amy@x.test")])
    world.customers.apply(SCOPE, [customer("2", "Amy Two", "amy@x.test")])
    assert len(world.crm.records["contacts"]) == 1
    assert (1, "9130", SyncObject.CONTACTS, "2") not in world.links.items
    [failure] = world.failures.list(1, "9130", SyncObject.CONTACTS)
    assert failure.qbo_id == "2" and "already exists" in failure.reason


def test_products_match_by_sku_then_name_and_ambiguity_waits_for_the_admin(world: World) -> None:
    world.turn_on(SyncObject.PRODUCTS)
    by_sku = world.crm.add("products", name="Old name", hs_sku="W-1")
    by_name = world.crm.add("products", name="Gadget")
    world.crm.add("products", name="Gizmo")
    world.crm.add("products", name="gizmo")
    result = world.items.apply(SCOPE, [item("1", "Widget", "W-1"), item("2", "Gadget"), item("3", "Gizmo"),
                                       item("4", "Brand new", "N-1", price=12.345)])
    assert "1 created" in result.outcome and "2 updated" in result.outcome and "1 needs decision" in result.outcome
    links = {q: link for (_p, _r, _o, q), link in world.links.items.items()}
    assert (links["1"].hubspot_id, links["1"].matched_by) == (by_sku, "sku")
    assert (links["2"].hubspot_id, links["2"].matched_by) == (by_name, "name")
    assert "3" not in links and len(world.decisions.items[("9130", SyncObject.PRODUCTS, "3")].candidates) == 2
    created = world.crm.records["products"][links["4"].hubspot_id]
    assert created["price"] == "12.35" and created["hubbooks_qbo_item_type"] == "service"


def test_changes_update_by_id_and_deletes_follow_the_behaviour(world: World) -> None:
    world.turn_on(SyncObject.CONTACTS)
    world.customers.apply(SCOPE, [customer("1", "Amy Lee", "amy@x.test"), customer("2", "Bo Chan", "bo@x.test")])
    world.calls()
    world.customers.apply(SCOPE, [customer("1", "Amy Lee-Smith", "amy@x.test")])
    assert world.calls() == {"update": 1}
    hid = world.links.items[(1, "9130", SyncObject.CONTACTS, "1")].hubspot_id
    assert world.crm.records["contacts"][hid]["hubbooks_qbo_display_name"] == "Amy Lee-Smith"
    world.customers.apply(SCOPE, [EntityChange(entity="Customer", entity_id="1", current=None)])
    assert world.crm.records["contacts"][hid][ACTIVE_PROPERTY] == "false"
    world.customers.apply(SCOPE, [EntityChange(entity="Customer", entity_id="1", current=None)])
    assert world.calls() == {"update": 1}  # marked once; the duplicate delete changes nothing

    world.turn_on(SyncObject.CONTACTS, on_delete=OnDelete.ARCHIVE, inactive_property=None)
    bo = world.links.items[(1, "9130", SyncObject.CONTACTS, "2")].hubspot_id
    world.customers.apply(SCOPE, [customer("2", "Bo Chan", "bo@x.test", Active=False)])
    assert bo in world.crm.archived and (1, "9130", SyncObject.CONTACTS, "2") not in world.links.items


def test_a_refused_value_is_kept_with_its_reason_and_the_others_go_on(world: World) -> None:
    world.turn_on(SyncObject.CONTACTS)
    world.crm.refuse_values.add("not-a-phone")
    result = world.customers.apply(SCOPE, [customer("1", "Amy Lee", "amy@x.test"),
                                           customer("2", "Bo Chan", "bo@x.test",
                                                    PrimaryPhone={"FreeFormNumber": "not-a-phone"})])
    assert "1 created" in result.outcome and "1 failed" in result.outcome
    failure = world.failures.items[("9130", SyncObject.CONTACTS, "2")]
    assert failure.label == "Bo Chan" and "HubSpot refused it" in failure.reason
    world.customers.apply(SCOPE, [customer("2", "Bo Chan", "bo@x.test",
                                           PrimaryPhone={"FreeFormNumber": "555 0100"})])
    assert world.failures.items == {} and len(world.crm.records["contacts"]) == 2


def test_a_mapping_whose_property_was_deleted_is_left_out_and_reported(world: World) -> None:
    world.turn_on(SyncObject.CONTACTS)
    del world.crm.portal.by_type["contacts"]["mobilephone"]
    world.customers.apply(SCOPE, [customer("1", "Amy Lee", "amy@x.test", Mobile={"FreeFormNumber": "07700"})])
    assert "mobilephone" in world.stats.failures["mobile"]
    assert world.stats.successes["email"] == 1 and "mobile" not in world.stats.successes


def test_companies_need_a_company_name_and_update_linked_only_creates_nothing(world: World) -> None:
    world.turn_on(SyncObject.COMPANIES)
    result = world.customers.apply(SCOPE, [customer("1", "Amy Lee"), customer("2", "Acme", CompanyName="Acme Ltd",
                                                                                WebAddr={"URI": "acme.test"})])
    assert "companies: 1 created, 1 skipped" in result.outcome
    world.turn_on(SyncObject.COMPANIES, on_create_update=OnCreateUpdate.UPDATE_LINKED_ONLY)
    result = world.customers.apply(SCOPE, [customer("3", "Bo", CompanyName="Bo Ltd")])
    assert "1 skipped" in result.outcome and len(world.crm.records["companies"]) == 1


def test_a_full_read_handles_linked_records_quickbooks_no_longer_has(world: World) -> None:
    world.turn_on(SyncObject.PRODUCTS, on_delete=OnDelete.ARCHIVE, inactive_property=None)
    world.items.apply(SCOPE, [item("1", "Widget", "W-1"), item("2", "Gadget", "G-1")])
    result = world.items.after_full_read(SCOPE, frozenset({"1"}))
    assert result.received == 1 and len(world.crm.records["products"]) == 1


def test_the_engine_sees_one_applier_per_entity(world: World) -> None:
    assert [a.entity for a in sync_appliers(world.ports)] == ["Customer", "Item"]
    assert isinstance(world.customers, SyncApplier)
