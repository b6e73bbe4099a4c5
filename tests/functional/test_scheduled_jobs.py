"""Schedule fan-out (one message per connected company) and the worker that runs each job."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sync_scheduler_handler
import sync_worker_handler

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.job_run_store import DynamoJobRunStore
from hubbooks.config import get_settings
from hubbooks.models.connections import QboConnection
from hubbooks.models.jobs import JobKind
from tests.support import LambdaContext


def _connect(store: DynamoConnectionStore, portal_id: int, realm_id: str, status: str = "connected") -> None:
    store.save(QboConnection(portal_id=portal_id, realm_id=realm_id, company_name=f"Co {realm_id}", country="US",
                             home_currency="USD", connected_at=datetime.now(UTC), status=status))


def _receive_all(queue_url: str) -> list[dict]:
    sqs = aws_client("sqs")
    messages: list[dict] = []
    while True:
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]).get(
            "Messages", [])
        if not batch:
            return messages
        messages.extend(batch)


def _sqs_event(messages: list[dict]) -> dict:
    return {"Records": [{
        "messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
        "attributes": m.get("Attributes", {}), "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
        "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:SyncQueue",
        "awsRegion": "us-east-1"} for m in messages]}


def test_fan_out_queues_one_message_per_connected_company(aws) -> None:
    store = DynamoConnectionStore(dynamodb_table(get_settings().app_table_name))
    for index in range(23):
        _connect(store, portal_id=100 + index % 3, realm_id=f"realm-{index}")
    _connect(store, portal_id=999, realm_id="gone", status="disconnected")

    summary = sync_scheduler_handler.lambda_handler({"job": "sync"}, LambdaContext())

    assert summary == {"job": "sync", "enqueued": 23}
    bodies = [json.loads(m["Body"]) for m in _receive_all(get_settings().sync_queue_url or "")]
    assert sorted(b["realm_id"] for b in bodies) == sorted(f"realm-{i}" for i in range(23))
    assert {b["job"] for b in bodies} == {"sync"}


def test_scheduler_rejects_unknown_job() -> None:
    import pytest
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        sync_scheduler_handler.lambda_handler({"job": "dance"}, LambdaContext())


def test_worker_runs_each_job_and_reports_bad_messages_as_partial_failures(aws) -> None:
    store = DynamoConnectionStore(dynamodb_table(get_settings().app_table_name))
    _connect(store, 5, "r1")
    sync_scheduler_handler.lambda_handler({"job": "overdue_check"}, LambdaContext())
    messages = _receive_all(get_settings().sync_queue_url or "")
    poison = dict(messages[0], MessageId="poison", Body='{"job": "overdue_check"}')

    result = sync_worker_handler.lambda_handler(_sqs_event([*messages, poison]), LambdaContext())

    assert result == {"batchItemFailures": [{"itemIdentifier": "poison"}]}
    run = DynamoJobRunStore(dynamodb_table(get_settings().app_table_name)).last(5, JobKind.OVERDUE_CHECK, "r1")
    assert run is not None and run.outcome == "no linked invoices"  # the real overdue check (domain/invoicing)
