"""One map from exceptions to HTTP answers: a stable code, a message that says what to fix, no upstream internals."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response, content_types
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from hubbooks.api.field_errors import field_problem
from hubbooks.domain.errors import HubBooksError
from hubbooks.observability import logger


def error_response(status_code: int, code: str, message: str, details: Any = None) -> Response:
    body: dict[str, Any] = {"error": code, "message": message}
    if details is not None:
        body["details"] = details
    return Response(status_code=status_code, content_type=content_types.APPLICATION_JSON, body=body)


def _field_problem(item: dict[str, Any]) -> dict[str, str]:
    if item.get("type") == "json_invalid":  # Powertools puts the parser's character offset where a field goes
        return {"field": "body", "message": "The request body is not valid JSON; send a JSON object"}
    return field_problem(item)


def register(app: APIGatewayHttpResolver) -> None:
    """Attach the handlers to the resolver that resolves (router-level handlers are not consulted)."""

    @app.exception_handler(HubBooksError)
    def handle_domain_error(error: HubBooksError) -> Response:
        log = logger.error if error.status_code >= 500 else logger.info
        log("request failed", extra={"error_code": error.code, "status": error.status_code})
        return error_response(error.status_code, error.code, error.message, error.details)

    @app.not_found
    def handle_unknown_route(_: Exception) -> Response:
        return error_response(404, "not_found", "There is no such address in this API; check the path and method.")

    @app.exception_handler(RequestValidationError)
    def handle_validation_error(error: RequestValidationError) -> Response:
        fields = [_field_problem(item) for item in error.errors()]
        logger.info("request validation failed", extra={"fields": fields})
        summary = " ".join(item["message"] for item in fields) or "The request is not valid."
        return error_response(422, "invalid_request", f"Please fix the following: {summary}", {"fields": fields})
