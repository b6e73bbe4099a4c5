"""Only requests HubSpot signed for our app get through; the portal and user come from the signed URL alone."""

from __future__ import annotations

import time
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.middlewares import NextMiddleware
from aws_lambda_powertools.event_handler.router import Router
from pydantic import ValidationError

from hubbooks.adapters.aws.app_secrets import hubspot_app_credentials
from hubbooks.api.errors import error_response
from hubbooks.api.hubspot_signature import SignatureRejected, public_url_of, raw_body_of, verify_v3
from hubbooks.config import get_settings
from hubbooks.models.identity import SignedIdentity
from hubbooks.observability import logger

_IDENTITY_KEY = "hubspot_identity"


def _identity_from(query: dict[str, str]) -> SignedIdentity:
    return SignedIdentity.model_validate({
        "portal_id": query.get("portalId"), "user_id": query.get("userId"),
        "user_email": query.get("userEmail") or None, "app_id": query.get("appId") or None,
    })


def check_hubspot_signature(event: dict[str, Any]) -> None:
    """Raise SignatureRejected unless HubSpot signed this exact request (v3) with our app's client secret."""
    headers = {key.lower(): value for key, value in (event.get("headers") or {}).items()}
    verify_v3(
        client_secret=hubspot_app_credentials().client_secret,
        method=event["requestContext"]["http"]["method"],
        uri=public_url_of(event),
        body=raw_body_of(event),
        timestamp=headers.get("x-hubspot-request-timestamp"),
        signature=headers.get("x-hubspot-signature-v3"),
        now_ms=int(time.time() * 1000),
        max_age_seconds=get_settings().signature_max_age_seconds,
    )


def require_hubspot_signature(app: APIGatewayHttpResolver, next_middleware: NextMiddleware) -> Response:
    settings = get_settings()
    try:
        check_hubspot_signature(app.current_event.raw_event)
    except SignatureRejected as rejection:
        logger.warning("signed request rejected", extra={"reason": str(rejection)})
        return error_response(401, "unauthorized", f"This request must come from the HubSpot app: {rejection}.")
    try:
        identity = _identity_from(app.current_event.query_string_parameters or {})
    except ValidationError:
        return error_response(401, "unauthorized", "The signed request does not name the HubSpot portal and user "
                                                   "(portalId and userId query parameters).")
    if settings.hubspot_app_id and identity.app_id is not None and str(identity.app_id) != settings.hubspot_app_id:
        return error_response(401, "unauthorized", "The request was signed for a different HubSpot app.")
    logger.append_keys(portal_id=identity.portal_id, user_id=identity.user_id)
    app.append_context(**{_IDENTITY_KEY: identity})
    return next_middleware(app)


def signed_identity(resolver: APIGatewayHttpResolver | Router) -> SignedIdentity:
    identity = resolver.context.get(_IDENTITY_KEY)
    if not isinstance(identity, SignedIdentity):
        raise RuntimeError("route is missing the require_hubspot_signature middleware")
    return identity
