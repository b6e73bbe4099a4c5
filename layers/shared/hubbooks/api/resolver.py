"""Builds an HTTP API function's resolver: its routers plus the one error map (which must sit on the resolver)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api import errors


def http_api(*routers: APIGatewayHttpRouter, validation: bool = True) -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=validation)
    for router in routers:
        app.include_router(router)
    errors.register(app)
    return app
