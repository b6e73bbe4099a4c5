"""The latest backfill run per company, one item, moved on conditionally on its version: shared by the sync's
backfill and the invoice backfill (each with its own key and model)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

from boto3.dynamodb.conditions import Attr
from botocore.exceptions import ClientError
from pydantic import BaseModel

from hubbooks.domain.paged_runs import BackfillBusyError, BackfillChangedError
from hubbooks.models.paged_runs import BackfillStatus


class _Run(Protocol):
    run_id: str
    portal_id: int
    realm_id: str
    version: int
    status: BackfillStatus


RunT = TypeVar("RunT", bound=BaseModel)


def _conditional_failure(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


class DynamoRunRecords(Generic[RunT]):
    def __init__(self, table: Any, *, model: type[RunT], key: Callable[[int, str], dict[str, str]], item_type: str,
                 busy_message: str) -> None:
        self._table = table
        self._model = model
        self._key = key
        self._item_type = item_type
        self._busy_message = busy_message

    def current(self, portal_id: int, realm_id: str) -> RunT | None:
        item = self._table.get_item(Key=self._key(portal_id, realm_id), ConsistentRead=True).get("Item")
        return self._model.model_validate_json(item["run"]) if item else None

    def start(self, run: RunT) -> None:
        """Store a new run unless an active one exists (BackfillBusyError)."""
        try:
            self._table.put_item(Item=self._item(run), ConditionExpression=Attr("pk").not_exists()
                                 | Attr("active").eq(False))
        except ClientError as error:
            if _conditional_failure(error):
                raise BackfillBusyError(self._busy_message) from error
            raise

    def save(self, run: RunT) -> RunT:
        """Store if the stored version equals run.version (else BackfillChangedError); returns the next version."""
        seen: _Run = run  # type: ignore[assignment]
        saved = run.model_copy(update={"version": seen.version + 1})
        try:
            self._table.put_item(Item=self._item(saved), ConditionExpression=Attr("version").eq(seen.version)
                                 & Attr("run_id").eq(seen.run_id))
        except ClientError as error:
            if _conditional_failure(error):
                raise BackfillChangedError() from error
            raise
        return saved

    def _item(self, run: RunT) -> dict[str, Any]:
        fields: _Run = run  # type: ignore[assignment]
        return {**self._key(fields.portal_id, fields.realm_id), "type": self._item_type, "run_id": fields.run_id,
                "version": fields.version, "active": fields.status.active, "run": run.model_dump_json()}
