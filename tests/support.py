"""Helpers shared by the in-process test tiers: API Gateway events, a Lambda context, signed app-card requests."""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from hubbooks.api.hubspot_signature import sign_v3

API_DOMAIN = "api.hubbooks.test"
HUBSPOT_CLIENT_SECRET = "test-hubspot-client-secret"
QBO_CLIENT_SECRET = "test-qbo-client-secret"
QBO_VERIFIER_TOKEN = "test-qbo-verifier-token"
HUBSPOT_APP_ID = "1234567"


@dataclass
class LambdaContext:
    function_name: str = "TestFunction"
    memory_limit_in_mb: int = 512
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:TestFunction"
    aws_request_id: str = field(default_factory=lambda: uuid.uuid4().hex)
    remaining_ms: int = 25_000

    def get_remaining_time_in_millis(self) -> int:
        return self.remaining_ms


def http_event(method: str, path: str, *, query: dict[str, Any] | None = None, body: Any = None,
               headers: dict[str, str] | None = None, path_parameters: dict[str, str] | None = None,
               route_key: str | None = None, binary: bool = False, cookies: list[str] | None = None) -> dict[str, Any]:
    """An API Gateway HTTP API payload 2.0 event, as the gateway would send it."""
    raw_query = urlencode(query or {}, doseq=True)
    raw_body: str | None
    if body is None:
        raw_body = None
    elif isinstance(body, bytes | bytearray):
        raw_body = base64.b64encode(body).decode() if binary else body.decode()
    elif isinstance(body, str):
        raw_body = body
    else:
        raw_body = json.dumps(body)
    all_headers = {"host": API_DOMAIN, "x-forwarded-proto": "https", "content-type": "application/json",
                   **{k.lower(): v for k, v in (headers or {}).items()}}
    now = time.time()
    return {
        "version": "2.0",
        "routeKey": route_key or f"{method} {path}",
        "rawPath": path,
        "rawQueryString": raw_query,
        "headers": all_headers,
        "queryStringParameters": {k: str(v) for k, v in (query or {}).items()} or None,
        "pathParameters": path_parameters,
        "requestContext": {
            "accountId": "123456789012", "apiId": "testapi", "domainName": API_DOMAIN, "domainPrefix": "api",
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "203.0.113.9",
                     "userAgent": "pytest"},
            "requestId": uuid.uuid4().hex, "routeKey": route_key or f"{method} {path}", "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)), "timeEpoch": int(now * 1000),
        },
        "body": raw_body,
        "isBase64Encoded": binary,
        **({"cookies": cookies} if cookies else {}),
    }


def signed_event(method: str, path: str, *, portal_id: int, user_id: int = 101, body: Any = None,
                 query: dict[str, Any] | None = None, secret: str = HUBSPOT_CLIENT_SECRET,
                 timestamp_ms: int | None = None, path_parameters: dict[str, str] | None = None,
                 route_key: str | None = None) -> dict[str, Any]:
    """The event for a request an app card makes with hubspot.fetch, signed with X-HubSpot-Signature-v3."""
    identity = {"userId": user_id, "userEmail": f"user{user_id}@example.com", "appId": HUBSPOT_APP_ID,
                "portalId": portal_id}
    all_query = {**(query or {}), **identity}
    event = http_event(method, path, query=all_query, body=body, path_parameters=path_parameters,
                       route_key=route_key)
    stamp = str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000))
    url = f"https://{API_DOMAIN}{path}?{event['rawQueryString']}"
    event["headers"]["x-hubspot-request-timestamp"] = stamp
    event["headers"]["x-hubspot-signature-v3"] = sign_v3(secret, method, url, event["body"] or "", stamp)
    return event


def json_body(response: dict[str, Any]) -> Any:
    body = response.get("body") or ""
    return json.loads(base64.b64decode(body) if response.get("isBase64Encoded") else body)
