"""The portal's one-item listing of its connected companies (what the card reads instead of querying) follows every
connection write: connect, disconnect, reconnect, a refused grant, a profile change; and a portal connected before
the listing existed gets it built once from its connections."""

from __future__ import annotations

from datetime import UTC, datetime

import boto3

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.models.connections import QboConnection
from sandbox.aws.provision import ProvisionedStack

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
PORTAL = 77


def _connection(realm_id: str, **extra: object) -> QboConnection:
    fields: dict[str, object] = {"portal_id": PORTAL, "realm_id": realm_id, "company_name": f"Company {realm_id}",
                                 "country": "US", "home_currency": "USD", "connected_at": NOW, **extra}
    return QboConnection.model_validate(fields)


def _store(aws: ProvisionedStack) -> tuple[DynamoConnectionStore, object]:
    table = boto3.resource("dynamodb").Table(aws.tables["AppTable"])
    return DynamoConnectionStore(table), table


def _listed(store: DynamoConnectionStore) -> dict[str, str]:
    return {c.realm_id: c.company_name for c in store.list_connected(PORTAL)}


def test_connect_disconnect_and_reconnect_keep_the_listing_right(aws: ProvisionedStack) -> None:
    store, table = _store(aws)
    store.save(_connection("9130"))
    store.save(_connection("4620"))
    assert _listed(store) == {"4620": "Company 4620", "9130": "Company 9130"}

    store.save(_connection("9130", status="disconnected", disconnected_at=NOW))
    assert _listed(store) == {"4620": "Company 4620"}

    store.save(_connection("9130", company_name="Renamed 9130"))  # reconnected
    assert _listed(store) == {"4620": "Company 4620", "9130": "Renamed 9130"}
    # The listing holds each company whole, as the card opens it without another read.
    assert store.list_connected(PORTAL) == [store.get(PORTAL, "4620"), store.get(PORTAL, "9130")]
    # Built by the first connect (1), then one change per write: connect, disconnect, reconnect.
    assert table.get_item(Key=table_keys.connected_companies_key(PORTAL))["Item"]["version"] == 4  # type: ignore[attr-defined]


def test_a_refused_grant_leaves_the_listing_and_a_second_flag_changes_nothing(aws: ProvisionedStack) -> None:
    store, _ = _store(aws)
    store.save(_connection("9130"))
    store.save(_connection("4620"))
    assert store.mark_needs_reconnect(PORTAL, "9130", NOW) is True
    assert _listed(store) == {"4620": "Company 4620"}
    assert store.mark_needs_reconnect(PORTAL, "9130", NOW) is False  # no longer connected: nothing written
    assert store.get(PORTAL, "9130").status == "needs_reconnect"  # type: ignore[union-attr]
    assert _listed(store) == {"4620": "Company 4620"}


def test_a_profile_change_reaches_the_listing_but_not_for_a_disconnected_company(aws: ProvisionedStack) -> None:
    store, _ = _store(aws)
    store.save(_connection("9130"))
    store.save(_connection("4620", status="disconnected", disconnected_at=NOW))
    assert store.update_profile(PORTAL, "9130", {"company_name": "New name", "custom_txn_numbers": True}) is True
    [listed] = store.list_connected(PORTAL)
    assert (listed.company_name, listed.custom_txn_numbers) == ("New name", True)
    assert listed == store.get(PORTAL, "9130")
    assert store.update_profile(PORTAL, "4620", {"company_name": "Ghost"}) is False
    assert store.get(PORTAL, "4620").company_name == "Company 4620"  # type: ignore[union-attr]
    assert _listed(store) == {"9130": "New name"}


def _connections_without_listing(table: object) -> None:
    """A portal as connected before the listing existed: its connection items alone."""
    for realm_id, status in (("9130", "connected"), ("4620", "connected"), ("5555", "disconnected")):
        connection = _connection(realm_id, status=status)
        table.put_item(Item={**table_keys.connection_key(PORTAL, realm_id), "type": "qbo_connection",  # type: ignore[attr-defined]
                             **connection.model_dump(mode="json")})


def test_a_portal_without_the_listing_gets_it_built_once_when_read(aws: ProvisionedStack) -> None:
    store, table = _store(aws)
    _connections_without_listing(table)
    key = table_keys.connected_companies_key(PORTAL)
    assert "Item" not in table.get_item(Key=key)  # type: ignore[attr-defined]

    assert _listed(store) == {"4620": "Company 4620", "9130": "Company 9130"}
    item = table.get_item(Key=key)["Item"]  # type: ignore[attr-defined]
    assert sorted(item["companies"]) == ["4620", "9130"] and item["version"] == 1
    assert _listed(store) == {"4620": "Company 4620", "9130": "Company 9130"}
    assert table.get_item(Key=key)["Item"]["version"] == 1  # type: ignore[attr-defined]  # read, not rebuilt


def test_a_write_to_a_portal_without_the_listing_builds_it_with_every_company(aws: ProvisionedStack) -> None:
    store, table = _store(aws)
    _connections_without_listing(table)
    store.save(_connection("7777"))  # the first connect since the listing exists must not list only itself
    assert sorted(_listed(store)) == ["4620", "7777", "9130"]

    store, table = _store(aws)
    table.delete_item(Key=table_keys.connected_companies_key(PORTAL))  # type: ignore[attr-defined]
    assert store.mark_needs_reconnect(PORTAL, "4620", NOW) is True
    assert sorted(_listed(store)) == ["7777", "9130"]
    table.delete_item(Key=table_keys.connected_companies_key(PORTAL))  # type: ignore[attr-defined]
    assert store.update_profile(PORTAL, "9130", {"company_name": "Built after"}) is True
    assert _listed(store) == {"7777": "Company 7777", "9130": "Built after"}


def test_a_rebuild_never_overwrites_a_change_made_meanwhile(aws: ProvisionedStack) -> None:
    store, table = _store(aws)
    store.save(_connection("9130"))
    stale_version = table.get_item(Key=table_keys.connected_companies_key(PORTAL))["Item"]["version"]  # type: ignore[attr-defined]
    store.save(_connection("4620"))  # moves the version on, as a concurrent connect would
    original_put = table.put_item  # type: ignore[attr-defined]
    seen: list[object] = []

    class Racing:
        """The rebuild's first conditional put carries the version it read before the concurrent connect."""

        def __getattr__(self, name: str) -> object:
            return getattr(table, name)

        def put_item(self, **kwargs: object) -> object:
            values = kwargs.get("ExpressionAttributeValues")
            if not seen and isinstance(values, dict):
                seen.append(values[":seen"])
                values[":seen"] = stale_version
            return original_put(**kwargs)

    racing_store = DynamoConnectionStore(Racing())
    assert sorted(c.realm_id for c in racing_store._rebuild(PORTAL)) == ["4620", "9130"]
    assert seen, "the rebuild read the listing and conditioned its write on that version"
    assert sorted(_listed(store)) == ["4620", "9130"]
