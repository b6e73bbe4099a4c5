"""Provider webhooks: check the signature, queue the delivery as a few batch messages, answer 200 fast.

Intuit asks for an answer within 3 s and never a 4xx for processing trouble, so all work happens in the worker.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.app_secrets import qbo_app_credentials
from hubbooks.adapters.aws.clients import aws_client
from hubbooks.adapters.aws.sqs_publisher import SqsPublisher
from hubbooks.api.hubspot_signature import SignatureRejected, raw_body_of
from hubbooks.api.signed_requests import check_hubspot_signature
from hubbooks.config import get_settings
from hubbooks.domain.errors import ConfigurationError, PayloadTooLargeError, UnauthorizedRequestError
from hubbooks.domain.webhooks.batching import hubspot_batches, qbo_batches
from hubbooks.domain.webhooks.hubspot_payloads import parse_hubspot_webhook
from hubbooks.domain.webhooks.qbo_payloads import parse_qbo_webhook, verify_intuit_signature
from hubbooks.observability import logger, metrics

router = APIGatewayHttpRouter()
# Intuit and HubSpot send at most a few hundred KB (HubSpot batches up to 100 events); anything far larger is not
# theirs, so it is refused before any work is spent on it.
MAX_WEBHOOK_BODY_BYTES = 1024 * 1024


def _bounded_body(event: dict[str, Any]) -> bytes:
    raw = event.get("body") or ""
    if len(raw) > MAX_WEBHOOK_BODY_BYTES * 4 // 3 + 4:  # cheap bound before base64-decoding anything
        raise PayloadTooLargeError(f"Webhook bodies are limited to {MAX_WEBHOOK_BODY_BYTES} bytes.")
    body = raw_body_of(event)
    if len(body) > MAX_WEBHOOK_BODY_BYTES:
        raise PayloadTooLargeError(f"Webhook bodies are limited to {MAX_WEBHOOK_BODY_BYTES} bytes.")
    return body


@cache
def _publisher(queue_url: str) -> SqsPublisher:
    return SqsPublisher(aws_client("sqs"), queue_url)


def _queue() -> SqsPublisher:
    queue_url = get_settings().webhook_queue_url
    if not queue_url:
        raise ConfigurationError("WEBHOOK_QUEUE_URL is not set for the webhook receiver")
    return _publisher(queue_url)


@router.post("/webhooks/qbo")
def receive_qbo_webhook() -> dict[str, Any]:
    event = router.current_event.raw_event
    body = _bounded_body(event)
    verifier_token = qbo_app_credentials().webhook_verifier_token
    if not verifier_token:
        raise ConfigurationError("The QboAppSecret secret has no webhook_verifier_token; copy it from the Intuit "
                                 "developer portal (Webhooks).")
    verify_intuit_signature(verifier_token, body, router.current_event.headers.get("intuit-signature"))
    changes = parse_qbo_webhook(body)
    messages = _queue().send_all(qbo_batches(changes))
    metrics.add_metric(name="QboWebhookChanges", unit="Count", value=len(changes))
    logger.info("qbo webhook queued", extra={"changes": len(changes), "messages": messages})
    return {"received": len(changes)}


@router.post("/webhooks/hubspot")
def receive_hubspot_webhook() -> dict[str, Any]:
    event = router.current_event.raw_event
    body = _bounded_body(event)
    try:
        check_hubspot_signature(event)
    except SignatureRejected as rejection:
        raise UnauthorizedRequestError(f"This webhook is not signed by our HubSpot app: {rejection}.") from rejection
    events = parse_hubspot_webhook(body)
    _queue().send_all(hubspot_batches(events))
    metrics.add_metric(name="HubSpotWebhookEvents", unit="Count", value=len(events))
    return {"received": len(events)}
