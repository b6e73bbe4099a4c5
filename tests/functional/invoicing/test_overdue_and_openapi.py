"""The overdue check through the sync worker, foreign-currency invoices, and the served OpenAPI document."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import invoice_handler
import sync_worker_handler

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.job_run_store import DynamoJobRunStore
from hubbooks.adapters.wiring import invoicing_jobs
from hubbooks.config import get_settings
from hubbooks.models.jobs import JobKind
from tests.functional.invoicing.conftest import World
from tests.support import LambdaContext, http_event


def _worker_event(world: World, realm: str) -> dict:
    body = json.dumps({"job": "overdue_check", "portal_id": world.portal_id, "realm_id": realm,
                       "scheduled_at": datetime.now(UTC).isoformat()})
    return {"Records": [{"messageId": "m1", "receiptHandle": "r", "body": body, "attributes": {},
                         "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                         "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:SyncQueue", "awsRegion": "us-east-1"}]}


def test_overdue_check_marks_the_deal_overdue_once_the_due_date_passes(world: World, monkeypatch) -> None:
    realm = world.realms["us"]
    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body={
        "realm_id": realm, "customer_id": "1", "submission_id": uuid.uuid4().hex, "term_id": "1",
        "lines": [{"item_id": "3", "quantity": "1", "rate": "150"}]})
    assert status == 200, created
    assert world.deal_properties()["hubbooks_invoice_status"] == "waiting_to_be_sent"

    # Due on receipt: overdue from tomorrow in the company's zone. The job runs as if three days had passed.
    three_days_later = datetime.now(UTC) + timedelta(days=3)
    monkeypatch.setattr(invoicing_jobs, "business_clock", lambda: lambda: three_days_later)
    result = sync_worker_handler.lambda_handler(_worker_event(world, realm), LambdaContext())

    assert result == {"batchItemFailures": []}
    run = DynamoJobRunStore(dynamodb_table(get_settings().app_table_name)).last(world.portal_id,
                                                                               JobKind.OVERDUE_CHECK, realm)
    assert run is not None and run.outcome == "checked 1 invoices: 1 links changed, 1 deals updated"
    assert world.deal_properties()["hubbooks_invoice_status"] == "overdue"


def test_openapi_document_is_served_and_matches_the_routes(world: World) -> None:
    response = invoice_handler.lambda_handler(http_event("GET", "/openapi.json"), LambdaContext())
    assert response["statusCode"] == 200
    document = json.loads(response["body"])
    assert document == json.loads(invoice_handler.openapi_document())
    assert "/app/cards/{object_type}/{object_id}" in document["paths"]
