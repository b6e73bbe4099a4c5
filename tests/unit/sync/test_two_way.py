"""Two-way sync on fakes: HubSpot changes reach QuickBooks by field owner, our own writes never bounce back either
way, stale SyncTokens are retried once, refused values are kept with their reason, creates happen once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hubbooks.domain.invoicing.ports import DisplayNameTakenError
from hubbooks.domain.sync.defaults import QBO_REFERENCE_PROPERTY
from hubbooks.domain.sync.errors import MappingRejectedError, SyncSettingsRejectedError
from hubbooks.domain.sync.mapping_rules import check_mapping
from hubbooks.domain.sync.ports import QboRecordRefusedError, QboStaleRecordError
from hubbooks.domain.sync.settings import check_two_way
from hubbooks.domain.sync.two_way import TwoWayPorts, TwoWaySync, collect
from hubbooks.models.changes import EntityChange
from hubbooks.models.sync import (
    FieldMapping,
    FieldOwner,
    OnCreateUpdate,
    OnHubSpotDelete,
    RecordLink,
    SyncBehaviour,
    SyncDirection,
    SyncObject,
)
from hubbooks.models.webhooks import HubSpotEvent
from tests.unit.sync.test_applier import NOW, SCOPE, World

APP_ID = "4242"
ITEM = "_item"  # marks the fake company's items among its records
T0 = datetime(2026, 11, 30, 8, tzinfo=UTC)


@dataclass
class FakeQbo:
    """One company's customers with SyncTokens, DisplayName uniqueness and requestid replays, like QuickBooks."""

    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    updates: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    creates: list[dict[str, Any]] = field(default_factory=list)
    replays: dict[str, dict[str, Any]] = field(default_factory=dict)
    taken_names: set[str] = field(default_factory=set)  # vendors and employees we cannot list
    stale_next: int = 0
    refuse: str | None = None
    clock: datetime = T0

    def add(self, qbo_id: str, **values: Any) -> dict[str, Any]:
        self.records[qbo_id] = {"Id": qbo_id, "SyncToken": "0", "Active": True,
                                "MetaData": {"LastUpdatedTime": T0.isoformat()}, **values}
        return self.records[qbo_id]

    def _tick(self) -> str:
        self.clock += timedelta(seconds=1)
        return self.clock.isoformat()

    def read_many(self, entity: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        return {i: dict(self.records[i]) for i in ids if i in self.records}

    def update(self, entity: str, entity_id: str, sync_token: str, changes: dict[str, Any],
               request_id: str) -> dict[str, Any]:
        record = self.records[entity_id]
        if self.stale_next:
            self.stale_next -= 1
            record["SyncToken"] = str(int(record["SyncToken"]) + 1)  # someone else saved meanwhile
            raise QboStaleRecordError("stale")
        if sync_token != record["SyncToken"]:
            raise QboStaleRecordError("stale")
        if self.refuse:
            raise QboRecordRefusedError(self.refuse)
        record.update(changes)
        record["SyncToken"] = str(int(record["SyncToken"]) + 1)
        record["MetaData"] = {"LastUpdatedTime": self._tick()}
        self.updates.append((entity_id, changes))
        return dict(record)

    def add_item(self, qbo_id: str, **values: Any) -> dict[str, Any]:
        return self.add(qbo_id, Type="NonInventory", **values, **{ITEM: True})

    def create(self, entity: str, body: dict[str, Any], request_id: str) -> dict[str, Any]:
        if request_id in self.replays:
            return self.replays[request_id]
        name_field = "Name" if entity == "Item" else "DisplayName"
        name = body[name_field].casefold()
        same_kind = [r for r in self.records.values() if r.get(ITEM, False) == (entity == "Item")]
        if name in self.taken_names or any(r.get(name_field, "").casefold() == name for r in same_kind):
            raise DisplayNameTakenError(body[name_field])
        if self.refuse:
            raise QboRecordRefusedError(self.refuse)
        created = self.add(str(100 + len(self.records)), **body, **({ITEM: True} if entity == "Item" else {}))
        self.creates.append(body)
        self.replays[request_id] = dict(created)
        return dict(created)

    def items_matching(self, key: str, value: str) -> list[dict[str, Any]]:
        column = {"sku": "Sku", "name": "Name"}[key]
        return [dict(r) for r in self.records.values() if r.get(ITEM) and r.get("Active") is not False
                and str(r.get(column, "")).casefold() == value.casefold()]

    def item_names_starting(self, prefix: str) -> list[str]:
        return [r["Name"] for r in self.records.values()
                if r.get(ITEM) and r["Name"].casefold().startswith(prefix.casefold())]

    def display_names_starting(self, prefix: str) -> list[str]:
        return [r["DisplayName"] for r in self.records.values()
                if r.get("DisplayName", "").casefold().startswith(prefix.casefold())]


class TwoWayWorld(World):
    def __init__(self) -> None:
        super().__init__()
        self.qbo = FakeQbo()
        self.two_way = TwoWaySync(TwoWayPorts(
            configs=self.configs, links=self.links, failures=self.failures, decisions=self.decisions,
            crm=lambda portal_id: self.crm,
            qbo=lambda scope: self.qbo, realms=lambda portal_id: ["9130"], currency=lambda scope: "USD",
            clock=lambda: NOW, app_id=APP_ID))

    def both_ways(self, owners: dict[str, FieldOwner] | None = None, **behaviour: object) -> None:
        self.turn_on(SyncObject.CONTACTS, direction=SyncDirection.BOTH, **behaviour)
        config = self.configs.get(1, "9130", SyncObject.CONTACTS)
        assert config is not None
        owners = owners if owners is not None else {"email": FieldOwner.HUBSPOT, "phone": FieldOwner.LATEST}
        self.configs.save(config.model_copy(update={"mappings": tuple(
            m.model_copy(update={"owner": owners.get(m.id, m.owner)}) for m in config.mappings)}))

    def linked_contact(self, qbo_id: str = "1", **hubspot: str) -> str:
        """A customer synced to HubSpot by the one-way sync, as it is today."""
        self.qbo.add(qbo_id, DisplayName="Amy Lee", GivenName="Amy", FamilyName="Lee",
                     PrimaryEmailAddr={"Address": "amy@x.test"}, PrimaryPhone={"FreeFormNumber": "555-0100"})
        self.customers.apply(SCOPE, [EntityChange(entity="Customer", entity_id=qbo_id,
                                                  current=self.qbo.records[qbo_id])])
        hubspot_id = self.links.get_many(1, "9130", SyncObject.CONTACTS, [qbo_id])[qbo_id].hubspot_id
        self.crm.records["contacts"][hubspot_id].update(hubspot)
        self.calls()
        return hubspot_id

    def qbo_webhook(self, qbo_id: str = "1") -> None:
        """QuickBooks tells us its record changed: the one-way applier reads it as it is now."""
        self.customers.apply(SCOPE, [EntityChange(entity="Customer", entity_id=qbo_id,
                                                  current=self.qbo.records[qbo_id])])


def event(hubspot_id: str, kind: str = "propertyChange", *, at: datetime = T0 + timedelta(minutes=5),
          source: str = "CRM_UI", source_id: str | None = "userId:7", type_id: str = "0-1",
          **extra: Any) -> HubSpotEvent:
    return HubSpotEvent(event_id=f"{hubspot_id}-{kind}-{at.timestamp()}", portal_id=1,
                        subscription_type=f"object.{kind}", object_type_id=type_id, object_id=int(hubspot_id),
                        occurred_at=at, change_source=source, source_id=source_id, **extra)


@pytest.fixture
def world() -> TwoWayWorld:
    return TwoWayWorld()


def test_one_way_sync_ignores_hubspot_changes(world: TwoWayWorld) -> None:
    world.turn_on(SyncObject.CONTACTS)
    hubspot_id = world.linked_contact(email="amy@new.test")
    assert world.two_way.apply_events(1, [event(hubspot_id)]) == "no two-way change"
    assert world.qbo.updates == [] and world.calls() == {}


def test_hubspot_edit_updates_quickbooks_and_the_quickbooks_webhook_writes_nothing_back(world) -> None:
    world.both_ways()
    hubspot_id = world.linked_contact(email="Amy@New.test", firstname="Amelia")
    outcome = world.two_way.apply_events(1, [event(hubspot_id)])
    assert "1 updated in QuickBooks" in outcome
    # Only the HubSpot-owned field went; first name is QuickBooks' (and the phone is unchanged), sparse with SyncToken.
    assert world.qbo.updates == [("1", {"PrimaryEmailAddr": {"Address": "Amy@New.test"}})]
    assert world.qbo.records["1"]["SyncToken"] == "1"
    assert world.calls() == {"read": 1}
    # QuickBooks' webhook for our own update: nothing goes back to HubSpot.
    world.qbo_webhook()
    assert world.calls() == {}
    # The same HubSpot state again (a repeated delivery) writes nothing to QuickBooks either.
    world.two_way.apply_events(1, [event(hubspot_id)])
    assert len(world.qbo.updates) == 1


def test_quickbooks_edit_reaches_hubspot_and_the_hubspot_webhook_writes_nothing_back(world) -> None:
    world.both_ways()
    hubspot_id = world.linked_contact()
    world.qbo.records["1"].update(FamilyName="Lee-Smith", PrimaryEmailAddr={"Address": "amy@smith.test"})
    world.qbo_webhook()
    assert world.calls() == {"update": 1}
    assert world.crm.records["contacts"][hubspot_id]["lastname"] == "Lee-Smith"
    # HubSpot's webhook for our write, tagged as our app's: dropped before anything is read.
    ours = event(hubspot_id, source="INTEGRATION", source_id=APP_ID, property_name="lastname")
    assert world.two_way.apply_events(1, [ours]) == "1 of our own writes ignored"
    assert world.calls() == {} and world.qbo.updates == []
    # Even untagged (say another path), the values equal QuickBooks', so nothing is written.
    assert "1 unchanged" in world.two_way.apply_events(1, [event(hubspot_id, source="API", source_id=None)])
    assert world.qbo.updates == []


def test_most_recent_change_wins(world: TwoWayWorld) -> None:
    world.both_ways(owners={"phone": FieldOwner.LATEST})
    hubspot_id = world.linked_contact(phone="555-0199")
    world.qbo.records["1"]["MetaData"] = {"LastUpdatedTime": (T0 + timedelta(hours=1)).isoformat()}
    assert "1 unchanged" in world.two_way.apply_events(1, [event(hubspot_id, at=T0 + timedelta(minutes=30))])
    assert world.qbo.updates == []
    world.two_way.apply_events(1, [event(hubspot_id, at=T0 + timedelta(hours=2))])
    assert world.qbo.updates == [("1", {"PrimaryPhone": {"FreeFormNumber": "555-0199"}})]
    # QuickBooks changes the phone again later: the newer QuickBooks value goes to HubSpot.
    world.qbo.records["1"].update(PrimaryPhone={"FreeFormNumber": "555-0300"},
                                  MetaData={"LastUpdatedTime": (T0 + timedelta(hours=3)).isoformat()})
    world.qbo_webhook()
    assert world.crm.records["contacts"][hubspot_id]["phone"] == "555-0300"


def test_stale_sync_token_is_read_again_and_retried_once(world: TwoWayWorld) -> None:
    world.both_ways()
    hubspot_id = world.linked_contact(email="amy@new.test")
    world.qbo.stale_next = 1
    assert "1 updated in QuickBooks" in world.two_way.apply_events(1, [event(hubspot_id)])
    assert world.qbo.records["1"]["SyncToken"] == "2"
    world.crm.records["contacts"][hubspot_id]["email"] = "amy@third.test"
    world.qbo.stale_next = 2
    assert "1 failed" in world.two_way.apply_events(1, [event(hubspot_id)])
    assert "kept changing" in world.failures.list(1, "9130", SyncObject.CONTACTS)[0].reason


def test_values_quickbooks_would_refuse_are_kept_with_the_reason_and_retried(world: TwoWayWorld) -> None:
    world.both_ways()
    hubspot_id = world.linked_contact(email="not-an-address")
    assert "1 failed" in world.two_way.apply_events(1, [event(hubspot_id)])
    failure = world.failures.list(1, "9130", SyncObject.CONTACTS)[0]
    assert failure.qbo_id == f"hs-{hubspot_id}" and "not an e-mail address" in failure.reason
    world.qbo.refuse = "Invalid Email Address format (QuickBooks error 2050)"
    world.crm.records["contacts"][hubspot_id]["email"] = "amy@ok.test"
    world.two_way.apply_events(1, [event(hubspot_id)])
    assert "QuickBooks refused it: Invalid Email" in world.failures.list(1, "9130", SyncObject.CONTACTS)[0].reason
    world.qbo.refuse = None
    world.two_way.apply_events(1, [event(hubspot_id)])
    assert world.failures.list(1, "9130", SyncObject.CONTACTS) == []


def test_too_long_names_are_refused_before_quickbooks_sees_them(world: TwoWayWorld) -> None:
    world.both_ways(owners={"first-name": FieldOwner.HUBSPOT})
    hubspot_id = world.linked_contact(firstname="A" * 101)
    world.two_way.apply_events(1, [event(hubspot_id)])
    assert "at most 100 characters" in world.failures.list(1, "9130", SyncObject.CONTACTS)[0].reason
    assert world.qbo.updates == []


def test_new_hubspot_contact_creates_one_customer_under_a_free_display_name(world: TwoWayWorld) -> None:
    world.both_ways(on_hubspot_create_update=OnCreateUpdate.CREATE_AND_UPDATE)
    world.qbo.add("7", DisplayName="Bo Chen")
    world.qbo.taken_names.add("bo chen (2)")  # a vendor holds it: QuickBooks says so only at create time
    hubspot_id = world.crm.add("contacts", firstname="Bo", lastname="Chen", email="bo@x.test")
    assert "1 created in QuickBooks" in world.two_way.apply_events(1, [event(hubspot_id, "creation")])
    created = world.qbo.creates[0]
    assert created["DisplayName"] == "Bo Chen (3)" and created["PrimaryEmailAddr"] == {"Address": "bo@x.test"}
    link = world.links.by_hubspot_ids(1, "9130", SyncObject.CONTACTS, [hubspot_id])[hubspot_id]
    assert world.crm.records["contacts"][hubspot_id][QBO_REFERENCE_PROPERTY] == f"9130:{link.qbo_id}"
    # The creation repeated (a redelivery, or a retry after a crash): still one customer.
    world.two_way.apply_events(1, [event(hubspot_id, "creation")])
    assert len(world.qbo.creates) == 1
    # QuickBooks' webhook for the new customer writes nothing back.
    world.calls()
    world.qbo_webhook(link.qbo_id)
    assert world.calls() == {}


def test_records_that_came_from_quickbooks_are_never_created_again(world: TwoWayWorld) -> None:
    world.both_ways(on_hubspot_create_update=OnCreateUpdate.CREATE_AND_UPDATE)
    hubspot_id = world.crm.add("contacts", firstname="Cy", email="cy@x.test", **{QBO_REFERENCE_PROPERTY: "9130:55"})
    assert "already from QuickBooks" in world.two_way.apply_events(1, [event(hubspot_id, "creation")])
    assert world.qbo.creates == []


def test_deletion_deactivates_only_when_chosen(world: TwoWayWorld) -> None:
    world.both_ways()
    hubspot_id = world.linked_contact()
    assert "1 deletions left alone" in world.two_way.apply_events(1, [event(hubspot_id, "deletion")])
    assert world.qbo.records["1"]["Active"] is True
    world.both_ways(on_hubspot_delete=OnHubSpotDelete.DEACTIVATE)
    assert "1 made inactive" in world.two_way.apply_events(1, [event(hubspot_id, "deletion")])
    assert world.qbo.updates == [("1", {"Active": False})] and "1" in world.qbo.records  # inactive, never deleted
    assert world.links.get_many(1, "9130", SyncObject.CONTACTS, ["1"]) == {}


def test_collect_drops_our_echoes_and_lets_a_later_deletion_win() -> None:
    events = [event("5", at=T0), event("5", "deletion", at=T0 + timedelta(seconds=1)),
              event("6", source="INTEGRATION", source_id=APP_ID), event("7", source="INTEGRATION", source_id="999"),
              HubSpotEvent(event_id="d", portal_id=1, subscription_type="deal.propertyChange", object_id=1)]
    collected = collect(events, APP_ID)
    contacts = collected.by_object[SyncObject.CONTACTS]
    assert contacts.changed.keys() == {"7"} and contacts.deleted.keys() == {"5"}
    assert collected.echoes == 1 and collected.unrelated == 1
    undated = HubSpotEvent(event_id="u", portal_id=1, subscription_type="contact.propertyChange", object_id=8)
    assert collect([undated], APP_ID).by_object[SyncObject.CONTACTS].changed.keys() == {"8"}


def test_settings_refuse_two_way_setups_that_cannot_work() -> None:
    with pytest.raises(SyncSettingsRejectedError, match="needs sync turned on"):
        check_two_way(SyncObject.CONTACTS, SyncBehaviour(enabled=False, direction=SyncDirection.BOTH,
                                                         inactive_property="x"))
    from tests.unit.sync.fakes import standard_portal
    portal = standard_portal()["contacts"]
    balance = FieldMapping(id="b", hubspot_property="website", qbo_field="Balance", owner=FieldOwner.HUBSPOT)
    with pytest.raises(MappingRejectedError) as refused:
        check_mapping(SyncObject.CONTACTS, balance, {**portal, "website": portal["website"]})
    assert refused.value.problems[0].code == "owner_not_possible"
    email = FieldMapping(id="e", hubspot_property="email", qbo_field="PrimaryEmailAddr.Address",
                         owner=FieldOwner.HUBSPOT)
    check_mapping(SyncObject.CONTACTS, email, portal)


def test_links_remember_the_hubspot_change_time() -> None:
    link = RecordLink(portal_id=1, realm_id="9130", object=SyncObject.CONTACTS, qbo_id="1", hubspot_id="2",
                      matched_by="created", linked_at=NOW, hubspot_changed_at=T0)
    assert RecordLink.model_validate(link.model_dump(mode="json")).hubspot_changed_at == T0
