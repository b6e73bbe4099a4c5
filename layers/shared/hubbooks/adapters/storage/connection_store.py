"""DynamoDB storage of QuickBooks connections (not their tokens).

Beside the connection items, each portal has one item listing its connected companies
(table_keys.connected_companies_key): the card, and whatever else needs "the portal's companies", reads that one item
instead of querying. Every connection write changes it in the same transaction, so the two never disagree. A portal
connected before the listing existed gets it built from its connections the first time it is read or written
(`_rebuild`), guarded by the listing's version so a rebuild never overwrites a concurrent change.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import query_all
from hubbooks.models.connections import ConnectionRef, QboConnection

if TYPE_CHECKING:
    from hubbooks.domain.connect.ports import ConnectionStore

_REBUILD_ATTEMPTS = 5


class DynamoConnectionStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def save(self, connection: QboConnection) -> None:
        item: dict[str, Any] = {
            **table_keys.connection_key(connection.portal_id, connection.realm_id),
            "type": "qbo_connection",
            **connection.model_dump(mode="json"),
        }
        connected = connection.status == "connected"
        if connected:
            item.update(table_keys.connection_index_keys(connection.portal_id, connection.realm_id))
        listing = (_listing_set(connection) if connected
                   else _listing_remove(connection.portal_id, connection.realm_id))
        self._write(connection.portal_id, {"Put": {"TableName": self._table.name, "Item": item}}, listing)

    def get(self, portal_id: int, realm_id: str) -> QboConnection | None:
        item = self._table.get_item(Key=table_keys.connection_key(portal_id, realm_id), ConsistentRead=True).get("Item")
        return QboConnection.model_validate(item) if item else None

    def list_for_portal(self, portal_id: int) -> list[QboConnection]:
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                           & Key("sk").begins_with(table_keys.connection_sk_prefix()), ConsistentRead=True)
        return [QboConnection.model_validate(item) for item in items]

    def list_connected(self, portal_id: int) -> list[QboConnection]:
        """The portal's connected companies, by realm id, from its one listing item (built first if missing)."""
        item = self._table.get_item(Key=table_keys.connected_companies_key(portal_id), ConsistentRead=True).get("Item")
        if item is None:
            return self._rebuild(portal_id)
        return sorted((QboConnection.model_validate(entry) for entry in (item.get("companies") or {}).values()),
                      key=lambda c: c.realm_id)

    def mark_needs_reconnect(self, portal_id: int, realm_id: str, at: datetime) -> bool:
        """Flag a connected company whose grant Intuit refused; False if it was not connected (e.g. the user
        disconnected it meanwhile, which must not be undone). Leaving the schedule index stops its jobs."""
        update = {"Key": table_keys.connection_key(portal_id, realm_id),
                  "UpdateExpression": "SET #status = :needs, needs_reconnect_since = :at REMOVE gsi1pk, gsi1sk",
                  "ConditionExpression": "#status = :connected",
                  "ExpressionAttributeNames": {"#status": "status"},
                  "ExpressionAttributeValues": {":needs": "needs_reconnect", ":connected": "connected",
                                                ":at": at.isoformat()}}
        return self._write(portal_id, {"Update": {"TableName": self._table.name, **update}},
                           _listing_remove(portal_id, realm_id))

    def update_profile(self, portal_id: int, realm_id: str, changes: dict[str, Any]) -> bool:
        """Write what QuickBooks now says about a connected company; False if it is no longer connected."""
        if not changes:
            return True
        names = {f"#f{n}": name for n, name in enumerate(changes)}
        values: dict[str, Any] = {f":v{n}": value for n, value in enumerate(changes.values())}
        update = {"Key": table_keys.connection_key(portal_id, realm_id),
                  "UpdateExpression": "SET " + ", ".join(f"#f{n} = :v{n}" for n in range(len(changes))),
                  "ConditionExpression": "#status = :connected",
                  "ExpressionAttributeNames": {**names, "#status": "status"},
                  "ExpressionAttributeValues": {**values, ":connected": "connected"}}
        listing = {"Key": table_keys.connected_companies_key(portal_id),
                   "UpdateExpression": "SET " + ", ".join(f"companies.#realm.#f{n} = :v{n}"
                                                          for n in range(len(changes))) + " ADD version :one",
                   "ConditionExpression": "attribute_exists(companies.#realm)",
                   "ExpressionAttributeNames": {**names, "#realm": realm_id},
                   "ExpressionAttributeValues": {**values, ":one": 1}}
        return self._write(portal_id, {"Update": {"TableName": self._table.name, **update}}, listing)

    def iter_connected(self) -> Iterator[ConnectionRef]:
        for item in query_all(self._table, IndexName="gsi1",
                               KeyConditionExpression=Key("gsi1pk").eq(table_keys.ALL_CONNECTIONS)):
            yield ConnectionRef(portal_id=int(item["portal_id"]), realm_id=str(item["realm_id"]))

    def _write(self, portal_id: int, connection_write: dict[str, Any], listing_update: dict[str, Any]) -> bool:
        """The connection write and the listing's change in one transaction; False if the connection's own
        condition failed (then nothing is written). A listing that is missing, or lacks the company whose profile
        changes, is rebuilt from the connections once the connection is written."""
        client = self._table.meta.client  # a resource's client converts between Python and DynamoDB types itself
        listing = {"Update": {"TableName": self._table.name, **listing_update}}
        try:
            client.transact_write_items(TransactItems=[connection_write, listing])
            return True
        except ClientError as error:
            failed = _failed_conditions(error)
            if failed is None:
                raise
            if 0 in failed:
                return False
        try:  # no listing yet (a portal connected before it existed): write, then build it
            client.transact_write_items(TransactItems=[connection_write])
        except ClientError as error:
            if _failed_conditions(error) is None:
                raise
            return False
        self._rebuild(portal_id)
        return True

    def _rebuild(self, portal_id: int) -> list[QboConnection]:
        """Write the listing from the connection items, unless it changed meanwhile (then read them again)."""
        key = table_keys.connected_companies_key(portal_id)
        for _ in range(_REBUILD_ATTEMPTS):
            current = self._table.get_item(Key=key, ConsistentRead=True).get("Item")
            connected = sorted((c for c in self.list_for_portal(portal_id) if c.status == "connected"),
                               key=lambda c: c.realm_id)
            version = int(current.get("version", 0)) if current else 0
            condition: dict[str, Any] = (
                {"ConditionExpression": "version = :seen", "ExpressionAttributeValues": {":seen": version}}
                if current else {"ConditionExpression": "attribute_not_exists(pk)"})
            try:
                self._table.put_item(Item={**key, "type": "qbo_connected_companies", "version": version + 1,
                                           "companies": {c.realm_id: c.model_dump(mode="json") for c in connected}},
                                     **condition)
                return connected
            except ClientError as error:
                if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                    raise
        raise RuntimeError(f"the connected companies of portal {portal_id} kept changing while being listed")


