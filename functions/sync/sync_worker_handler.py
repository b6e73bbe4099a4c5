"""SQS consumer: runs one scheduled job, or one page of a backfill (contacts and products, or invoices), for one
company per message; failed messages alone are retried."""

from __future__ import annotations

# First of all: importing hubbooks pauses the garbage collector in Lambda for the rest of the cold start (see
# hubbooks/__init__.py), so the libraries below load without collections too.
import hubbooks  # noqa: F401

# isort: split
import json
from typing import Any

import boto3  # noqa: F401 - the libraries load at the top level (hubbooks/__init__.py)
import requests  # noqa: F401 - the libraries load at the top level (hubbooks/__init__.py)
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from aws_lambda_powertools.utilities.typing import LambdaContext

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.job_run_store import DynamoJobRunStore
from hubbooks.adapters.wiring import invocation as invocation_wiring
from hubbooks.adapters.wiring.jobs import stack_runners
from hubbooks.config import get_settings
from hubbooks.domain.jobs.scheduling import run_job
from hubbooks.models.jobs import JobMessage
from hubbooks.observability import lambda_entrypoint, logger, metrics

processor = BatchProcessor(event_type=EventType.SQS)


def process_record(record: SQSRecord) -> None:
    # Each kind of message loads its own code when one arrives: a scheduled job does not pay for the backfills.
    job = json.loads(record.body).get("job")
    if job == "autolink_page":
        from hubbooks.adapters.wiring.autolink_backfill import autolink_backfill
        from hubbooks.models.autolink import AutoLinkStep

        autolink_step = AutoLinkStep.model_validate_json(record.body)
        outcome = autolink_backfill(invocation_wiring.current_deadline()).step(autolink_step)
        metrics.add_metric(name="InvoiceBackfillPagesRun", unit="Count", value=1)
        logger.info("invoice backfill page ran", extra={"run_id": autolink_step.run_id, "outcome": outcome,
                                                        "portal_id": autolink_step.portal_id,
                                                        "realm_id": autolink_step.realm_id})
        return
    if job == "backfill_page":
        from hubbooks.adapters.wiring.sync import backfill_service
        from hubbooks.models.jobs import BackfillStep

        step = BackfillStep.model_validate_json(record.body)
        outcome = backfill_service(invocation_wiring.current_deadline()).step(step)
        metrics.add_metric(name="BackfillPagesRun", unit="Count", value=1)
        logger.info("backfill page ran", extra={"run_id": step.run_id, "portal_id": step.portal_id,
                                                "realm_id": step.realm_id, "outcome": outcome})
        return
    message = JobMessage.model_validate_json(record.body)
    table = dynamodb_table(get_settings().app_table_name)
    run = run_job(message, stack_runners(table, kinds=(message.job,)), DynamoJobRunStore(table))
    metrics.add_metric(name="JobsRun", unit="Count", value=1)
    logger.info("job ran", extra=run.model_dump(mode="json"))


@lambda_entrypoint()
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    invocation_wiring.use_lambda_context(context)  # clients stop retrying before this invocation runs out of time
    return process_partial_response(event=event, record_handler=process_record, processor=processor, context=context)
