"""The sync stores on moto: settings saved conditionally, mapping statistics, links both ways, decisions, admins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore, RememberedConnections
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.adapters.storage.sync_store import (
    CompanySyncConfigs,
    DynamoMappingStatsStore,
    DynamoPendingDecisions,
    DynamoSyncAdmins,
    DynamoSyncConfigStore,
    DynamoSyncFailures,
    DynamoSyncLinks,
)
from hubbooks.config import get_settings
from hubbooks.domain.sync.defaults import DEFAULT_BEHAVIOUR, DEFAULT_MAPPINGS
from hubbooks.domain.sync.errors import SyncConfigChangedError
from hubbooks.models.connections import QboConnection
from hubbooks.models.hubspot_install import HubSpotInstall
from hubbooks.models.sync import (
    Candidate,
    PendingDecision,
    RecordLink,
    SyncConfig,
    SyncFailure,
    SyncObject,
    Transform,
)

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


@pytest.fixture
def table(aws):
    return dynamodb_table(get_settings().app_table_name)


def test_settings_round_trip_and_a_concurrent_save_is_refused(table) -> None:
    store = DynamoSyncConfigStore(table)
    assert store.get(1, "9130", SyncObject.PRODUCTS) is None
    mappings = (*DEFAULT_MAPPINGS[SyncObject.PRODUCTS][:2],
                DEFAULT_MAPPINGS[SyncObject.PRODUCTS][3].model_copy(update={"transform": Transform(decimals=4)}))
    first = store.save(SyncConfig(portal_id=1, realm_id="9130", object=SyncObject.PRODUCTS,
                                  behaviour=DEFAULT_BEHAVIOUR, mappings=mappings, updated_at=NOW))
    assert first.version == 1
    assert store.get(1, "9130", SyncObject.PRODUCTS) == first
    assert store.get(1, "9130", SyncObject.CONTACTS) is None and store.get(2, "9130", SyncObject.PRODUCTS) is None
    second = store.save(first.model_copy(update={"mappings": mappings[:1]}))
    assert second.version == 2
    with pytest.raises(SyncConfigChangedError):
        store.save(first)  # written from version 1, but 2 is stored
    with pytest.raises(SyncConfigChangedError):
        store.save(first.model_copy(update={"version": 0}))  # a second "first save"


def test_mapping_statistics_accumulate(table) -> None:
    stats = DynamoMappingStatsStore(table)
    stats.record_success(1, "9130", SyncObject.CONTACTS, ["email", "phone"], 100, NOW)
    stats.record_success(1, "9130", SyncObject.CONTACTS, ["email"], 5, NOW)
    stats.record_failure(1, "9130", SyncObject.CONTACTS, "phone", "HubSpot refused '12' as a phone number", NOW)
    result = stats.stats(1, "9130", SyncObject.CONTACTS)
    assert result["email"].records_synced == 105 and result["email"].last_failure_at is None
    assert result["phone"].records_synced == 100 and "refused" in (result["phone"].last_failure_reason or "")
    assert stats.stats(1, "9130", SyncObject.COMPANIES) == {}


def test_links_are_read_in_batches_and_backwards(table) -> None:
    links = DynamoSyncLinks(table)
    for n in range(130):
        links.save(RecordLink(portal_id=1, realm_id="9130", object=SyncObject.CONTACTS, qbo_id=str(n),
                              hubspot_id=f"hs{n}", matched_by="created", linked_at=NOW))
    found = links.get_many(1, "9130", SyncObject.CONTACTS, [str(n) for n in range(0, 140, 3)])
    assert sorted(found, key=int) == [str(n) for n in range(0, 130, 3)]
    assert found["3"].hubspot_id == "hs3"
    assert links.get_many(1, "9130", SyncObject.COMPANIES, ["3"]) == {}
    assert links.qbo_id_of(1, "9130", SyncObject.CONTACTS, "hs7") == "7"
    assert links.linked_hubspot_ids(1, "9130", SyncObject.CONTACTS, ["hs7", "hs999"]) == {"hs7"}


def test_decisions_wait_until_resolved(table) -> None:
    decisions = DynamoPendingDecisions(table)
    decision = PendingDecision(portal_id=1, realm_id="9130", object=SyncObject.PRODUCTS, qbo_id="9",
                               qbo_label="Widget", matched_on="sku W-1",
                               candidates=(Candidate(hubspot_id="1", label="Widget"),
                                           Candidate(hubspot_id="2", label="Widget (old)")), found_at=NOW)
    decisions.save(decision)
    assert decisions.list(1, "9130", SyncObject.PRODUCTS) == [decision]
    decisions.resolve(1, "9130", SyncObject.PRODUCTS, "9")
    assert decisions.list(1, "9130", SyncObject.PRODUCTS) == []


def test_the_installer_and_added_users_are_admins(table) -> None:
    DynamoInstallStore(table).save(HubSpotInstall(portal_id=1, company_currency="USD", installed_at=NOW,
                                                  installed_by_user_id=7))
    admins = DynamoSyncAdmins(table)
    assert admins.is_admin(1, 7) and not admins.is_admin(1, 8) and not admins.is_admin(2, 7)
    admins.add(1, 8)
    assert admins.is_admin(1, 8) and admins.added(1) == {8}


class _CountingTable:
    """The table, counting the DynamoDB calls made through it (resource and client alike)."""

    def __init__(self, table) -> None:  # type: ignore[no-untyped-def]
        self._table, self.reads = table, 0
        table.meta.client.meta.events.register("before-call.dynamodb.*", self._count)

    def _count(self, model, **kwargs) -> None:  # type: ignore[no-untyped-def]
        if model.name in ("GetItem", "Query", "BatchGetItem"):
            self.reads += 1

    def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
        return getattr(self._table, name)


def test_a_batch_reads_the_company_settings_once_and_sees_its_own_saves(table) -> None:
    writer = DynamoSyncConfigStore(table)
    for sync_object in (SyncObject.CONTACTS, SyncObject.COMPANIES):
        writer.save(SyncConfig(portal_id=1, realm_id="9130", object=sync_object, behaviour=DEFAULT_BEHAVIOUR,
                               mappings=DEFAULT_MAPPINGS[sync_object], updated_at=NOW))
    writer.save(SyncConfig(portal_id=1, realm_id="9131", object=SyncObject.CONTACTS, behaviour=DEFAULT_BEHAVIOUR,
                           mappings=DEFAULT_MAPPINGS[SyncObject.CONTACTS][:1], updated_at=NOW))
    counting = _CountingTable(table)
    batch = CompanySyncConfigs(counting)
    contacts = batch.get(1, "9130", SyncObject.CONTACTS)
    assert contacts is not None and contacts.mappings == DEFAULT_MAPPINGS[SyncObject.CONTACTS]
    assert batch.get(1, "9130", SyncObject.COMPANIES) is not None and batch.get(1, "9130", SyncObject.PRODUCTS) is None
    assert counting.reads == 1  # the company's three objects in one batch read, the other company's left out

    # Someone changes the mappings: this batch keeps what it read, the next batch (a new store) sees the change
    changed = writer.save(contacts.model_copy(update={"mappings": DEFAULT_MAPPINGS[SyncObject.CONTACTS][:2]}))
    assert batch.get(1, "9130", SyncObject.CONTACTS) == contacts
    assert CompanySyncConfigs(table).get(1, "9130", SyncObject.CONTACTS) == changed
    # A save through the batch's own store is seen at once
    mine = batch.save(changed.model_copy(update={"mappings": DEFAULT_MAPPINGS[SyncObject.CONTACTS][:3]}))
    assert batch.get(1, "9130", SyncObject.CONTACTS) == mine and counting.reads == 3  # the next batch read one


def test_a_batch_reads_a_connection_once_and_forgets_it_when_it_changes(table) -> None:
    counting = _CountingTable(table)
    store = DynamoConnectionStore(counting)
    store.save(QboConnection(portal_id=1, realm_id="9130", company_name="Co", country="US", home_currency="EUR",
                             connected_at=NOW, connected_by_user_id=7))
    counting.reads = 0  # the save's own reads (it keeps the portal's listing of connected companies) don't count
    remembered = RememberedConnections(store)
    first = remembered.get(1, "9130")
    assert first is not None and remembered.get(1, "9130") == first and counting.reads == 1
    assert remembered.get(1, "9999") is None and remembered.get(1, "9999") is None and counting.reads == 2
    assert remembered.mark_needs_reconnect(1, "9130", NOW) is True
    again = remembered.get(1, "9130")
    assert again is not None and again.status == "needs_reconnect" and counting.reads == 3


def test_failures_are_looked_up_by_record_across_batch_reads(table) -> None:
    failures = DynamoSyncFailures(table)
    for qbo_id in ("7", "150"):
        failures.record(SyncFailure(portal_id=1, realm_id="9130", object=SyncObject.CONTACTS, qbo_id=qbo_id,
                                    label=f"#{qbo_id}", reason="refused", failed_at=NOW))
    failures.record(SyncFailure(portal_id=1, realm_id="9130", object=SyncObject.PRODUCTS, qbo_id="8", label="#8",
                                reason="refused", failed_at=NOW))
    ids = [str(n) for n in range(1, 201)]  # two batch reads of 100 keys
    assert failures.failing(1, "9130", SyncObject.CONTACTS, ids) == {"7", "150"}
    assert failures.failing(1, "9130", SyncObject.PRODUCTS, ids) == {"8"}
    assert failures.failing(2, "9130", SyncObject.CONTACTS, ids) == set()
