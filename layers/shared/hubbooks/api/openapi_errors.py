"""The error answers of every route, added to the OpenAPI document Powertools generates (which knows only 200 and
its own 422 shape). One error shape everywhere: {"error": <stable code>, "message": <what to do>, "details"?}."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

from hubbooks.api.request_guard import RouteAuthenticator

ERROR_SCHEMA_NAME = "ErrorResponse"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object", "title": ERROR_SCHEMA_NAME, "required": ["error", "message"],
    "properties": {
        "error": {"type": "string", "description": "A stable code, e.g. invalid_request or qbo_not_connected"},
        "message": {"type": "string", "description": "What went wrong and what to do, in words"},
        "details": {"type": "object", "description": "For invalid requests: the fields to fix"},
    },
}

# Why each status can happen, whatever the route.
_EVERY_ROUTE = {
    400: "The body is not JSON, or nests too deeply",
    413: "The body is over the size limit",
    415: "The body is not sent as application/json",
    422: "A parameter or body field is invalid; details.fields names each",
    429: "Too many requests (API Gateway throttling)",
    503: "A provider is slow or limiting us, or the service is busy: try again in a minute",
}
_DOING_WORK = {
    403: "QuickBooks or HubSpot does not allow this for the connected company or user",
    404: "The record or the connected company does not exist for this HubSpot account",
    409: "The state does not allow this now (not connected, being created, changed meanwhile)",
    502: "QuickBooks or HubSpot answered with an error",
}
_PUBLIC_PATHS = frozenset({"/health"})


def _json_error(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA_NAME}"}}}}


def _authenticator(route: Any) -> RouteAuthenticator | None:
    return next((m for m in route.middlewares if isinstance(m, RouteAuthenticator)), None)


def _errors_for(route: Any) -> dict[str, Any]:
    reasons = dict(_EVERY_ROUTE)
    if route.openapi_path not in _PUBLIC_PATHS:
        reasons.update(_DOING_WORK)
    answers = {str(status): _json_error(f"{HTTPStatus(status).phrase}: {why}") for status, why in reasons.items()}
    authenticator = _authenticator(route)
    if authenticator is not None:
        status = authenticator.refusal_status
        why = (f"{HTTPStatus(status).phrase}: the request's signature (or preview link) is missing, wrong, expired "
               "or already used")
        refusal = _json_error(why)
        if authenticator.refusal_content_type != "application/json":  # a page; the route's own errors stay JSON
            refusal["content"][authenticator.refusal_content_type] = {"schema": {"type": "string"}}
            if str(status) in answers:
                refusal["description"] = f"{answers[str(status)]['description']}; or a page: {why}"
        answers[str(status)] = refusal
    return answers


def add_error_responses(app: APIGatewayHttpResolver, document: dict[str, Any]) -> dict[str, Any]:
    routes = [route for route in app._static_routes + app._dynamic_routes if route.include_in_schema]
    for route in routes:
        operation = document["paths"][route.openapi_path][route.method.lower()]
        operation["responses"] = {**operation["responses"], **_errors_for(route)}
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_SCHEMA_NAME] = ERROR_SCHEMA
    for unused in ("HTTPValidationError", "ValidationError"):  # Powertools' 422 shape, which we never send
        schemas.pop(unused, None)
    return document
