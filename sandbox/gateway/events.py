"""HTTP request -> API Gateway HTTP API payload 2.0 event, and a handler's 2.0 response -> HTTP response parts."""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from werkzeug.wrappers import Request

from sandbox.gateway.routes import RouteMatch

ACCOUNT_ID = "123456789012"
_TEXT_TYPES = ("application/json", "application/javascript", "application/xml", "application/graphql",
               "application/ld+json", "application/x-yaml")


def is_text_content_type(content_type: str) -> bool:
    """API Gateway passes these bodies as text; anything else (form posts and unlabelled bodies too) as base64."""
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith("text/") or media in _TEXT_TYPES or media.endswith(("+json", "+xml"))


def _request_id() -> str:
    # API Gateway's request ids look like "JKJaXmPLvHcESHA=": 10 random bytes, base64.
    return base64.b64encode(secrets.token_bytes(10)).decode()


def _clf_time(epoch: float) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch))


def _headers(request: Request, source_ip: str) -> tuple[dict[str, str], list[str]]:
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers.items():
        lower = name.lower()
        if lower == "cookie":
            # Payload 2.0 moves cookies out of the headers into their own list.
            cookies.extend(part.strip() for part in value.split(";") if part.strip())
            continue
        headers[lower] = f"{headers[lower]},{value}" if lower in headers else value
    forwarded = headers.get("x-forwarded-for")
    headers["x-forwarded-for"] = f"{forwarded}, {source_ip}" if forwarded else source_ip
    headers["x-forwarded-proto"] = request.scheme
    headers["x-forwarded-port"] = str(request.environ.get("SERVER_PORT", ""))
    headers.setdefault("x-amzn-trace-id", f"Root=1-{int(time.time()):08x}-{secrets.token_hex(12)}")
    return headers, cookies


def raw_path_and_query(request: Request) -> tuple[str, str]:
    raw_uri = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
    if raw_uri:
        path, _, query = str(raw_uri).partition("?")
        return path or "/", query
    return request.path, request.environ.get("QUERY_STRING", "")


def build_event(request: Request, match: RouteMatch, api_id: str) -> dict[str, Any]:
    now = time.time()
    raw_path, raw_query = raw_path_and_query(request)
    source_ip = str(request.remote_addr or "127.0.0.1")
    headers, cookies = _headers(request, source_ip)
    host = headers.get("host", "")
    domain_name = host.rsplit(":", 1)[0] if host and not host.endswith("]") else host
    request_id = _request_id()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": match.route.route_key,
        "rawPath": raw_path,
        "rawQueryString": raw_query,
    }
    if cookies:
        event["cookies"] = cookies
    event["headers"] = headers
    query = _query_parameters(raw_query)
    if query:
        event["queryStringParameters"] = query
    event["requestContext"] = {
        "accountId": ACCOUNT_ID,
        "apiId": api_id,
        "domainName": domain_name,
        "domainPrefix": domain_name.split(".", 1)[0],
        "http": {"method": request.method.upper(), "path": raw_path, "protocol": request.environ.get(
            "SERVER_PROTOCOL", "HTTP/1.1"), "sourceIp": source_ip, "userAgent": headers.get("user-agent", "")},
        "requestId": request_id,
        "routeKey": match.route.route_key,
        "stage": "$default",
        "time": _clf_time(now),
        "timeEpoch": int(now * 1000),
    }
    body = request.get_data(cache=True)
    if match.path_parameters:
        event["pathParameters"] = match.path_parameters
    if body:
        if is_text_content_type(headers.get("content-type", "")):
            event["body"], event["isBase64Encoded"] = body.decode("utf-8", "replace"), False
        else:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
    else:
        event["isBase64Encoded"] = False
    return event


def _query_parameters(raw_query: str) -> dict[str, str]:
    # Payload 2.0 joins repeated parameters with commas.
    joined: dict[str, str] = {}
    for name, value in parse_qsl(raw_query, keep_blank_values=True):
        joined[name] = f"{joined[name]},{value}" if name in joined else value
    return joined


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""


class MalformedResponse(ValueError):
    """The handler answered something API Gateway cannot turn into an HTTP response."""


def to_http_response(result: Any, request_id: str) -> HttpResponse:
    """Apply the payload 2.0 response rules to what the handler returned."""
    if not (isinstance(result, dict) and "statusCode" in result):
        # Without a statusCode, API Gateway treats the whole returned JSON value as the body.
        return HttpResponse(200, [("content-type", "application/json"), ("apigw-requestid", request_id)],
                            json.dumps(result).encode())
    try:
        status = int(result["statusCode"])
    except (TypeError, ValueError) as exc:
        raise MalformedResponse(f"statusCode {result['statusCode']!r} is not a number") from exc
    if not 100 <= status <= 599:
        raise MalformedResponse(f"statusCode {status} is out of range")
    headers: list[tuple[str, str]] = []
    for name, value in (result.get("headers") or {}).items():
        headers.append((str(name), _header_value(value)))
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers.extend((str(name), _header_value(value)) for value in values)
    headers.extend(("set-cookie", str(cookie)) for cookie in result.get("cookies") or [])
    headers.append(("apigw-requestid", request_id))
    body = result.get("body")
    if body is None:
        payload = b""
    elif not isinstance(body, str):
        raise MalformedResponse("body must be a string")
    elif result.get("isBase64Encoded"):
        try:
            payload = base64.b64decode(body, validate=True)
        except ValueError as exc:
            raise MalformedResponse("isBase64Encoded is true but the body is not base64") from exc
    else:
        payload = body.encode()
    return HttpResponse(status, headers, payload)


def _header_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
