"""DynamoDB record of invoice creates whose outcome is not known yet (domain/invoicing/submissions.py)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import query_all
from hubbooks.models.invoicing import PendingSubmission

_FIELDS = frozenset(PendingSubmission.model_fields)
# Past QuickBooks' 30-day CDC window a lost create can no longer be found by change data capture anyway.
_KEEP_SECONDS = 31 * 24 * 3600


def _plain(item: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if isinstance(v, Decimal) else v) for k, v in item.items() if k in _FIELDS}


class DynamoInvoiceSubmissions:
    def __init__(self, table: Any) -> None:
        self._table = table

    def start(self, pending: PendingSubmission) -> None:
        self._table.put_item(Item={
            **table_keys.invoice_submission_key(pending.portal_id, pending.deal_id, pending.submission_id),
            "type": "invoice_submission", **pending.model_dump(mode="json", exclude_none=True),
            "ttl": int(pending.started_at.timestamp()) + _KEEP_SECONDS})

    def finish(self, portal_id: int, deal_id: str, submission_id: str) -> None:
        self._table.delete_item(Key=table_keys.invoice_submission_key(portal_id, deal_id, submission_id))

    def attempt_ended(self, portal_id: int, deal_id: str, submission_id: str, at: datetime) -> None:
        try:
            self._table.update_item(Key=table_keys.invoice_submission_key(portal_id, deal_id, submission_id),
                                    UpdateExpression="SET attempt_ended_at = :at",
                                    ConditionExpression="attribute_exists(pk)",
                                    ExpressionAttributeValues={":at": at.isoformat()})
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise

    def get(self, portal_id: int, deal_id: str, submission_id: str) -> PendingSubmission | None:
        item = self._table.get_item(Key=table_keys.invoice_submission_key(portal_id, deal_id, submission_id),
                                    ConsistentRead=True).get("Item")
        return PendingSubmission.model_validate(_plain(item)) if item else None

    def pending_for_deal(self, portal_id: int, deal_id: str) -> list[PendingSubmission]:
        items = query_all(self._table, ConsistentRead=True,
                          KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                          & Key("sk").begins_with(table_keys.invoice_submission_deal_prefix(deal_id)))
        return [PendingSubmission.model_validate(_plain(item)) for item in items]
