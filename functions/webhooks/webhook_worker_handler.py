"""SQS consumer for provider webhook changes: each change is applied once, even when delivered twice."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import TypeAdapter

from hubbooks.adapters.aws import idempotency
from hubbooks.adapters.wiring import webhooks as webhook_wiring
from hubbooks.domain.webhooks.dispatch import WebhookDispatcher
from hubbooks.domain.webhooks.reactions import build_dispatcher
from hubbooks.models.webhooks import WebhookMessage
from hubbooks.observability import lambda_entrypoint, logger, metrics

processor = BatchProcessor(event_type=EventType.SQS)


@cache
def _messages() -> TypeAdapter[Any]:
    """Built on the first message, not at import (a validator costs every cold start, used or not)."""
    return TypeAdapter(WebhookMessage)


@cache
def dispatcher() -> WebhookDispatcher:
    return build_dispatcher(webhook_wiring.live_status_ports, webhook_wiring.refresh_company_profile)


@idempotency.idempotent(data_keyword_argument="change", key_jmespath="[source, event_id]")
def apply_change(*, change: dict[str, Any]) -> dict[str, str]:
    outcome = dispatcher().dispatch(_messages().validate_python(change))
    return {"outcome": outcome}


def process_record(record: SQSRecord) -> None:
    change = _messages().validate_json(record.body)
    result = apply_change(change=change.model_dump(mode="json"))
    metrics.add_metric(name="WebhookChangesApplied", unit="Count", value=1)
    logger.info("webhook change applied", extra={"event_id": change.event_id, **result})


@lambda_entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    idempotency.register_lambda_context(context)
    webhook_wiring.use_lambda_context(context)
    return process_partial_response(event=event, record_handler=process_record, processor=processor, context=context)
