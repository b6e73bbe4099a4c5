"""Only requests HubSpot signed for our app get through; the portal and user come from the signed URL alone."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.router import Router
from pydantic import ValidationError

from hubbooks.adapters.aws.app_secrets import hubspot_app_credentials
from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.used_signature_store import DynamoUsedSignatures
from hubbooks.api.errors import error_response
from hubbooks.api.hubspot_signature import SignatureRejected, public_url_of, raw_body_of, verify_v3
from hubbooks.api.request_guard import RouteAuthenticator
from hubbooks.config import get_settings
from hubbooks.domain.auth.replay import UsedSignatures, accept_once
from hubbooks.models.identity import SignedIdentity
from hubbooks.observability import logger

_IDENTITY_KEY = "hubspot_identity"
_NOT_FROM_HUBSPOT = "This request must come from the HubBooks app in HubSpot."


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


def used_signatures() -> UsedSignatures:
    return DynamoUsedSignatures(dynamodb_table(get_settings().app_table_name))


def _unauthorized(message: str = _NOT_FROM_HUBSPOT) -> Response:
    return error_response(401, "unauthorized", message)


class HubSpotSignedRoute(RouteAuthenticator):
    """Routes an app card or the settings page calls with hubspot.fetch: HubSpot's v3 signature, the portal and
    user it signed, and, for requests that change something, no second use of the same signature."""

    __name__ = "require_hubspot_signature"

    def authenticate(self, app: APIGatewayHttpResolver) -> Response | None:
        event = app.current_event.raw_event
        settings = get_settings()
        try:
            check_hubspot_signature(event)
        except SignatureRejected as rejection:
            # The reason concerns HubSpot's public signing scheme only: nothing about our routes or fields.
            logger.warning("signed request rejected", extra={"reason": str(rejection)})
            return _unauthorized(f"{_NOT_FROM_HUBSPOT[:-1]}: {rejection}.")
        try:
            identity = _identity_from(app.current_event.query_string_parameters or {})
        except ValidationError:
            return _unauthorized("The signed request does not name the HubSpot portal and user.")
        if settings.hubspot_app_id and identity.app_id is not None and str(identity.app_id) != settings.hubspot_app_id:
            return _unauthorized("The request was signed for a different HubSpot app.")
        headers = app.current_event.headers
        method = app.current_event.http_method
        first_use = accept_once(used_signatures(), method=method, signature=headers["x-hubspot-signature-v3"],
                                timestamp_ms=int(headers["x-hubspot-request-timestamp"]),
                                max_age_seconds=settings.signature_max_age_seconds, now=int(time.time()))
        if not first_use:
            logger.warning("replayed signed request refused", extra={"method": method})
            return _unauthorized("This signed request was already used; HubSpot signs every new request afresh.")
        logger.append_keys(portal_id=identity.portal_id, user_id=identity.user_id)
        app.append_context(**{_IDENTITY_KEY: identity})
        return None


# Typed as the plain middleware callable Powertools' route decorators expect (their lists are invariant).
require_hubspot_signature: Callable[..., Response] = HubSpotSignedRoute()


def signed_identity(resolver: APIGatewayHttpResolver | Router) -> SignedIdentity:
    identity = resolver.context.get(_IDENTITY_KEY)
    if not isinstance(identity, SignedIdentity):
        raise RuntimeError("route is missing the require_hubspot_signature middleware")
    return identity
