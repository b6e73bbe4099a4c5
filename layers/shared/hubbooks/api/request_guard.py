"""The gates every HTTP request passes, in this order, before a route does any work:

1. body over the size limit -> 413
2. the route's authentication (HubSpot's signature, Intuit's, our own preview link) -> 401 / 403
3. body that is not JSON (415 for another media type), or JSON nested deeper than any of our payloads -> 400
4. then Powertools' request validation -> 422

Powertools runs its request validation before every router and route middleware, so a route middleware alone would
let an unsigned caller learn our field names (422) or crash the parser with deep nesting (RecursionError, 500).
The guard therefore wraps the resolver's validation middleware, and also sits first among the global middlewares for
resolvers and routes without validation; it runs once per request either way.

A route asks for authentication by listing a `RouteAuthenticator` among its middlewares; the guard finds it on the
matched route and runs it here, and the middleware itself then only passes the request on.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware

from hubbooks.api.errors import error_response
from hubbooks.observability import logger

# Our largest legitimate payload is an invoice submission of a few hundred lines (tens of KB).
DEFAULT_MAX_BODY_BYTES = 256 * 1024
# Our own payloads nest at most five levels; 32 leaves room for providers' webhook shapes and stays far below
# the depth at which Python's parsers recurse out of stack.
MAX_JSON_DEPTH = 32

_GUARDED = "_hubbooks_guarded"
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"')  # possessive: linear time even on hostile input
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")


class RouteAuthenticator:
    """A route middleware that authenticates the request; the guard runs `authenticate` before any parsing."""

    __name__ = "RouteAuthenticator"
    # What a refused request gets, for the OpenAPI document (api/openapi_errors.py).
    refusal_status = 401
    refusal_content_type = "application/json"

    def authenticate(self, app: APIGatewayHttpResolver) -> Response | None:
        """None when the request may proceed, else the refusal to send."""
        raise NotImplementedError

    def __call__(self, app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
        if not app.context.get(_GUARDED):  # a resolver built without the guard must still authenticate
            refusal = self.authenticate(app)
            if refusal is not None:
                return refusal
        return next_middleware(app)


class BodyRejected(Exception):
    def __init__(self, status_code: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.code = code
        self.message = message


def bounded_body(event: dict[str, Any], max_bytes: int) -> bytes:
    """The raw body, refused (413) beyond max_bytes before anything large is decoded."""
    raw = event.get("body") or ""
    too_large = BodyRejected(413, "payload_too_large", f"Request bodies are limited to {max_bytes} bytes.")
    if len(raw) > max_bytes * 4 // 3 + 4:
        raise too_large
    if not event.get("isBase64Encoded"):
        body = raw.encode("utf-8", errors="surrogatepass") if isinstance(raw, str) else bytes(raw)
    else:
        try:
            body = base64.b64decode(raw, validate=True)
        except (binascii.Error, ValueError) as error:
            raise BodyRejected(400, "invalid_body", "The request body is not valid base64.") from error
    if len(body) > max_bytes:
        raise too_large
    return body


def json_nesting_depth(text: str) -> int:
    """How deeply arrays and objects nest, without recursing (brackets inside strings do not count)."""
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub('""', text))
    depth = deepest = 0
    for bracket in brackets:
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def check_json_body(body: bytes, content_type: str | None = None, max_depth: int = MAX_JSON_DEPTH) -> None:
    """Raise BodyRejected unless the body is empty or JSON (415 for another media type, 400 for bad JSON)."""
    if not body.strip():
        return
    media_type = (content_type or "application/json").split(";")[0].strip().lower()
    if media_type != "application/json" and not media_type.endswith("+json"):
        # Powertools would otherwise parse forms and multipart bodies, and fail (500) on malformed ones.
        raise BodyRejected(415, "unsupported_media_type", "Send the request body as JSON (application/json).")
    invalid = BodyRejected(400, "invalid_json", "The request body is not valid JSON; send a JSON object.")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise invalid from error
    if json_nesting_depth(text) > max_depth:
        raise BodyRejected(400, "invalid_json", f"The request body nests deeper than {max_depth} levels.")
    try:
        json.loads(text)
    except (ValueError, RecursionError) as error:
        raise invalid from error


def _authenticator_of(app: APIGatewayHttpResolver) -> RouteAuthenticator | None:
    route = app.context.get("_route")
    for middleware in getattr(route, "middlewares", None) or ():
        if isinstance(middleware, RouteAuthenticator):
            return middleware
    return None


class RequestGuard:
    """Middleware running the gates above; `inner` is the resolver's request validation, run after them."""

    __name__ = "RequestGuard"

    def __init__(self, max_body_bytes: int, inner: Any = None) -> None:
        self._max_body_bytes = max_body_bytes
        self._inner = inner

    def __call__(self, app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
        if not app.context.get(_GUARDED):
            refusal = self._refusal(app)
            if refusal is not None:
                return refusal
            app.append_context(**{_GUARDED: True})
        if self._inner is None:
            return next_middleware(app)
        return self._inner(app, next_middleware)

    def _refusal(self, app: APIGatewayHttpResolver) -> Response | None:
        event = app.current_event.raw_event
        try:
            body = bounded_body(event, self._max_body_bytes)
        except BodyRejected as rejected:
            return self._refuse(rejected)
        authenticator = _authenticator_of(app)
        if authenticator is not None:
            refusal = authenticator.authenticate(app)
            if refusal is not None:
                return refusal
        try:
            check_json_body(body, app.current_event.headers.get("content-type"))
        except BodyRejected as rejected:
            return self._refuse(rejected)
        return None

    @staticmethod
    def _refuse(rejected: BodyRejected) -> Response:
        logger.info("request body refused", extra={"status": rejected.status_code, "error_code": rejected.code})
        return error_response(rejected.status_code, rejected.code, rejected.message)


def install(app: APIGatewayHttpResolver, *, max_body_bytes: int = DEFAULT_MAX_BODY_BYTES) -> None:
    """Put the guard in front of the resolver's request validation (and of everything else)."""
    validation = getattr(app, "_request_validation_middleware", None)
    if validation is not None:
        # Powertools builds each route's stack from this attribute, request validation first.
        app._request_validation_middleware = RequestGuard(max_body_bytes, inner=validation)  # type: ignore[assignment]
    app.use([RequestGuard(max_body_bytes)])
