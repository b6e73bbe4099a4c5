"""DynamoDB storage of one-time OAuth states: consuming one deletes it atomically, so it works exactly once."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys
from hubbooks.models.oauth_state import OAuthState


class DynamoOAuthStateStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def put(self, state: OAuthState) -> None:
        self._table.put_item(Item={**table_keys.oauth_state_key(state.nonce), "type": "oauth_state",
                                   "ttl": int(state.expires_at.timestamp()), **state.model_dump(mode="json")},
                             ConditionExpression="attribute_not_exists(pk)")

    def take(self, nonce: str) -> OAuthState | None:
        try:
            result = self._table.delete_item(Key=table_keys.oauth_state_key(nonce), ReturnValues="ALL_OLD",
                                             ConditionExpression="attribute_exists(pk)")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return None
            raise
        item = result.get("Attributes")
        return OAuthState.model_validate(item) if item else None
