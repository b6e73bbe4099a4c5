"""HTTP API entry point for the HubSpot app cards and settings page."""

from __future__ import annotations

# First of all: importing hubbooks pauses the garbage collector in Lambda for the rest of the cold start (see
# hubbooks/__init__.py), so the libraries below load without collections too.
import hubbooks  # noqa: F401

# isort: split
import json
from typing import Any

import boto3  # noqa: F401 - the libraries load at the top level (hubbooks/__init__.py)
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.adapters.aws.idempotency import register_lambda_context
from hubbooks.api import health_routes
from hubbooks.api.resolver import http_api
from hubbooks.api.route_modules import RouteModule
from hubbooks.observability import lambda_entrypoint

# Each module loads with the first request for one of its paths: a cold start pays only for what it serves.
ROUTE_MODULES = (
    RouteModule("hubbooks.api.app_context_routes", ("/app/context",)),
    RouteModule("hubbooks.api.invoice_card_routes", ("/app/cards/<object_type>/<object_id>",)),
    RouteModule("hubbooks.api.invoice_wizard_routes", (
        "/app/deals/<deal_id>/invoice-review", "/app/deals/<deal_id>/invoice-wizard",
        "/app/deals/<deal_id>/quotes/<quote_id>/invoice-lines", "/app/qbo/<realm_id>/customer-suggestions",
        "/app/qbo/<realm_id>/customers", "/app/qbo/<realm_id>/invoice-options", "/app/qbo/<realm_id>/items")),
    RouteModule("hubbooks.api.invoice_create_routes", ("/app/deals/<deal_id>/invoices",)),
    RouteModule("hubbooks.api.invoice_document_routes", (
        "/app/qbo/<realm_id>/invoices/<invoice_id>/pdf", "/app/qbo/<realm_id>/invoices/<invoice_id>/preview-link",
        "/invoices/preview")),
    RouteModule("hubbooks.api.invoice_link_routes", (
        "/app/invoice-links", "/app/invoice-links/<object_type>/<object_id>/<realm_id>/<invoice_id>",
        "/app/qbo/<realm_id>/invoices")),
    RouteModule("hubbooks.api.invoice_settings_routes", ("/app/qbo/<realm_id>/invoicing-settings",)),
    RouteModule("hubbooks.api.sync_settings_routes", (
        "/app/qbo/<realm_id>/sync", "/app/qbo/<realm_id>/sync/<sync_object>",
        "/app/qbo/<realm_id>/sync/<sync_object>/behaviour", "/app/qbo/<realm_id>/sync/<sync_object>/catalogue",
        "/app/qbo/<realm_id>/sync/<sync_object>/mappings",
        "/app/qbo/<realm_id>/sync/<sync_object>/mappings/<mapping_id>",
        "/app/qbo/<realm_id>/sync/<sync_object>/mappings/restore-defaults", "/app/qbo/<realm_id>/item-accounts")),
    RouteModule("hubbooks.api.sync_run_routes", (
        "/app/qbo/<realm_id>/sync-backfill", "/app/qbo/<realm_id>/sync-health", "/app/qbo/<realm_id>/sync-health/retry",
        "/app/qbo/<realm_id>/sync/<sync_object>/decisions/<qbo_id>",
        "/app/qbo/<realm_id>/sync/<sync_object>/decisions/<qbo_id>/new-record")),
    RouteModule("hubbooks.api.finance_routes", (
        "/app/finance-roles", "/app/qbo/<realm_id>/invoices/<invoice_id>/send",
        "/app/qbo/<realm_id>/invoices/<invoice_id>/void", "/app/qbo/<realm_id>/reminder-settings")),
    RouteModule("hubbooks.api.approval_routes", (
        "/app/deals/<deal_id>/approval-requests", "/app/deals/<deal_id>/approval-requests/<request_id>/approve",
        "/app/deals/<deal_id>/approval-requests/<request_id>/reject",
        "/app/deals/<deal_id>/approval-requests/<request_id>/withdraw", "/app/qbo/<realm_id>/approval-settings")),
    RouteModule("hubbooks.api.admin_routes", ("/app/admins", "/app/admins/<user_id>")),
    RouteModule("hubbooks.api.owner_routes", ("/app/hubspot-owners",)),
    RouteModule("hubbooks.api.autolink_routes", (
        "/app/qbo/<realm_id>/autolink-backfill", "/app/qbo/<realm_id>/autolink-settings")),
)

app = http_api(health_routes.router, route_modules=ROUTE_MODULES)

OPENAPI_TITLE = "HubBooks app card API"
OPENAPI_VERSION = "1.0.0"


def openapi_document() -> str:
    """Generated from the routes; docs/openapi.json is a committed copy a test keeps identical."""
    from hubbooks.api.openapi_errors import add_error_responses  # only the document needs it

    generated = json.loads(app.get_openapi_json_schema(
        title=OPENAPI_TITLE, version=OPENAPI_VERSION,
        summary="Signed requests from the HubBooks app cards (hubspot.fetch)"))
    # Route modules register on first use, so the resolver's order follows the requests served so far: sort, so the
    # document is the same whatever this container answered before.
    generated["paths"] = dict(sorted(generated["paths"].items()))
    schemas = generated.get("components", {}).get("schemas")
    if schemas:
        generated["components"]["schemas"] = dict(sorted(schemas.items()))
    return json.dumps(add_error_responses(app, generated), indent=2)


@app.get("/openapi.json", include_in_schema=False)
def openapi_json():  # type: ignore[no-untyped-def]  # unannotated: the body is already JSON text
    return Response(status_code=200, content_type="application/json", body=openapi_document())


@lambda_entrypoint(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    register_lambda_context(context)  # a timed-out attempt's idempotency record expires with it
    return app.resolve(event, context)
