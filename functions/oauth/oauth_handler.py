"""HTTP API entry point for the OAuth flows: HubSpot app install and QuickBooks connect/disconnect."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.api import hubspot_install_routes, qbo_connect_routes
from hubbooks.api.resolver import http_api
from hubbooks.observability import lambda_entrypoint

app = http_api(hubspot_install_routes.router, qbo_connect_routes.router)


@lambda_entrypoint(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
