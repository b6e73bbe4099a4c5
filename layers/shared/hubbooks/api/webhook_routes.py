"""Provider webhooks: check the signature, queue the delivery as a few batch messages, answer 200 fast.

Intuit asks for an answer within 3 s and never a 4xx for processing trouble, so all work happens in the worker.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.app_secrets import qbo_app_credentials
from hubbooks.adapters.aws.clients import aws_client
from hubbooks.adapters.aws.sqs_publisher import SqsPublisher
from hubbooks.api.errors import error_response
from hubbooks.api.hubspot_signature import SignatureRejected, raw_body_of
from hubbooks.api.request_guard import RouteAuthenticator
from hubbooks.api.signed_requests import check_hubspot_signature
from hubbooks.config import get_settings
from hubbooks.domain.errors import ConfigurationError, UnauthorizedRequestError
from hubbooks.domain.webhooks.batching import hubspot_batches, qbo_batches
from hubbooks.domain.webhooks.hubspot_payloads import parse_hubspot_webhook
from hubbooks.domain.webhooks.qbo_payloads import parse_qbo_webhook, verify_intuit_signature
from hubbooks.observability import logger, metrics

router = APIGatewayHttpRouter()
# Intuit and HubSpot send at most a few hundred KB (HubSpot batches up to 100 events); anything far larger is not
# theirs, so it is refused before any work is spent on it.
MAX_WEBHOOK_BODY_BYTES = 1024 * 1024


class IntuitSignedRoute(RouteAuthenticator):
    """QuickBooks webhooks: intuit-signature is an HMAC of the body under the app's verifier token."""

    __name__ = "require_intuit_signature"

    def authenticate(self, app: APIGatewayHttpResolver) -> Response | None:
        verifier_token = qbo_app_credentials().webhook_verifier_token
        if not verifier_token:
            raise ConfigurationError("The QboAppSecret secret has no webhook_verifier_token; copy it from the Intuit "
                                     "developer portal (Webhooks).")
        try:
            verify_intuit_signature(verifier_token, raw_body_of(app.current_event.raw_event),
                                    app.current_event.headers.get("intuit-signature"))
        except UnauthorizedRequestError as rejection:
            logger.warning("qbo webhook rejected", extra={"reason": rejection.message})
            return error_response(401, "unauthorized", "This webhook is not signed by our QuickBooks app.")
        return None


class HubSpotWebhookRoute(RouteAuthenticator):
    """HubSpot webhooks: the same v3 signature as app requests, without a user (the consumer dedupes eventIds)."""

    __name__ = "require_hubspot_webhook_signature"

    def authenticate(self, app: APIGatewayHttpResolver) -> Response | None:
        try:
            check_hubspot_signature(app.current_event.raw_event)
        except SignatureRejected as rejection:
            logger.warning("hubspot webhook rejected", extra={"reason": str(rejection)})
            return error_response(401, "unauthorized", "This webhook is not signed by our HubSpot app.")
        return None


@cache
def _publisher(queue_url: str) -> SqsPublisher:
    return SqsPublisher(aws_client("sqs"), queue_url)


def _queue() -> SqsPublisher:
    queue_url = get_settings().webhook_queue_url
    if not queue_url:
        raise ConfigurationError("WEBHOOK_QUEUE_URL is not set for the webhook receiver")
    return _publisher(queue_url)


@router.post("/webhooks/qbo", middlewares=[IntuitSignedRoute()])
def receive_qbo_webhook() -> dict[str, Any]:
    body = raw_body_of(router.current_event.raw_event)  # size, signature and JSON shape passed the request guard
    changes = parse_qbo_webhook(body)
    messages = _queue().send_all(qbo_batches(changes))
    metrics.add_metric(name="QboWebhookChanges", unit="Count", value=len(changes))
    logger.info("qbo webhook queued", extra={"changes": len(changes), "messages": messages})
    return {"received": len(changes)}


@router.post("/webhooks/hubspot", middlewares=[HubSpotWebhookRoute()])
def receive_hubspot_webhook() -> dict[str, Any]:
    body = raw_body_of(router.current_event.raw_event)  # size, signature and JSON shape passed the request guard
    events = parse_hubspot_webhook(body)
    _queue().send_all(hubspot_batches(events))
    metrics.add_metric(name="HubSpotWebhookEvents", unit="Count", value=len(events))
    return {"received": len(events)}
