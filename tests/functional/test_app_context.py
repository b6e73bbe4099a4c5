"""The signed app-card entry point: only HubSpot-signed requests get through, and identity comes from them."""

from __future__ import annotations

from datetime import UTC, datetime

import invoice_handler

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.config import get_settings
from hubbooks.models.connections import QboConnection
from tests.support import LambdaContext, http_event, json_body, signed_event


def test_signed_request_answers_with_the_signed_identity_and_connections(aws) -> None:
    store = DynamoConnectionStore(dynamodb_table(get_settings().app_table_name))
    store.save(QboConnection(portal_id=42, realm_id="9130", company_name="Acme US", country="US",
                             home_currency="USD", connected_at=datetime.now(UTC)))
    store.save(QboConnection(portal_id=43, realm_id="777", company_name="Other portal", country="GB",
                             home_currency="GBP", connected_at=datetime.now(UTC)))

    response = invoice_handler.lambda_handler(signed_event("GET", "/app/context", portal_id=42, user_id=7),
                                              LambdaContext())

    assert response["statusCode"] == 200
    body = json_body(response)
    assert body["portal_id"] == 42 and body["user_id"] == 7
    assert [c["realm_id"] for c in body["qbo_connections"]] == ["9130"]


def test_unsigned_request_is_refused_with_a_clear_message(aws) -> None:
    event = http_event("GET", "/app/context", query={"portalId": 42, "userId": 7})
    response = invoice_handler.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 401
    assert "X-HubSpot-Signature-v3" in json_body(response)["message"]


def test_tampered_portal_id_is_refused(aws) -> None:
    event = signed_event("GET", "/app/context", portal_id=42)
    event["rawQueryString"] = event["rawQueryString"].replace("portalId=42", "portalId=43")
    event["queryStringParameters"]["portalId"] = "43"
    response = invoice_handler.lambda_handler(event, LambdaContext())
    assert response["statusCode"] == 401
    assert "does not match" in json_body(response)["message"]


def test_stale_timestamp_is_refused(aws) -> None:
    stale = int(datetime.now(UTC).timestamp() * 1000) - 6 * 60 * 1000
    response = invoice_handler.lambda_handler(signed_event("GET", "/app/context", portal_id=42, timestamp_ms=stale),
                                              LambdaContext())
    assert response["statusCode"] == 401
    assert "older than 300 seconds" in json_body(response)["message"]


def test_request_signed_with_another_secret_is_refused(aws) -> None:
    response = invoice_handler.lambda_handler(signed_event("GET", "/app/context", portal_id=42, secret="other"),
                                              LambdaContext())
    assert response["statusCode"] == 401


def test_health_reports_configuration(aws) -> None:
    response = invoice_handler.lambda_handler(http_event("GET", "/health"), LambdaContext())
    assert response["statusCode"] == 200
    assert json_body(response) == {"status": "ok", "stage": "dev", "missing_settings": []}
