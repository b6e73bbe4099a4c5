"""SQS consumer for provider webhooks: each queued delivery batch is fanned out to the change engine (one read per
entity type, current state applied) and to the dispatcher; a batch queued twice is applied once."""

from __future__ import annotations

# First of all: importing hubbooks pauses the garbage collector in Lambda for the rest of the cold start (see
# hubbooks/__init__.py), so the libraries below load without collections too.
import hubbooks  # noqa: F401

# isort: split
import json
from typing import TYPE_CHECKING, Any

import boto3  # noqa: F401 - the libraries load at the top level (hubbooks/__init__.py)
import requests  # noqa: F401 - the libraries load at the top level (hubbooks/__init__.py)
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.adapters.aws import idempotency
from hubbooks.adapters.wiring import webhooks as webhook_wiring
from hubbooks.domain.webhooks.dispatch import WebhookDispatcher
from hubbooks.domain.webhooks.fan_out import apply_hubspot_batch, apply_qbo_batch
from hubbooks.domain.webhooks.reactions import build_dispatcher
from hubbooks.models.webhooks import MESSAGE_MODELS, HubSpotEvent, HubSpotEventBatch, QboChangeBatch, QboEntityChange
from hubbooks.observability import lambda_entrypoint, logger, metrics

if TYPE_CHECKING:
    from hubbooks.domain.sync.two_way import TwoWaySync

processor = BatchProcessor(event_type=EventType.SQS)


def dispatcher() -> WebhookDispatcher:
    return build_dispatcher(webhook_wiring.realm_portals, webhook_wiring.refresh_company_profile)


def _two_way() -> TwoWaySync:
    from hubbooks.adapters.wiring.two_way import two_way_sync  # only batches with contact/company/product events

    return two_way_sync(webhook_wiring.current_deadline())


def _batch(data: Any) -> QboChangeBatch | HubSpotEventBatch:
    """A queued message, validated by the model its `source` names: a QuickBooks batch builds only the QuickBooks
    models' validators. Messages queued by earlier versions held one change each."""
    model = MESSAGE_MODELS.get(str(data.get("source"))) if isinstance(data, dict) else None
    if model is None:
        raise ValueError(f"not a webhook message: its source must be one of {', '.join(MESSAGE_MODELS)}")
    message = model.model_validate(data)
    if isinstance(message, QboEntityChange):
        return QboChangeBatch(batch_id=message.event_id, realm_id=message.realm_id, changes=(message,))
    if isinstance(message, HubSpotEvent):
        return HubSpotEventBatch(batch_id=message.event_id, portal_id=message.portal_id, events=(message,))
    return message


@idempotency.idempotent(data_keyword_argument="batch", key_jmespath="[source, batch_id]")
def apply_batch(*, batch: dict[str, Any]) -> dict[str, str]:
    message = _batch(batch)
    if isinstance(message, HubSpotEventBatch):
        return {"outcome": apply_hubspot_batch(message, dispatcher=dispatcher(), two_way=_two_way)}
    engine = webhook_wiring.webhook_change_engine({change.entity for change in message.changes})
    outcome = apply_qbo_batch(message, realms=webhook_wiring.realm_portals(), engine=engine, dispatcher=dispatcher())
    return {"outcome": outcome}


def process_record(record: SQSRecord) -> None:
    batch = _batch(json.loads(record.body))
    result = apply_batch(batch=batch.model_dump(mode="json"))
    size = len(batch.changes) if isinstance(batch, QboChangeBatch) else len(batch.events)
    metrics.add_metric(name="WebhookChangesApplied", unit="Count", value=size)
    logger.info("webhook batch applied", extra={"batch_id": batch.batch_id, "changes": size, **result})


@lambda_entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    idempotency.register_lambda_context(context)
    webhook_wiring.use_lambda_context(context)
    return process_partial_response(event=event, record_handler=process_record, processor=processor, context=context)
