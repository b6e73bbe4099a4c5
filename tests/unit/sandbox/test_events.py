"""Payload 2.0 details that need no running gateway: body encoding, response rules, SQS batch failures."""

from __future__ import annotations

import base64

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from sandbox.aws.provision import QueueInfo
from sandbox.gateway.events import MalformedResponse, build_event, is_text_content_type, to_http_response
from sandbox.gateway.routes import Route, match_route
from sandbox.gateway.sqs import failed_message_ids, lambda_record
from sandbox.gateway.workers import InvocationResult


@pytest.mark.parametrize(("content_type", "text"), [
    ("application/json", True), ("application/json; charset=utf-8", True), ("text/html", True),
    ("application/vnd.api+json", True), ("application/xml", True), ("application/x-www-form-urlencoded", False),
    ("application/octet-stream", False), ("image/png", False), ("", False)])
def test_text_content_types(content_type: str, text: bool) -> None:
    assert is_text_content_type(content_type) is text


def test_event_from_a_form_post() -> None:
    headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.test:8080"),
               ("X-Forwarded-For", "203.0.113.9")]
    environ = EnvironBuilder(path="/hook/7", method="POST", query_string="a=1", data=b"x=1&y=2",
                             headers=headers).get_environ()
    route = Route("POST", "/hook/{id}", "Hook")
    match = match_route([route], "POST", "/hook/7")
    assert match is not None
    event = build_event(Request(environ), match, "api123")
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"x=1&y=2"
    assert event["pathParameters"] == {"id": "7"}
    assert event["requestContext"]["domainName"] == "example.test"
    assert event["requestContext"]["domainPrefix"] == "example"
    assert event["headers"]["x-forwarded-for"].startswith("203.0.113.9, ")


def test_structured_response() -> None:
    response = to_http_response({"statusCode": 302, "headers": {"Location": "/x"}, "cookies": ["c=1"]}, "rid")
    assert response.status == 302 and response.body == b""
    assert ("Location", "/x") in response.headers and ("set-cookie", "c=1") in response.headers


@pytest.mark.parametrize("result", [{"statusCode": "abc"}, {"statusCode": 700}, {"statusCode": 200, "body": 5},
                                    {"statusCode": 200, "body": "%%%", "isBase64Encoded": True}])
def test_malformed_responses(result: dict[str, object]) -> None:
    with pytest.raises(MalformedResponse):
        to_http_response(result, "rid")


BATCH = [{"MessageId": "m1", "ReceiptHandle": "r1", "Body": "{}"}, {"MessageId": "m2", "ReceiptHandle": "r2",
                                                                    "Body": "{}"}]


@pytest.mark.parametrize(("result", "report", "failed"), [
    (InvocationResult("ok", "r", result={"batchItemFailures": [{"itemIdentifier": "m2"}]}), True, {"m2"}),
    (InvocationResult("ok", "r", result={"batchItemFailures": []}), True, set()),
    (InvocationResult("ok", "r", result=None), True, set()),
    (InvocationResult("ok", "r", result={"batchItemFailures": [{"itemIdentifier": "nope"}]}), True, {"m1", "m2"}),
    (InvocationResult("ok", "r", result={"batchItemFailures": [{"itemIdentifier": ""}]}), True, {"m1", "m2"}),
    (InvocationResult("ok", "r", result={"batchItemFailures": [{"itemIdentifier": "m2"}]}), False, set()),
    (InvocationResult("error", "r"), True, {"m1", "m2"}),
    (InvocationResult("timeout", "r"), False, {"m1", "m2"}),
])
def test_batch_item_failures(result: InvocationResult, report: bool, failed: set[str]) -> None:
    assert failed_message_ids(result, BATCH, report) == failed


def test_lambda_sqs_record_shape() -> None:
    queue = QueueInfo("Q", "Q", "http://x/123/Q", "arn:aws:sqs:us-east-1:123456789012:Q", {})
    message = {**BATCH[0], "Attributes": {"ApproximateReceiveCount": "1"},
               "MessageAttributes": {"kind": {"StringValue": "a", "DataType": "String"}}}
    record = lambda_record(message, queue)
    assert record["messageId"] == "m1" and record["receiptHandle"] == "r1" and record["eventSource"] == "aws:sqs"
    assert record["eventSourceARN"] == queue.arn and record["awsRegion"] == "us-east-1"
    assert record["messageAttributes"] == {"kind": {"stringValue": "a", "dataType": "String",
                                                    "stringListValues": [], "binaryListValues": []}}
