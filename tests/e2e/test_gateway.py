"""The gateway seen from outside: HTTP API 2.0 events and responses, workers, SQS sources, schedules, control API."""

from __future__ import annotations

import base64
import json
import time
import urllib.error
import urllib.request
from email.message import Message
from typing import Any

import pytest

from sandbox.stack import StackProcess, http_json

pytestmark = pytest.mark.e2e


def _request(stack: StackProcess, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, Message, bytes, list[str]]:
    """(status, headers (case-insensitive, `get_all` for repeats), body, set-cookie values)."""
    request = urllib.request.Request(f"{stack.gateway_url}{path}", data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read(), response.headers.get_all("set-cookie") or []
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read(), []


def _echo(stack: StackProcess, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    status, _, body, _ = _request(stack, method, path, **kwargs)
    assert status == 200, body
    echoed: dict[str, Any] = json.loads(body)
    return echoed


def test_get_request_becomes_a_payload_v2_event(gateway_stack: StackProcess) -> None:
    seen = _echo(gateway_stack, "GET", "/echo?tag=a&tag=b&empty=&q=x%20y",
                 headers={"Cookie": "session=abc; theme=dark", "X-Custom": "Value", "User-Agent": "e2e-test"})
    event = seen["event"]
    assert event["version"] == "2.0"
    assert event["routeKey"] == "GET /echo"
    assert event["rawPath"] == "/echo"
    assert event["rawQueryString"] == "tag=a&tag=b&empty=&q=x%20y"
    assert event["queryStringParameters"] == {"tag": "a,b", "empty": "", "q": "x y"}
    assert event["cookies"] == ["session=abc", "theme=dark"]
    headers = event["headers"]
    assert "cookie" not in headers
    assert headers["x-custom"] == "Value"
    assert headers["host"] == f"127.0.0.1:{gateway_stack.config.gateway_port}"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert all(name == name.lower() for name in headers)
    assert "pathParameters" not in event and "body" not in event
    assert event["isBase64Encoded"] is False
    context = event["requestContext"]
    assert context["domainName"] == "127.0.0.1"
    assert context["domainPrefix"] == "127"
    assert context["stage"] == "$default"
    assert context["routeKey"] == "GET /echo"
    assert context["http"] == {"method": "GET", "path": "/echo", "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1",
                               "userAgent": "e2e-test"}
    assert context["accountId"] == "123456789012" and context["apiId"]
    assert abs(context["timeEpoch"] / 1000 - time.time()) < 30
    assert context["requestId"] == seen["context"]["aws_request_id"]


def test_path_parameters_and_text_body(gateway_stack: StackProcess) -> None:
    seen = _echo(gateway_stack, "POST", "/items/it%20em-42", body=b'{"qty": 2}',
                 headers={"Content-Type": "application/json"})
    event = seen["event"]
    assert event["routeKey"] == "POST /items/{itemId}"
    assert event["pathParameters"] == {"itemId": "it em-42"}
    assert event["body"] == '{"qty": 2}'
    assert event["isBase64Encoded"] is False


def test_greedy_path_and_any_method(gateway_stack: StackProcess) -> None:
    seen = _echo(gateway_stack, "DELETE", "/any/a/b/c")
    assert seen["event"]["routeKey"] == "ANY /any/{proxy+}"
    assert seen["event"]["pathParameters"] == {"proxy": "a/b/c"}


def test_binary_body_arrives_base64_encoded(gateway_stack: StackProcess) -> None:
    payload = bytes(range(256))
    seen = _echo(gateway_stack, "POST", "/items/bin", body=payload,
                 headers={"Content-Type": "application/octet-stream"})
    assert seen["event"]["isBase64Encoded"] is True
    assert base64.b64decode(seen["event"]["body"]) == payload


def test_function_runs_like_lambda(gateway_stack: StackProcess) -> None:
    seen = _echo(gateway_stack, "GET", "/echo")
    context, env = seen["context"], seen["env"]
    assert context["function_name"] == "EchoFunction"
    assert context["memory_limit_in_mb"] == "256"
    assert context["invoked_function_arn"].endswith(":function:EchoFunction")
    assert 0 < context["remaining_ms"] <= 5000
    fixture = gateway_stack.config.template_path.parent
    assert seen["sys_path"][:2] == [str(fixture / "functions" / "echo"), str(fixture / "layers" / "shared")]
    assert seen["layer"] == "fixture-layer" and seen["sandbox_importable"] is False
    assert env["FIXTURE_TABLE_NAME"] == "FixtureTable" and env["GREETING"] == "hello" and env["ECHO_ONLY"] == "yes"
    assert env["WORK_QUEUE_URL"].endswith("/WorkQueue")
    assert env["AWS_ENDPOINT_URL"] == gateway_stack.aws_url
    assert env["AWS_LAMBDA_FUNCTION_NAME"] == "EchoFunction" and env["AWS_DEFAULT_REGION"] == "us-east-1"


@pytest.mark.parametrize(("kind", "status", "content_type", "body"), [
    ("bare", 200, "application/json", b'{"hello": "world"}'),
    ("string", 200, "application/json", b'"just a string"'),
    ("binary", 201, "image/png", b"\x89PNG\x00\x01"),
])
def test_handler_responses_follow_the_v2_rules(gateway_stack: StackProcess, kind: str, status: int,
                                               content_type: str, body: bytes) -> None:
    got_status, headers, got_body, _ = _request(gateway_stack, "POST", f"/behave/{kind}")
    assert (got_status, headers["content-type"], got_body) == (status, content_type, body)
    assert headers["apigw-requestid"]


def test_cookies_and_multi_value_headers(gateway_stack: StackProcess) -> None:
    status, headers, body, cookies = _request(gateway_stack, "POST", "/behave/cookies")
    assert (status, body) == (200, b"ok")
    assert cookies == ["a=1; Path=/", "b=2"]
    assert headers.get_all("x-multi") == ["1", "2"]


@pytest.mark.parametrize(("kind", "status"), [("raise", 500), ("malformed", 502), ("crash", 502)])
def test_failures_answer_like_api_gateway(gateway_stack: StackProcess, kind: str, status: int) -> None:
    got, _, body, _ = _request(gateway_stack, "POST", f"/behave/{kind}")
    assert got == status
    assert json.loads(body) == {"message": "Internal Server Error"}
    assert _echo(gateway_stack, "GET", "/echo")["context"]["function_name"] == "EchoFunction"  # a worker serves


def test_timeout_answers_504_and_the_worker_is_replaced(gateway_stack: StackProcess) -> None:
    status, _, body, _ = _request(gateway_stack, "GET", "/slow")
    assert status == 504 and json.loads(body) == {"message": "Endpoint request timed out"}
    last = gateway_stack.invocations(function="SlowFunction")[-1]
    assert last["status"] == "timeout" and 900 <= last["duration_ms"] < 2500


def test_unknown_route_and_method_are_404(gateway_stack: StackProcess) -> None:
    assert _request(gateway_stack, "GET", "/nowhere")[0] == 404
    assert _request(gateway_stack, "POST", "/echo")[0] == 404


def test_workers_stay_warm_and_serve_concurrently(gateway_stack: StackProcess) -> None:
    ids = {_echo(gateway_stack, "GET", "/echo")["env"]["AWS_LAMBDA_FUNCTION_NAME"] for _ in range(3)}
    assert ids == {"EchoFunction"}
    workers = gateway_stack.health()["functions"]["EchoFunction"]
    assert workers["max"] == 4 and workers["idle"] >= 1


def _send(stack: StackProcess, bodies: list[dict[str, Any]]) -> None:
    sqs = stack.aws_session().client("sqs")
    url = stack.describe()["resources"]["queues"]["WorkQueue"]["url"]
    for body in bodies:
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps(body))


def test_sqs_partial_batch_failure_and_dlq_redrive(gateway_stack: StackProcess) -> None:
    run = str(time.time_ns())
    _send(gateway_stack, [{"id": f"{run}-ok-{i}"} for i in range(3)] + [{"id": f"{run}-bad", "fail": True}])
    drained = gateway_stack.drain_queues(timeout=30)
    assert drained["drained"], drained
    aws = gateway_stack.aws_session()
    table = aws.client("dynamodb")
    for i in range(3):
        item = table.get_item(TableName="FixtureTable", Key={"pk": {"S": f"message#{run}-ok-{i}"}}).get("Item")
        assert item, f"message {i} was not processed"
        record = json.loads(item["record"]["S"])
        assert record["eventSource"] == "aws:sqs" and record["eventSourceARN"].endswith(":WorkQueue")
        assert record["attributes"]["ApproximateReceiveCount"] == "1"
    assert "Item" not in table.get_item(TableName="FixtureTable", Key={"pk": {"S": f"message#{run}-bad"}})
    dlq_url = gateway_stack.describe()["resources"]["queues"]["WorkDeadLetterQueue"]["url"]
    dead = aws.client("sqs").receive_message(QueueUrl=dlq_url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
    assert [json.loads(m["Body"])["id"] for m in dead.get("Messages", [])] == [f"{run}-bad"]
    batches = gateway_stack.invocations(function="BatchFunction", trigger="sqs")
    assert sum(b["details"]["records"] for b in batches) >= 5  # 4 messages, the failing one received twice
    assert any(b["details"]["failed"] == 1 for b in batches)


def test_schedules_are_listed_and_fire_on_demand(gateway_stack: StackProcess) -> None:
    schedules = {s["name"]: s for s in gateway_stack.schedules()}
    assert set(schedules) == {"Tick", "Nightly"}
    assert schedules["Tick"]["enabled"] and schedules["Tick"]["next_fire"]
    assert schedules["Nightly"]["state"] == "DISABLED" and schedules["Nightly"]["next_fire"] is None
    assert schedules["Nightly"]["timezone"] == "America/New_York"
    fired = gateway_stack.fire_schedule("Tick")
    assert fired["function"] == "BatchFunction" and fired["status"] == "ok"
    assert fired["payload"] == {"job": "tick", "n": 1}
    assert fired["result"] == {"received": {"job": "tick", "n": 1}, "function": "BatchFunction"}
    assert gateway_stack.invocations(function="BatchFunction", trigger="schedule")[-1]["source"] == "Tick"


def test_control_api(gateway_stack: StackProcess) -> None:
    routes = {(r["method"], r["path"]): r["function"] for r in gateway_stack.routes()}
    assert routes == {("GET", "/echo"): "EchoFunction", ("POST", "/items/{itemId}"): "EchoFunction",
                      ("ANY", "/any/{proxy+}"): "EchoFunction", ("POST", "/behave/{kind}"): "EchoFunction",
                      ("GET", "/slow"): "SlowFunction"}
    health = gateway_stack.health()
    assert health["http_status"] == 200 and health["dependencies"] == {"aws": "ok"}
    assert http_json("POST", f"{gateway_stack.gateway_url}/_gateway/schedules/Nope/fire")[0] == 404
    description = gateway_stack.describe()
    assert description["gateway_url"] == gateway_stack.gateway_url and description["hubspot_app"] is None
    assert description["resources"]["tables"] == {"FixtureTable": "FixtureTable"}
    direct = gateway_stack.invoke("EchoFunction", {"routeKey": "POST /behave/{kind}",
                                                   "pathParameters": {"kind": "bare"}})
    assert direct["status"] == "ok" and direct["result"] == {"hello": "world"}
    assert gateway_stack.invocations(function="EchoFunction", trigger="direct")[-1]["status"] == "ok"
