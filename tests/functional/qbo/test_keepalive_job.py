"""The scheduled sync keeps each connection's refresh token alive, and a revoked grant asks for a reconnect."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sync_worker_handler
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.qbo.factory import connection_store
from hubbooks.adapters.storage.job_run_store import DynamoJobRunStore
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.config import get_settings
from hubbooks.models.jobs import JobKind
from hubbooks.models.tokens import GrantKey, Provider
from tests.functional.qbo.conftest import QboSim, connect
from tests.support import LambdaContext

PORTAL = 42


def run_sync(realm_id: str) -> dict:
    body = json.dumps({"job": "sync", "portal_id": PORTAL, "realm_id": realm_id,
                       "scheduled_at": datetime.now(UTC).isoformat()})
    record = {"messageId": uuid.uuid4().hex, "receiptHandle": "r", "body": body, "attributes": {},
              "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
              "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:SyncQueue", "awsRegion": "us-east-1"}
    return sync_worker_handler.lambda_handler({"Records": [record]}, LambdaContext())


def last_outcome(realm_id: str) -> str:
    run = DynamoJobRunStore(dynamodb_table(get_settings().app_table_name)).last(PORTAL, JobKind.SYNC, realm_id)
    assert run is not None
    return run.outcome


def age_grant(key: GrantKey, hours: float) -> None:
    dynamodb_table(get_settings().app_table_name).update_item(
        Key={"pk": f"PORTAL#{key.portal_id}", "sk": f"TOKEN#qbo#{key.realm_id}"},
        UpdateExpression="SET updated_at = :old",
        ExpressionAttributeValues={":old": int((datetime.now(UTC) - timedelta(hours=hours)).timestamp())})


def test_sync_renews_a_grant_last_renewed_over_a_day_ago_and_leaves_a_fresh_one(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Quiet Co")
    connect(qbo_sim, PORTAL, realm)
    key = GrantKey(provider=Provider.QBO, portal_id=PORTAL, realm_id=realm)

    assert run_sync(realm) == {"batchItemFailures": []}
    assert last_outcome(realm) == "token still fresh"

    before = dynamo_token_store().load(key)
    age_grant(key, hours=25)
    assert run_sync(realm) == {"batchItemFailures": []}
    assert last_outcome(realm) == "token refreshed"
    after = dynamo_token_store().load(key)
    assert before is not None and after is not None
    assert after.tokens.refresh_token != before.tokens.refresh_token and after.version == before.version + 1


def test_a_grant_revoked_in_quickbooks_marks_the_connection_for_reconnecting(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Revoked Co")
    connect(qbo_sim, PORTAL, realm)
    key = GrantKey(provider=Provider.QBO, portal_id=PORTAL, realm_id=realm)
    grant = dynamo_token_store().load(key)
    assert grant is not None
    import requests  # the user disconnects the app inside QuickBooks

    requests.post(f"{qbo_sim.url}/v2/oauth2/tokens/revoke", json={"token": grant.tokens.refresh_token},
                  auth=(qbo_sim.client_id, qbo_sim.client_secret), timeout=10).raise_for_status()
    age_grant(key, hours=25)

    assert run_sync(realm) == {"batchItemFailures": []}

    assert last_outcome(realm) == "needs reconnect: QuickBooks no longer accepts this connection"
    connection = connection_store().get(PORTAL, realm)
    assert connection is not None and connection.status == "needs_reconnect"
    assert connection.needs_reconnect_since is not None
    assert list(connection_store().iter_connected()) == []  # the schedule stops picking it up
    assert run_sync(realm) == {"batchItemFailures": []}
    assert last_outcome(realm) == "skipped: company not connected"


def test_intuit_being_down_fails_the_message_so_the_queue_retries_it(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Patient Co")
    connect(qbo_sim, PORTAL, realm)
    age_grant(GrantKey(provider=Provider.QBO, portal_id=PORTAL, realm_id=realm), hours=25)
    qbo_sim.control("POST", "faults", {"status": 503, "rate": 1.0, "path_prefix": "/oauth2/"})

    with pytest.raises(BatchProcessingError):  # Powertools raises when every record of a batch failed
        run_sync(realm)

    connection = connection_store().get(PORTAL, realm)
    assert connection is not None and connection.status == "connected"
