"""Webhook receiver (signature, queueing) and worker (each change applied once) on moto."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json

import webhook_receiver_handler
import webhook_worker_handler

from hubbooks.adapters.aws.clients import aws_client
from hubbooks.config import get_settings
from hubbooks.domain.webhooks.dispatch import WebhookDispatcher
from hubbooks.models.webhooks import QboEntityChange
from tests.support import QBO_VERIFIER_TOKEN, LambdaContext, http_event, json_body, signed_event


def _intuit_signed(body: bytes) -> dict:
    signature = base64.b64encode(hmac.new(QBO_VERIFIER_TOKEN.encode(), body, hashlib.sha256).digest()).decode()
    return http_event("POST", "/webhooks/qbo", body=body.decode(),
                      headers={"intuit-signature": signature, "content-type": "application/cloudevents+json"})


def _drain() -> list[dict]:
    sqs = aws_client("sqs")
    out: list[dict] = []
    while batch := sqs.receive_message(QueueUrl=get_settings().webhook_queue_url, MaxNumberOfMessages=10).get(
            "Messages", []):
        out.extend(batch)
    return out


def _sqs_event(messages: list[dict]) -> dict:
    return {"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                         "attributes": {}, "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
                         "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:WebhookQueue",
                         "awsRegion": "us-east-1"} for m in messages]}


CLOUD_EVENTS = json.dumps([
    {"specversion": "1.0", "id": "ev-1", "type": "qbo.estimate.updated.v1", "intuitentityid": "130",
     "intuitaccountid": "9130", "time": "2026-11-28T10:00:00Z", "data": {}},
    {"specversion": "1.0", "id": "ev-2", "type": "qbo.payment.created.v1", "intuitentityid": "77",
     "intuitaccountid": "9130", "time": "2026-11-28T10:00:01Z"},
    {"specversion": "1.0", "id": "ev-3", "type": "qbo.estimate.updated.v1", "intuitentityid": "131",
     "intuitaccountid": "4620", "time": "2026-11-28T10:00:02Z", "data": {}},
]).encode()


def test_signed_qbo_webhook_is_queued_per_company_and_each_batch_applied_once(aws, monkeypatch) -> None:
    response = webhook_receiver_handler.lambda_handler(_intuit_signed(CLOUD_EVENTS), LambdaContext())
    assert response["statusCode"] == 200 and json_body(response) == {"received": 3}

    seen: list[str] = []
    dispatcher = WebhookDispatcher()
    dispatcher.on_qbo("Estimate", lambda change: seen.append(change.entity_id) or "refreshed estimate")
    monkeypatch.setattr(webhook_worker_handler, "dispatcher", lambda: dispatcher)
    messages = _drain()
    assert len(messages) == 2, "one message per QuickBooks company, not one per event"
    first = webhook_worker_handler.lambda_handler(_sqs_event(messages), LambdaContext())
    again = webhook_worker_handler.lambda_handler(_sqs_event(messages), LambdaContext())  # redelivery
    assert first == {"batchItemFailures": []} and again == {"batchItemFailures": []}
    assert sorted(seen) == ["130", "131"]


def test_a_single_change_queued_by_an_earlier_version_is_still_applied(aws, monkeypatch) -> None:
    seen: list[str] = []
    dispatcher = WebhookDispatcher()
    dispatcher.on_qbo("Estimate", lambda change: seen.append(change.entity_id) or "refreshed estimate")
    monkeypatch.setattr(webhook_worker_handler, "dispatcher", lambda: dispatcher)
    old = QboEntityChange(event_id="old-1", realm_id="9130", entity="Estimate", entity_id="9", operation="Update")
    sqs = aws_client("sqs")
    sqs.send_message(QueueUrl=get_settings().webhook_queue_url, MessageBody=old.model_dump_json())
    assert webhook_worker_handler.lambda_handler(_sqs_event(_drain()), LambdaContext()) == {"batchItemFailures": []}
    assert seen == ["9"]


def test_qbo_webhook_with_bad_signature_is_refused_and_not_queued(aws) -> None:
    event = _intuit_signed(CLOUD_EVENTS)
    event["headers"]["intuit-signature"] = "bm90IGl0"
    response = webhook_receiver_handler.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 401
    assert json_body(response)["message"] == "This webhook is not signed by our QuickBooks app."  # no internals
    assert _drain() == []


def test_hubspot_webhook_requires_v3_signature(aws) -> None:
    body = [{"eventId": 1, "subscriptionId": 5, "portalId": 42, "occurredAt": 1764320000000,
             "subscriptionType": "deal.deletion", "objectId": 9}]
    unsigned = webhook_receiver_handler.lambda_handler(http_event("POST", "/webhooks/hubspot", body=body),
                                                       LambdaContext())
    assert unsigned["statusCode"] == 401
    event = signed_event("POST", "/webhooks/hubspot", portal_id=42, body=body)
    signed = webhook_receiver_handler.lambda_handler(event, LambdaContext())
    assert signed["statusCode"] == 200 and json_body(signed) == {"received": 1}


def test_oversized_webhooks_are_refused_before_any_work_and_nothing_is_queued(aws) -> None:
    from hubbooks.api.webhook_routes import MAX_WEBHOOK_BODY_BYTES

    padding = "x" * (MAX_WEBHOOK_BODY_BYTES + 1)
    huge_qbo = _intuit_signed(json.dumps([{"type": "qbo.invoice.created.v1", "pad": padding}]).encode())
    huge_hubspot = signed_event("POST", "/webhooks/hubspot", portal_id=42,
                                body=[{"eventId": 1, "portalId": 42, "pad": padding}])
    for event in (huge_qbo, huge_hubspot):
        response = webhook_receiver_handler.lambda_handler(event, LambdaContext())
        assert response["statusCode"] == 413 and json_body(response)["error"] == "payload_too_large"
    assert _drain() == []


def test_a_signed_but_malformed_hubspot_webhook_is_a_4xx_not_a_crash(aws) -> None:
    event = signed_event("POST", "/webhooks/hubspot", portal_id=42, body=[{"eventId": 1, "portalId": "forty-two"}])
    response = webhook_receiver_handler.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 400 and "not a number" in json_body(response)["message"]
    assert _drain() == []


def test_hubspot_contact_changes_are_queued_per_portal_with_their_source(aws) -> None:
    body = [{"eventId": n, "subscriptionId": 5, "portalId": portal, "occurredAt": 1764320000000,
             "subscriptionType": "object.propertyChange", "objectTypeId": "0-1", "objectId": 9 + n,
             "propertyName": "email", "propertyValue": "a@b.test", "changeSource": source, "sourceId": source_id}
            for n, (portal, source, source_id) in enumerate([(42, "CRM_UI", "userId:7"), (42, "INTEGRATION", "1234567"),
                                                             (43, "CRM_UI", "userId:8")])]
    response = webhook_receiver_handler.lambda_handler(signed_event("POST", "/webhooks/hubspot", portal_id=42,
                                                                    body=body), LambdaContext())
    assert response["statusCode"] == 200 and json_body(response) == {"received": 3}
    queued = sorted((json.loads(m["Body"]) for m in _drain()), key=lambda b: b["portal_id"])
    assert [(b["portal_id"], len(b["events"])) for b in queued] == [(42, 2), (43, 1)]
    first = queued[0]["events"][1]
    assert (first["object_type_id"], first["change_source"], first["source_id"]) == ("0-1", "INTEGRATION", "1234567")
