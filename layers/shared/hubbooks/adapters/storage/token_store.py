"""Encrypted, versioned OAuth grants in DynamoDB.

Every write after the first is conditional on the version the writer read, and a short lease lets exactly one
invocation refresh a grant while the others wait for its result (QuickBooks rotates refresh tokens, so two
concurrent refreshes would leave one of them holding a dead token).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from botocore.exceptions import ClientError

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.aws.kms_token_cipher import KmsTokenCipher
from hubbooks.adapters.storage import table_keys
from hubbooks.config import get_settings
from hubbooks.models.tokens import GrantKey, StoredGrant, TokenSet


class TokenCipher(Protocol):
    def encrypt(self, plaintext: str, context: dict[str, str]) -> bytes: ...
    def decrypt(self, ciphertext: bytes, context: dict[str, str]) -> str: ...


def _epoch(value: datetime | None) -> int | None:
    return int(value.timestamp()) if value else None


def _from_epoch(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value is not None else None


def _is_condition_failure(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DynamoTokenStore:
    def __init__(self, table: Any, cipher: TokenCipher, clock: Callable[[], float] = time.time) -> None:
        self._table = table
        self._cipher = cipher
        self._clock = clock

    def _key(self, key: GrantKey) -> dict[str, str]:
        return table_keys.grant_key(key.provider.value, key.portal_id, key.realm_id)

    def _token_attributes(self, key: GrantKey, tokens: TokenSet) -> dict[str, Any]:
        return {
            "at_ct": self._cipher.encrypt(tokens.access_token, key.encryption_context("access_token")),
            "rt_ct": self._cipher.encrypt(tokens.refresh_token, key.encryption_context("refresh_token")),
            "at_expires_at": _epoch(tokens.access_expires_at),
            "rt_expires_at": _epoch(tokens.refresh_expires_at),
            "rt_hard_expires_at": _epoch(tokens.refresh_hard_expires_at),
            "scopes": list(tokens.scopes),
        }

    def load(self, key: GrantKey) -> StoredGrant | None:
        item = self._table.get_item(Key=self._key(key), ConsistentRead=True).get("Item")
        if not item:
            return None
        tokens = TokenSet(
            access_token=self._cipher.decrypt(bytes(item["at_ct"]), key.encryption_context("access_token")),
            refresh_token=self._cipher.decrypt(bytes(item["rt_ct"]), key.encryption_context("refresh_token")),
            access_expires_at=_from_epoch(item["at_expires_at"]),
            refresh_expires_at=_from_epoch(item.get("rt_expires_at")),
            refresh_hard_expires_at=_from_epoch(item.get("rt_hard_expires_at")),
            scopes=list(item.get("scopes") or []),
        )
        return StoredGrant(key=key, tokens=tokens, version=int(item["ver"]),
                           updated_at=_from_epoch(item.get("updated_at")))

    def put(self, key: GrantKey, tokens: TokenSet) -> StoredGrant:
        """Store a fresh grant from a new authorization, replacing any earlier one."""
        result = self._table.update_item(
            Key=self._key(key),
            UpdateExpression="SET #type = :type, at_ct = :at, rt_ct = :rt, at_expires_at = :ate, rt_expires_at = :rte,"
                             " rt_hard_expires_at = :rthe, scopes = :scopes, updated_at = :now,"
                             " ver = if_not_exists(ver, :zero) + :one REMOVE lease_holder, lease_until",
            ExpressionAttributeNames={"#type": "type"},
            ExpressionAttributeValues=self._values(key, tokens) | {":type": "oauth_grant", ":zero": 0, ":one": 1},
            ReturnValues="ALL_NEW",
        )
        return StoredGrant(key=key, tokens=tokens, version=int(result["Attributes"]["ver"]),
                           updated_at=_from_epoch(result["Attributes"]["updated_at"]))

    def replace(self, grant: StoredGrant, tokens: TokenSet) -> StoredGrant | None:
        """Save refreshed tokens if nobody else wrote since `grant` was read; None when another writer won."""
        try:
            self._table.update_item(
                Key=self._key(grant.key),
                UpdateExpression="SET at_ct = :at, rt_ct = :rt, at_expires_at = :ate, rt_expires_at = :rte,"
                                 " rt_hard_expires_at = :rthe, scopes = :scopes, updated_at = :now, ver = :next"
                                 " REMOVE lease_holder, lease_until",
                ConditionExpression="ver = :seen",
                ExpressionAttributeValues=self._values(grant.key, tokens) | {":seen": grant.version,
                                                                             ":next": grant.version + 1},
            )
        except ClientError as error:
            if _is_condition_failure(error):
                return None
            raise
        return StoredGrant(key=grant.key, tokens=tokens, version=grant.version + 1,
                           updated_at=datetime.fromtimestamp(int(self._clock()), tz=UTC))

    def try_lease(self, grant: StoredGrant, holder: str, until_epoch: float, now_epoch: float) -> bool:
        try:
            self._table.update_item(
                Key=self._key(grant.key),
                UpdateExpression="SET lease_holder = :holder, lease_until = :until",
                ConditionExpression="ver = :seen AND (attribute_not_exists(lease_until) OR lease_until < :now)",
                ExpressionAttributeValues={":holder": holder, ":until": int(until_epoch * 1000),
                                           ":seen": grant.version, ":now": int(now_epoch * 1000)},
            )
        except ClientError as error:
            if _is_condition_failure(error):
                return False
            raise
        return True

    def release_lease(self, key: GrantKey, holder: str) -> None:
        try:
            self._table.update_item(Key=self._key(key), UpdateExpression="REMOVE lease_holder, lease_until",
                                    ConditionExpression="lease_holder = :holder",
                                    ExpressionAttributeValues={":holder": holder})
        except ClientError as error:
            if not _is_condition_failure(error):
                raise

    def delete(self, key: GrantKey) -> None:
        self._table.delete_item(Key=self._key(key))

    def _values(self, key: GrantKey, tokens: TokenSet) -> dict[str, Any]:
        attributes = self._token_attributes(key, tokens)
        return {":at": attributes["at_ct"], ":rt": attributes["rt_ct"], ":ate": attributes["at_expires_at"],
                ":rte": attributes["rt_expires_at"], ":rthe": attributes["rt_hard_expires_at"],
                ":scopes": attributes["scopes"], ":now": int(self._clock())}


def dynamo_token_store() -> DynamoTokenStore:
    """The stack's token store: the app table, tokens encrypted under the stack's KMS key."""
    settings = get_settings()
    return DynamoTokenStore(dynamodb_table(settings.app_table_name),
                            KmsTokenCipher(aws_client("kms"), settings.token_key_id))
