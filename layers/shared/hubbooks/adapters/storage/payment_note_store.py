"""DynamoDB record of the HubSpot note each QuickBooks payment put on the deal timeline, with a claim so two workers
handling the same payment at once (its Create and an Update, say) never create two notes."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import query_all
from hubbooks.models.payments import PaymentNote

# Longer than the worker's 30 s timeout: a claim this old belongs to an invocation that died before recording the
# note, and may be taken over.
CLAIM_LEASE = timedelta(minutes=2)
_FIELDS = frozenset(PaymentNote.model_fields)


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if isinstance(v, Decimal) else v) for k, v in item.items() if k in _FIELDS}


class DynamoPaymentNotes:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, portal_id: int, realm_id: str, payment_id: str) -> PaymentNote | None:
        item = self._table.get_item(Key=table_keys.payment_note_key(portal_id, realm_id, payment_id),
                                    ConsistentRead=True).get("Item")
        return PaymentNote.model_validate(_plain(item)) if item else None

    def claim(self, portal_id: int, realm_id: str, payment_id: str, now: datetime) -> bool:
        claim = PaymentNote(portal_id=portal_id, realm_id=realm_id, payment_id=payment_id, claimed_at=now)
        try:
            self._table.put_item(
                Item={**table_keys.payment_note_key(portal_id, realm_id, payment_id), "type": "payment_note",
                      **claim.model_dump(mode="json", exclude_none=True), "claimed_epoch": int(now.timestamp())},
                ConditionExpression="attribute_not_exists(pk) OR "
                                    "(attribute_not_exists(note_id) AND claimed_epoch < :stale)",
                ExpressionAttributeValues={":stale": int((now - CLAIM_LEASE).timestamp())})
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def release(self, portal_id: int, realm_id: str, payment_id: str) -> None:
        try:
            self._table.delete_item(Key=table_keys.payment_note_key(portal_id, realm_id, payment_id),
                                    ConditionExpression="attribute_not_exists(note_id)")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def for_realm(self, portal_id: int, realm_id: str) -> list[PaymentNote]:
        items = query_all(self._table, KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                          & Key("sk").begins_with(table_keys.payment_note_realm_prefix(realm_id)))
        return [PaymentNote.model_validate(_plain(item)) for item in items]

    def save(self, note: PaymentNote) -> None:
        self._table.put_item(Item={**table_keys.payment_note_key(note.portal_id, note.realm_id, note.payment_id),
                                   "type": "payment_note", **note.model_dump(mode="json", exclude_none=True)})
