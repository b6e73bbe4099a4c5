"""Every HTTP route checks, in order: size (413), signature (401, 403 for preview links), JSON shape (400), then
validation (422); no input makes any of them answer 5xx, and a state-changing signed request works once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
from typing import Any

import invoice_handler
import oauth_handler
import pytest
import webhook_receiver_handler

from tests.support import QBO_VERIFIER_TOKEN, LambdaContext, http_event, json_body, signed_event

DEEP = "[" * 20_000 + "]" * 20_000  # far beyond any parser's recursion limit
DEEP_OBJECT = '{"a":' * 20_000 + "1" + "}" * 20_000


def _signed_routes() -> list[tuple[str, str]]:
    """Every route of the card API that needs HubSpot's signature, with its path parameters filled in."""
    document = json.loads(invoice_handler.openapi_document())
    routes = []
    for path, operations in document["paths"].items():
        for method in operations:
            if path in ("/health", "/invoices/preview"):
                continue
            routes.append((method.upper(), re.sub(r"\{[^}]+\}", lambda m: "deal" if "type" in m.group() else "1",
                                                   path)))
    return [*routes, ("POST", "/oauth/qbo/connect-link"), ("GET", "/oauth/qbo/connections"),
            ("DELETE", "/oauth/qbo/connections/1"), ("DELETE", "/oauth/hubspot/install")]


def _handler_for(path: str) -> Any:
    return oauth_handler if path.startswith("/oauth/") else invoice_handler


def _call(event: dict[str, Any]) -> dict[str, Any]:
    return _handler_for(event["rawPath"]).lambda_handler(event, LambdaContext())


SIGNED_ROUTES = _signed_routes()


def test_the_route_list_covers_the_card_api() -> None:
    assert len(SIGNED_ROUTES) >= 20 and ("POST", "/app/deals/1/invoices") in SIGNED_ROUTES


@pytest.mark.parametrize(("method", "path"), SIGNED_ROUTES)
def test_unsigned_requests_get_401_whatever_the_body(aws, method: str, path: str) -> None:
    for body in (None, {}, "{not json", DEEP, DEEP_OBJECT):
        response = _call(http_event(method, path, body=body, query={"portalId": 42, "userId": 7}))
        answer = json_body(response)
        assert response["statusCode"] == 401, (method, path, answer)
        assert "details" not in answer and "field" not in answer["message"]


@pytest.mark.parametrize(("method", "path"), [r for r in SIGNED_ROUTES if r[0] in ("POST", "PUT")])
def test_signed_requests_meet_size_then_json_then_validation(aws, method: str, path: str) -> None:
    oversized = _call(signed_event(method, path, portal_id=42, body={"pad": "x" * 300_000}))
    assert oversized["statusCode"] == 413 and json_body(oversized)["error"] == "payload_too_large"
    unsigned_oversized = _call(http_event(method, path, body={"pad": "x" * 300_000}))
    assert unsigned_oversized["statusCode"] == 413  # size is checked before anything is verified
    for body in (DEEP, DEEP_OBJECT, "{not json", "[1,]"):
        response = _call(signed_event(method, path, portal_id=42, body=body))
        assert response["statusCode"] == 400 and json_body(response)["error"] == "invalid_json", (path, body[:9])
    nested_in_a_string = {"notes": "[" * 5000}
    response = _call(signed_event(method, path, portal_id=42, body=nested_in_a_string))
    assert response["statusCode"] != 400 and response["statusCode"] < 500  # brackets inside strings do not nest


def test_a_signed_request_with_a_valid_json_body_reaches_validation(aws) -> None:
    response = _call(signed_event("POST", "/app/deals/1/invoices", portal_id=42, body={}))
    assert response["statusCode"] == 422


@pytest.mark.parametrize("link", ["a.%C3%A9", "a.\u00e9", "\udc80.\udc80", "x" * 5000, "", "a.b", ".", "e30.e30"])
def test_bad_preview_links_get_a_403_page_never_a_5xx(aws, link: str) -> None:
    event = http_event("GET", "/invoices/preview")
    event["rawQueryString"] = f"link={link}"
    event["queryStringParameters"] = {"link": link.replace("%C3%A9", "\u00e9")}
    response = invoice_handler.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 403 and "text/html" in response["headers"]["Content-Type"]
    assert "This preview link cannot be used" in response["body"]


