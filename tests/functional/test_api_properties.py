"""Property-based test of the card API from its own OpenAPI document (schemathesis): generated requests, valid
and invalid, signed by HubSpot and unsigned, must never get a 5xx or an answer the document does not describe.

`make test` runs a bounded number of examples per operation; `make bench` runs many more
(HUBBOOKS_API_EXAMPLES)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import invoice_handler
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.config import get_settings
from hubbooks.models.connections import QboConnection
from tests.lambda_wsgi import LambdaWsgiApp

EXAMPLES = int(os.environ.get("HUBBOOKS_API_EXAMPLES", "12"))
PORTAL = 42
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

signed_app = LambdaWsgiApp(invoice_handler.lambda_handler, signed_portal_id=PORTAL)
unsigned_app = LambdaWsgiApp(invoice_handler.lambda_handler)
signed_schema = schemathesis.openapi.from_wsgi("/openapi.json", signed_app)
unsigned_schema = schemathesis.openapi.from_wsgi("/openapi.json", unsigned_app)
PROPERTY_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                             suppress_health_check=list(HealthCheck))


@pytest.fixture
def connected_portal(aws) -> None:
    """A portal with a QuickBooks company on record (its tokens absent), so signed requests get past the lookups."""
    DynamoConnectionStore(dynamodb_table(get_settings().app_table_name)).save(QboConnection(
        portal_id=PORTAL, realm_id="9130", company_name="Acme US", country="US", home_currency="USD",
        connected_at=datetime.now(UTC)))


@signed_schema.parametrize()
@PROPERTY_SETTINGS
def test_signed_requests_get_documented_answers_and_never_a_5xx(case: schemathesis.Case, connected_portal) -> None:
    case.call_and_validate(checks=CHECKS)


@unsigned_schema.parametrize()
@PROPERTY_SETTINGS
def test_unsigned_requests_get_documented_answers_and_never_a_5xx(case: schemathesis.Case, aws) -> None:
    response = case.call_and_validate(checks=CHECKS)
    if case.path not in ("/health", "/invoices/preview"):
        # Refused before any work; 404 where the generated path matches no route at all.
        assert response.status_code in (400, 401, 404, 413, 415), (case.path, response.status_code)
