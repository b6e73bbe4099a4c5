"""DynamoDB storage of reminder settings and of the task each reminder opened, with the claim that keeps two runs
(or a retried run) from opening two tasks for one reason."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import query_all
from hubbooks.domain.finance.reminders import ClaimTakenError
from hubbooks.models.reminders import ReminderSettings, ReminderTask

_TASK_FIELDS = frozenset(ReminderTask.model_fields)


def _plain(item: dict[str, Any], fields: frozenset[str]) -> dict[str, Any]:
    return {k: (int(v) if isinstance(v, Decimal) else v) for k, v in item.items() if k in fields}


class DynamoReminderSettings:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, portal_id: int, realm_id: str) -> ReminderSettings | None:
        item = self._table.get_item(Key=table_keys.reminder_settings_key(portal_id, realm_id),
                                    ConsistentRead=True).get("Item")
        return ReminderSettings.model_validate(_plain(item, frozenset(ReminderSettings.model_fields))) if item else None

    def save(self, settings: ReminderSettings) -> None:
        self._table.put_item(Item={**table_keys.reminder_settings_key(settings.portal_id, settings.realm_id),
                                   "type": "reminder_settings", **settings.model_dump(mode="json", exclude_none=True)})


class DynamoReminderTasks:
    def __init__(self, table: Any) -> None:
        self._table = table

    def for_realm(self, portal_id: int, realm_id: str) -> list[ReminderTask]:
        items = query_all(self._table, ConsistentRead=True,
                          KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                          & Key("sk").begins_with(table_keys.reminder_tasks_of_realm_prefix(realm_id)))
        return [ReminderTask.model_validate(_plain(item, _TASK_FIELDS)) for item in items]

    def claim(self, wanted: ReminderTask, now: datetime, lease: timedelta) -> ReminderTask | None:
        """One conditional write: a new record, the next episode of a closed one, or a takeover of a stale claim of
        the same episode. Returns the record replaced."""
        key = table_keys.reminder_task_key(wanted.portal_id, wanted.realm_id, wanted.invoice_id, wanted.kind.value)
        item = {**key, "type": "reminder_task", **wanted.model_dump(mode="json", exclude_none=True),
                "claimed_epoch": int(now.timestamp())}
        try:
            answer = self._table.put_item(
                Item=item, ReturnValues="ALL_OLD",
                ConditionExpression="attribute_not_exists(pk)"
                                    " OR (#open = :closed AND episode = :previous)"
                                    " OR (#open = :opened AND episode = :episode AND attribute_not_exists(task_id)"
                                    " AND claimed_epoch < :stale)",
                ExpressionAttributeNames={"#open": "open"},
                ExpressionAttributeValues={":closed": False, ":opened": True, ":previous": wanted.episode - 1,
                                           ":episode": wanted.episode,
                                           ":stale": int((now - lease).timestamp())})
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                raise ClaimTakenError(wanted.marker) from error
            raise
        old = answer.get("Attributes")
        return ReminderTask.model_validate(_plain(old, _TASK_FIELDS)) if old else None

    def save(self, task: ReminderTask) -> None:
        key = table_keys.reminder_task_key(task.portal_id, task.realm_id, task.invoice_id, task.kind.value)
        self._table.put_item(Item={**key, "type": "reminder_task", **task.model_dump(mode="json", exclude_none=True)})
