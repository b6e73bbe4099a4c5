"""DynamoDB storage of approval settings and requests. A request is one item: the request as JSON in `doc`, with
`version` beside it for the conditional writes that keep two approvers from both approving, and `task_id` and the
`approver_tasks` map apart so recording tasks never races a decision. A map entry is claimed (conditionally) before
its task is created, so two submits at once never open two tasks for one approver."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.dynamo_query import query_all
from hubbooks.domain.finance.approvals import StaleRequestError
from hubbooks.models.approvals import ApprovalRequest, ApprovalSettings

_SETTINGS_FIELDS = frozenset(ApprovalSettings.model_fields)


def _conditional_failed(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _request(item: dict[str, Any]) -> ApprovalRequest:
    request = ApprovalRequest.model_validate_json(item["doc"])
    return request.model_copy(update={"task_id": item.get("task_id") or request.task_id,
                                      "approver_tasks": {str(k): str(v) for k, v in
                                                         (item.get("approver_tasks") or {}).items()},
                                      "followed_up": bool(item.get("followed_up"))})


# Empty, or a claim older than the lease ("claim:<ISO time>" strings compare as their times do).
_CLAIMABLE = ("attribute_exists(pk) AND (attribute_not_exists(approver_tasks.#slot) OR "
              "(begins_with(approver_tasks.#slot, :prefix) AND approver_tasks.#slot < :stale))")


def _claim(at: datetime) -> str:
    return f"claim:{at.isoformat()}"


class DynamoApprovalSettings:
    def __init__(self, table: Any) -> None:
        self._table = table

    def get(self, portal_id: int, realm_id: str) -> ApprovalSettings | None:
        item = self._table.get_item(Key=table_keys.approval_settings_key(portal_id, realm_id),
                                    ConsistentRead=True).get("Item")
        if not item:
            return None
        return ApprovalSettings.model_validate({k: (int(v) if isinstance(v, Decimal) else v)
                                                for k, v in item.items() if k in _SETTINGS_FIELDS})

    def save(self, settings: ApprovalSettings) -> None:
        self._table.put_item(Item={**table_keys.approval_settings_key(settings.portal_id, settings.realm_id),
                                   "type": "approval_settings", **settings.model_dump(mode="json", exclude_none=True)})


class DynamoApprovalRequests:
    def __init__(self, table: Any) -> None:
        self._table = table

    def _key(self, portal_id: int, deal_id: str, request_id: str) -> dict[str, str]:
        return table_keys.approval_request_key(portal_id, deal_id, request_id)

    def add(self, request: ApprovalRequest) -> ApprovalRequest | None:
        try:
            self._table.put_item(Item={**self._key(request.portal_id, request.deal_id, request.request_id),
                                       "type": "approval_request", "version": request.version,
                                       "status": request.status.value, "approver_tasks": {},
                                       "doc": request.model_dump_json(exclude={"approver_tasks", "followed_up"})},
                                 ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if _conditional_failed(error):
                return self.get(request.portal_id, request.deal_id, request.request_id)
            raise
        return None

    def get(self, portal_id: int, deal_id: str, request_id: str) -> ApprovalRequest | None:
        item = self._table.get_item(Key=self._key(portal_id, deal_id, request_id), ConsistentRead=True).get("Item")
        return _request(item) if item else None

    def for_deal(self, portal_id: int, deal_id: str) -> list[ApprovalRequest]:
        items = query_all(self._table, ConsistentRead=True,
                          KeyConditionExpression=Key("pk").eq(table_keys.portal_pk(portal_id))
                          & Key("sk").begins_with(table_keys.approval_requests_of_deal_prefix(deal_id)))
        return [_request(item) for item in items]

    def replace(self, request: ApprovalRequest, seen_version: int) -> None:
        try:
            self._table.update_item(
                Key=self._key(request.portal_id, request.deal_id, request.request_id),
                UpdateExpression="SET #doc = :doc, version = :next, #status = :status",
                ConditionExpression="version = :seen",
                ExpressionAttributeNames={"#doc": "doc", "#status": "status"},
                ExpressionAttributeValues={":doc": request.model_dump_json(exclude={"task_id", "approver_tasks",
                                                                                  "followed_up"}),
                                           ":next": request.version, ":status": request.status.value,
                                           ":seen": seen_version})
        except ClientError as error:
            if _conditional_failed(error):
                raise StaleRequestError(request.request_id) from error
            raise

    def set_task(self, portal_id: int, deal_id: str, request_id: str, task_id: str) -> None:
        self._table.update_item(Key=self._key(portal_id, deal_id, request_id), UpdateExpression="SET task_id = :task",
                                ConditionExpression="attribute_exists(pk)",
                                ExpressionAttributeValues={":task": task_id})

    def claim_task(self, portal_id: int, deal_id: str, request_id: str, slot: str, now: datetime,
                   lease: timedelta) -> str | None:
        """Claim the slot for opening its task: granted when the slot is empty ("" returned) or holds a claim older
        than `lease` (that claim returned: its task may exist); None when refused (a task, or a live claim)."""
        key = self._key(portal_id, deal_id, request_id)
        for _attempt in range(2):
            try:
                answer = self._table.update_item(
                    Key=key, UpdateExpression="SET approver_tasks.#slot = :claim",
                    ConditionExpression=_CLAIMABLE,
                    ExpressionAttributeNames={"#slot": slot},
                    ExpressionAttributeValues={":claim": _claim(now), ":prefix": "claim:",
                                               ":stale": _claim(now - lease)},
                    ReturnValues="UPDATED_OLD")
            except ClientError as error:
                if _conditional_failed(error):
                    return None
                if error.response.get("Error", {}).get("Code") != "ValidationException":
                    raise
                # A request stored before the map existed: add the empty map, then claim.
                self._table.update_item(Key=key, UpdateExpression="SET approver_tasks = if_not_exists("
                                                                  "approver_tasks, :empty)",
                                        ExpressionAttributeValues={":empty": {}})
                continue
            return str(((answer.get("Attributes") or {}).get("approver_tasks") or {}).get(slot) or "")
        return None

    def record_task(self, portal_id: int, deal_id: str, request_id: str, slot: str, task_id: str) -> None:
        self._table.update_item(Key=self._key(portal_id, deal_id, request_id),
                                UpdateExpression="SET approver_tasks.#slot = :task",
                                ConditionExpression="attribute_exists(pk)",
                                ExpressionAttributeNames={"#slot": slot}, ExpressionAttributeValues={":task": task_id})

    def mark_followed_up(self, portal_id: int, deal_id: str, request_id: str) -> None:
        self._table.update_item(Key=self._key(portal_id, deal_id, request_id), UpdateExpression="SET followed_up = :t",
                                ConditionExpression="attribute_exists(pk)", ExpressionAttributeValues={":t": True})
