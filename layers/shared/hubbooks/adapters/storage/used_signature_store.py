"""DynamoDB record of accepted signed requests: a conditional put succeeds once per signature until it expires."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys


class DynamoUsedSignatures:
    def __init__(self, table: Any) -> None:
        self._table = table

    def record_first_use(self, signature_digest: str, *, remember_until: int, now: int) -> bool:
        try:
            # DynamoDB deletes expired items lazily (up to days later), so an expired record counts as absent.
            self._table.put_item(Item={**table_keys.used_signature_key(signature_digest), "type": "used_signature",
                                       "ttl": remember_until},
                                 ConditionExpression="attribute_not_exists(pk) OR #ttl < :now",
                                 ExpressionAttributeNames={"#ttl": "ttl"}, ExpressionAttributeValues={":now": now})
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True
