"""Builds an HTTP API function's resolver: its routers, the request guard (size, authentication, JSON shape, in
that order, before validation) and the one error map (which must sit on the resolver)."""

from __future__ import annotations

from collections.abc import Sequence

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api import errors, request_guard
from hubbooks.api.route_modules import LazyRoutesResolver, RouteModule


def http_api(*routers: APIGatewayHttpRouter, route_modules: Sequence[RouteModule] = (), validation: bool = True,
             max_body_bytes: int = request_guard.DEFAULT_MAX_BODY_BYTES) -> LazyRoutesResolver:
    """`routers` are included now; `route_modules` on the first request for one of their paths (route_modules.py)."""
    app = LazyRoutesResolver(route_modules=route_modules, enable_validation=validation)
    request_guard.install(app, max_body_bytes=max_body_bytes)
    for router in routers:
        app.include_router(router)
    errors.register(app)
    return app
