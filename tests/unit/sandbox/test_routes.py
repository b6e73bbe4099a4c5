"""Route matching picks API Gateway's most specific route and extracts path parameters."""

from __future__ import annotations

import pytest

from sandbox.cfn_template import load_template
from sandbox.gateway.routes import Route, match_route, routes_from_template

ROUTES = [
    Route("GET", "/items", "List"),
    Route("GET", "/items/{id}", "One"),
    Route("GET", "/items/special", "Special"),
    Route("ANY", "/items/{id}/{proxy+}", "Nested"),
    Route("DELETE", "/oauth/qbo/connections/{realmId}", "Disconnect"),
    Route("ANY", "/{proxy+}", "CatchAll"),
]


@pytest.mark.parametrize(("method", "path", "function", "params"), [
    ("GET", "/items", "List", {}),
    ("GET", "/items/", "List", {}),
    ("GET", "/items/42", "One", {"id": "42"}),
    ("GET", "/items/special", "Special", {}),
    ("GET", "/items/a%2Fb", "One", {"id": "a/b"}),
    ("POST", "/items/7/x/y", "Nested", {"id": "7", "proxy": "x/y"}),
    ("DELETE", "/oauth/qbo/connections/123", "Disconnect", {"realmId": "123"}),
    ("POST", "/items", "CatchAll", {"proxy": "items"}),
    ("GET", "/anything/else", "CatchAll", {"proxy": "anything/else"}),
])
def test_most_specific_route_wins(method: str, path: str, function: str, params: dict[str, str]) -> None:
    match = match_route(ROUTES, method, path)
    assert match is not None
    assert (match.route.function, match.path_parameters) == (function, params)


def test_no_route_no_match() -> None:
    routes = [Route("GET", "/a/{b}", "F"), Route("ANY", "/p/{proxy+}", "G")]
    assert match_route(routes, "POST", "/a/1") is None
    assert match_route(routes, "GET", "/a") is None
    assert match_route(routes, "GET", "/a/1/2") is None
    assert match_route(routes, "GET", "/p") is None  # a greedy parameter needs at least one segment


def test_routes_come_from_the_template() -> None:
    routes = {route.route_key: route.function for route in routes_from_template(load_template())}
    assert routes["GET /app/context"] == "InvoiceFunction"
    assert routes["DELETE /oauth/qbo/connections/{realmId}"] == "OAuthFunction"
    assert routes["POST /webhooks/hubspot"] == "WebhookReceiverFunction"
    assert not any(function.endswith("WorkerFunction") for function in routes.values())


def test_the_sandbox_registers_the_projects_active_webhook_subscriptions() -> None:
    from sandbox.project_webhooks import project_subscriptions

    subscriptions = project_subscriptions()
    assert {"subscriptionType": "object.propertyChange", "objectType": "contact", "propertyName": "email",
            "active": True} in subscriptions
    assert {s["objectType"] for s in subscriptions} == {"contact", "company", "product"}  # deal deletion is inactive
    assert all(s["active"] for s in subscriptions)
