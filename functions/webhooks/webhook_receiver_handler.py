"""HTTP API entry point for QuickBooks and HubSpot webhooks (verify, queue, acknowledge)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.api import errors, webhook_routes
from hubbooks.observability import lambda_entrypoint

app = APIGatewayHttpResolver()
app.include_router(webhook_routes.router)
errors.register(app)


@lambda_entrypoint(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
