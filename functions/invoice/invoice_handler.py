"""HTTP API entry point for the HubSpot app cards and settings page."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.adapters.aws.idempotency import register_lambda_context
from hubbooks.api import (
    app_context_routes,
    autolink_routes,
    finance_routes,
    health_routes,
    invoice_card_routes,
    invoice_create_routes,
    invoice_document_routes,
    invoice_link_routes,
    invoice_settings_routes,
    invoice_wizard_routes,
    sync_run_routes,
    sync_settings_routes,
)
from hubbooks.api.openapi_errors import add_error_responses
from hubbooks.api.resolver import http_api
from hubbooks.observability import lambda_entrypoint

app = http_api(health_routes.router, app_context_routes.router, invoice_card_routes.router,
               invoice_wizard_routes.router, invoice_create_routes.router, invoice_document_routes.router,
               invoice_link_routes.router, invoice_settings_routes.router,
               sync_settings_routes.router, sync_run_routes.router, finance_routes.router,
               autolink_routes.router)

OPENAPI_TITLE = "HubBooks app card API"
OPENAPI_VERSION = "1.0.0"


def openapi_document() -> str:
    """Generated from the routes; docs/openapi.json is a committed copy a test keeps identical."""
    generated = json.loads(app.get_openapi_json_schema(
        title=OPENAPI_TITLE, version=OPENAPI_VERSION,
        summary="Signed requests from the HubBooks app cards (hubspot.fetch)"))
    return json.dumps(add_error_responses(app, generated), indent=2)


@app.get("/openapi.json", include_in_schema=False)
def openapi_json():  # type: ignore[no-untyped-def]  # unannotated: the body is already JSON text
    return Response(status_code=200, content_type="application/json", body=openapi_document())


@lambda_entrypoint(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    register_lambda_context(context)  # a timed-out attempt's idempotency record expires with it
    return app.resolve(event, context)
