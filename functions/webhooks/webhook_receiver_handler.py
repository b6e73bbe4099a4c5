"""HTTP API entry point for QuickBooks and HubSpot webhooks (verify, queue, acknowledge)."""

from __future__ import annotations

# First of all: importing hubbooks pauses the garbage collector in Lambda for the rest of the cold start (see
# hubbooks/__init__.py), so the libraries below load without collections too.
import hubbooks  # noqa: F401

# isort: split
from typing import Any

import boto3  # noqa: F401 - the libraries load at the top level (hubbooks/__init__.py)
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.api import webhook_routes
from hubbooks.api.resolver import http_api
from hubbooks.observability import lambda_entrypoint

# Webhook bodies are read raw (signatures cover the exact bytes), so no request-model validation here.
app = http_api(webhook_routes.router, validation=False, max_body_bytes=webhook_routes.MAX_WEBHOOK_BODY_BYTES)


@lambda_entrypoint(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
