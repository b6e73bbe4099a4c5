"""HTTP API entry point for the OAuth flows: HubSpot app install and QuickBooks connect/disconnect."""

from __future__ import annotations

# First of all: importing hubbooks pauses the garbage collector in Lambda for the rest of the cold start (see
# hubbooks/__init__.py), so the libraries below load without collections too.
import hubbooks  # noqa: F401

# isort: split
from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.api.resolver import http_api
from hubbooks.api.route_modules import RouteModule
from hubbooks.observability import lambda_entrypoint

# Each module loads with the first request for one of its paths: a cold start pays only for what it serves.
ROUTE_MODULES = (
    RouteModule("hubbooks.api.hubspot_install_routes", ("/oauth/hubspot/callback", "/oauth/hubspot/install")),
    RouteModule("hubbooks.api.qbo_connect_routes", (
        "/oauth/qbo/callback", "/oauth/qbo/connect", "/oauth/qbo/connect-link", "/oauth/qbo/connections",
        "/oauth/qbo/connections/<realm_id>")),
)

app = http_api(route_modules=ROUTE_MODULES)


@lambda_entrypoint(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