def _intuit_signed(body: str) -> dict[str, Any]:
    signature = base64.b64encode(hmac.new(QBO_VERIFIER_TOKEN.encode(), body.encode(), hashlib.sha256).digest())
    return http_event("POST", "/webhooks/qbo", body=body, headers={"intuit-signature": signature.decode()})


def test_webhooks_follow_the_same_order(aws) -> None:
    for body in (DEEP, DEEP_OBJECT):
        unsigned = webhook_receiver_handler.lambda_handler(http_event("POST", "/webhooks/qbo", body=body),
                                                           LambdaContext())
        assert unsigned["statusCode"] == 401
        signed = webhook_receiver_handler.lambda_handler(_intuit_signed(body), LambdaContext())
        assert signed["statusCode"] == 400 and json_body(signed)["error"] == "invalid_json"
        hubspot = webhook_receiver_handler.lambda_handler(signed_event("POST", "/webhooks/hubspot", portal_id=42,
                                                                       body=body), LambdaContext())
        assert hubspot["statusCode"] == 400
    oversized = webhook_receiver_handler.lambda_handler(http_event("POST", "/webhooks/qbo", body="x" * 2_000_000),
                                                        LambdaContext())
    assert oversized["statusCode"] == 413


def test_bodies_that_are_not_utf8_or_base64_are_a_400(aws) -> None:
    event = signed_event("POST", "/app/invoice-links", portal_id=42, body="{}")
    event["isBase64Encoded"] = True
    event["body"] = "***not base64***"
    assert _call(event)["statusCode"] in (400, 401)
    binary = signed_event("POST", "/app/invoice-links", portal_id=42, body="{}")
    binary["isBase64Encoded"] = True
    binary["body"] = base64.b64encode(b"\xff\xfe{").decode()
    assert _call(binary)["statusCode"] in (400, 401)


def test_a_replayed_state_changing_request_is_refused(aws) -> None:
    event = signed_event("POST", "/oauth/qbo/connect-link", portal_id=42)
    first = oauth_handler.lambda_handler(json.loads(json.dumps(event)), LambdaContext())
    assert first["statusCode"] == 200, first
    replay = oauth_handler.lambda_handler(json.loads(json.dumps(event)), LambdaContext())
    assert replay["statusCode"] == 401 and "already used" in json_body(replay)["message"]
    fresh = oauth_handler.lambda_handler(signed_event("POST", "/oauth/qbo/connect-link", portal_id=42,
                                                      timestamp_ms=int(event["headers"]["x-hubspot-request-timestamp"])
                                                      + 1), LambdaContext())
    assert fresh["statusCode"] == 200  # a new signature (HubSpot signs each request afresh) is accepted


def test_reads_may_repeat_a_signature(aws) -> None:
    event = signed_event("GET", "/app/context", portal_id=42)
    for _ in range(2):
        assert invoice_handler.lambda_handler(json.loads(json.dumps(event)), LambdaContext())["statusCode"] == 200


WEIRD = ["a.\u00e9", "\udc80", "\u00e9.\u00e9.\u00e9", "x" * 5000, "", ".", "a.b.c", "%00", "\x00"]


@pytest.mark.parametrize("value", WEIRD)
def test_hostile_values_in_oauth_links_states_and_cookies_never_get_a_5xx(aws, value: str) -> None:
    for path, query in (("/oauth/qbo/connect", {"link": value}),
                        ("/oauth/qbo/callback", {"state": value, "code": value, "realmId": "123"}),
                        ("/oauth/qbo/callback", {"state": value, "error": value}),
                        ("/oauth/hubspot/install", {"link": value}),
                        ("/oauth/hubspot/callback", {"state": value, "code": value})):
        event = http_event("GET", path, cookies=[f"hubbooks_qbo_connect={value}"])
        event["queryStringParameters"] = query  # as API Gateway decodes them, whatever they hold
        event["rawQueryString"] = "&".join(f"{key}={item}" for key, item in query.items())
        response = oauth_handler.lambda_handler(event, LambdaContext())
        assert response["statusCode"] < 500, (path, response["statusCode"])


def test_a_qbo_webhook_signature_that_is_not_ascii_is_refused(aws) -> None:
    event = _intuit_signed("[]")
    event["headers"]["intuit-signature"] = "\u00e9\udc80"
    assert webhook_receiver_handler.lambda_handler(event, LambdaContext())["statusCode"] == 401