def _listing_set(connection: QboConnection) -> dict[str, Any]:
    return {"Key": table_keys.connected_companies_key(connection.portal_id),
            "UpdateExpression": "SET companies.#realm = :connection ADD version :one",
            "ConditionExpression": "attribute_exists(companies)",
            "ExpressionAttributeNames": {"#realm": connection.realm_id},
            "ExpressionAttributeValues": {":connection": connection.model_dump(mode="json"), ":one": 1}}


def _listing_remove(portal_id: int, realm_id: str) -> dict[str, Any]:
    return {"Key": table_keys.connected_companies_key(portal_id),
            "UpdateExpression": "REMOVE companies.#realm ADD version :one",
            "ConditionExpression": "attribute_exists(companies)",
            "ExpressionAttributeNames": {"#realm": realm_id}, "ExpressionAttributeValues": {":one": 1}}


def _failed_conditions(error: ClientError) -> set[int] | None:
    """Which items of a cancelled transaction failed their condition; None for any other error (a conflict with
    another transaction, a throttle: the caller's retries handle those)."""
    if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
        return None
    reasons = error.response.get("CancellationReasons") or []
    codes = [reason.get("Code") or "None" for reason in reasons]
    failed = {n for n, code in enumerate(codes) if code == "ConditionalCheckFailed"}
    if not failed or any(code not in ("None", "ConditionalCheckFailed") for code in codes):
        return None
    return failed


class RememberedConnections:
    """A connection store that reads each company's connection once: built per batch of changes (or per run), so
    the engine and the appliers share one read. Writes go through and drop what was remembered."""

    def __init__(self, store: ConnectionStore) -> None:
        self._store = store
        self._seen: dict[tuple[int, str], QboConnection | None] = {}

    def get(self, portal_id: int, realm_id: str) -> QboConnection | None:
        key = (portal_id, realm_id)
        if key not in self._seen:
            self._seen[key] = self._store.get(portal_id, realm_id)
        return self._seen[key]

    def save(self, connection: QboConnection) -> None:
        self._seen.pop((connection.portal_id, connection.realm_id), None)
        self._store.save(connection)

    def list_for_portal(self, portal_id: int) -> list[QboConnection]:
        return self._store.list_for_portal(portal_id)

    def list_connected(self, portal_id: int) -> list[QboConnection]:
        return self._store.list_connected(portal_id)

    def iter_connected(self) -> Iterator[ConnectionRef]:
        return self._store.iter_connected()

    def mark_needs_reconnect(self, portal_id: int, realm_id: str, at: datetime) -> bool:
        self._seen.pop((portal_id, realm_id), None)
        return self._store.mark_needs_reconnect(portal_id, realm_id, at)
