"""EventBridge Scheduler target: queue one job message per connected QuickBooks company."""

from __future__ import annotations

# First of all: importing hubbooks pauses the garbage collector in Lambda for the rest of the cold start (see
# hubbooks/__init__.py), so the libraries below load without collections too.
import hubbooks  # noqa: F401

# isort: split
from typing import Any

import boto3  # noqa: F401 - the libraries load at the top level (hubbooks/__init__.py)
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.aws.sqs_publisher import SqsPublisher
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.config import get_settings
from hubbooks.domain.errors import ConfigurationError
from hubbooks.domain.jobs.scheduling import fan_out
from hubbooks.models.jobs import ScheduledJobInput
from hubbooks.observability import lambda_entrypoint, logger, metrics


@lambda_entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    job = ScheduledJobInput.model_validate(event).job
    settings = get_settings()
    if not settings.sync_queue_url:
        raise ConfigurationError("SYNC_QUEUE_URL is not set for the scheduler function")
    summary = fan_out(job, DynamoConnectionStore(dynamodb_table(settings.app_table_name)).iter_connected(),
                      SqsPublisher(aws_client("sqs"), settings.sync_queue_url))
    metrics.add_metric(name="JobsEnqueued", unit="Count", value=summary.enqueued)
    logger.info("scheduled job fanned out", extra=summary.model_dump(mode="json"))
    return summary.model_dump(mode="json")
