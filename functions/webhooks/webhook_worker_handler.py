"""SQS consumer for provider webhooks: each queued delivery batch is fanned out to the change engine (one read per
entity type, current state applied) and to the dispatcher; a batch queued twice is applied once."""

from __future__ import annotations

# First of all: importing hubbooks pauses the garbage collector in Lambda for the rest of the cold start (see
# hubbooks/__init__.py), so the libraries below load without collections too.
import hubbooks  # noqa: F401

# isort: split
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter

from hubbooks.adapters.aws import idempotency
from hubbooks.adapters.wiring import webhooks as webhook_wiring
from hubbooks.domain.webhooks.dispatch import WebhookDispatcher
from hubbooks.domain.webhooks.fan_out import apply_hubspot_batch, apply_qbo_batch
from hubbooks.domain.webhooks.reactions import build_dispatcher
from hubbooks.models.webhooks import HubSpotEvent, HubSpotEventBatch, QboChangeBatch, QboEntityChange, WebhookMessage
from hubbooks.observability import lambda_entrypoint, logger, metrics

if TYPE_CHECKING:
    from hubbooks.domain.sync.two_way import TwoWaySync

processor = BatchProcessor(event_type=EventType.SQS)


@cache
def _messages() -> TypeAdapter[Any]:
    """Built on the first message, not at import (a validator costs every cold start, used or not)."""
    return TypeAdapter(WebhookMessage)


def dispatcher() -> WebhookDispatcher:
    return build_dispatcher(webhook_wiring.live_status_ports, webhook_wiring.refresh_company_profile)


def _two_way() -> TwoWaySync:
    from hubbooks.adapters.wiring.two_way import two_way_sync  # only batches with contact/company/product events

    return two_way_sync(webhook_wiring.current_deadline())


def _as_batch(message: Any) -> QboChangeBatch | HubSpotEventBatch:
    """Messages queued by earlier versions held one change each."""
    if isinstance(message, QboEntityChange):
        return QboChangeBatch(batch_id=message.event_id, realm_id=message.realm_id, changes=(message,))
    if isinstance(message, HubSpotEvent):
        return HubSpotEventBatch(batch_id=message.event_id, portal_id=message.portal_id, events=(message,))
    return message


@idempotency.idempotent(data_keyword_argument="batch", key_jmespath="[source, batch_id]")
def apply_batch(*, batch: dict[str, Any]) -> dict[str, str]:
    message = _messages().validate_python(batch)
    if isinstance(message, HubSpotEventBatch):
        return {"outcome": apply_hubspot_batch(message, dispatcher=dispatcher(), two_way=_two_way)}
    ports = webhook_wiring.live_status_ports()
    engine = webhook_wiring.webhook_change_engine(ports, {change.entity for change in message.changes})
    outcome = apply_qbo_batch(message, realms=ports.realms, engine=engine, dispatcher=dispatcher())
    return {"outcome": outcome}


def process_record(record: SQSRecord) -> None:
    batch = _as_batch(_messages().validate_json(record.body))
    result = apply_batch(batch=batch.model_dump(mode="json"))
    size = len(batch.changes) if isinstance(batch, QboChangeBatch) else len(batch.events)
    metrics.add_metric(name="WebhookChangesApplied", unit="Count", value=size)
    logger.info("webhook batch applied", extra={"batch_id": batch.batch_id, "changes": size, **result})


@lambda_entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    idempotency.register_lambda_context(context)
    webhook_wiring.use_lambda_context(context)
    return process_partial_response(event=event, record_handler=process_record, processor=processor, context=context)
