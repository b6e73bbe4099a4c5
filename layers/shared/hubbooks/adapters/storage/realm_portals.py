"""Which portals hold a live connection to a QuickBooks company: one gsi2 query (keys from table_keys)."""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key

from hubbooks.adapters.storage import table_keys


class DynamoRealmPortals:
    def __init__(self, table: Any) -> None:
        self._table = table

    def portals_connected_to(self, realm_id: str) -> list[int]:
        query: dict[str, Any] = {"IndexName": "gsi2", "KeyConditionExpression": Key("gsi2pk").eq(
            table_keys.connections_of_realm_pk(realm_id))}
        portals: list[int] = []
        while True:
            page = self._table.query(**query)
            portals += [int(item["portal_id"]) for item in page.get("Items", []) if item.get("status") == "connected"]
            if "LastEvaluatedKey" not in page:
                return sorted(set(portals))
            query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
