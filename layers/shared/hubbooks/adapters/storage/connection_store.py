"""DynamoDB storage of QuickBooks connections (not their tokens)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, Protocol

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import query_all
from hubbooks.models.connections import ConnectionRef, QboConnection


class ConnectionStore(Protocol):
    def save(self, connection: QboConnection) -> None: ...
    def get(self, portal_id: int, realm_id: str) -> QboConnection | None: ...
    def list_for_portal(self, portal_id: int) -> list[QboConnection]: ...
    def iter_connected(self) -> Iterator[ConnectionRef]: ...
    def mark_needs_reconnect(self, portal_id: int, realm_id: str, at: datetime) -> bool: ...


class DynamoConnectionStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def save(self, connection: QboConnection) -> None:
        item: dict[str, Any] = {
            **table_keys.connection_key(connection.portal_id, connection.realm_id),
            "type": "qbo_connection",
            **connection.model_dump(mode="json"),
        }
        if connection.status == "connected":
            item.update(table_keys.connection_index_keys(connection.portal_id, connection.realm_id))
        self._table.put_item(Item=item)

    def get(self, portal_id: int, realm_id: str) -> QboConnection | None:
        item = self._table.get_item(Key=table_keys.connection_key(portal_id, realm_id), ConsistentRead=True).get("Item")
        return QboConnection.model_validate(item) if item else None

    def list_for_portal(self, portal_id: int) -> list[QboConnection]:
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                           & Key("sk").begins_with(table_keys.connection_sk_prefix()), ConsistentRead=True)
        return [QboConnection.model_validate(item) for item in items]

    def mark_needs_reconnect(self, portal_id: int, realm_id: str, at: datetime) -> bool:
        """Flag a connected company whose grant Intuit refused; False if it was not connected (e.g. the user
        disconnected it meanwhile, which must not be undone). Leaving the schedule index stops its jobs."""
        try:
            self._table.update_item(
                Key=table_keys.connection_key(portal_id, realm_id),
                UpdateExpression="SET #status = :needs, needs_reconnect_since = :at REMOVE gsi1pk, gsi1sk",
                ConditionExpression="#status = :connected",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues={":needs": "needs_reconnect", ":connected": "connected",
                                           ":at": at.isoformat()},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def update_profile(self, portal_id: int, realm_id: str, changes: dict[str, Any]) -> bool:
        """Write what QuickBooks now says about a connected company; False if it is no longer connected."""
        if not changes:
            return True
        names = {f"#f{n}": name for n, name in enumerate(changes)}
        values: dict[str, Any] = {f":v{n}": value for n, value in enumerate(changes.values())}
        try:
            self._table.update_item(
                Key=table_keys.connection_key(portal_id, realm_id),
                UpdateExpression="SET " + ", ".join(f"#f{n} = :v{n}" for n in range(len(changes))),
                ConditionExpression="#status = :connected",
                ExpressionAttributeNames={**names, "#status": "status"},
                ExpressionAttributeValues={**values, ":connected": "connected"},
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def iter_connected(self) -> Iterator[ConnectionRef]:
        for item in query_all(self._table, IndexName="gsi1",
                               KeyConditionExpression=Key("gsi1pk").eq(table_keys.ALL_CONNECTIONS)):
            yield ConnectionRef(portal_id=int(item["portal_id"]), realm_id=str(item["realm_id"]))


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

    def iter_connected(self) -> Iterator[ConnectionRef]:
        return self._store.iter_connected()

    def mark_needs_reconnect(self, portal_id: int, realm_id: str, at: datetime) -> bool:
        self._seen.pop((portal_id, realm_id), None)
        return self._store.mark_needs_reconnect(portal_id, realm_id, at)
