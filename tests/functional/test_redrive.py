"""The re-drive command: StartMessageMoveTask (moto 5.2.5 does not implement it, so botocore's Stubber stands in for
SQS) and the copy method on moto, end to end from a real redrive policy."""

from __future__ import annotations

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from scripts import redrive

DLQ_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/WebhookDLQ"
DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:WebhookDLQ"


def test_move_task_starts_sqs_task_back_to_the_source_and_waits_for_it() -> None:
    sqs = boto3.client("sqs", region_name="us-east-1")
    with Stubber(sqs) as stub:
        stub.add_response("get_queue_attributes", {"Attributes": {"QueueArn": DLQ_ARN}},
                          {"QueueUrl": DLQ_URL, "AttributeNames": ["QueueArn"]})
        stub.add_response("start_message_move_task", {"TaskHandle": "h-1"}, {"SourceArn": DLQ_ARN})
        stub.add_response("list_message_move_tasks", {"Results": [{"TaskHandle": "h-1", "Status": "RUNNING"}]},
                          {"SourceArn": DLQ_ARN, "MaxResults": 10})
        stub.add_response("list_message_move_tasks", {"Results": [
            {"TaskHandle": "h-1", "Status": "COMPLETED", "ApproximateNumberOfMessagesMoved": 7}]},
            {"SourceArn": DLQ_ARN, "MaxResults": 10})
        result = redrive.move_task(sqs, DLQ_URL, sleep=lambda _s: None)
        stub.assert_no_pending_responses()
    assert result.moved == 7 and result.method == "move-task"


def test_a_failed_move_task_is_reported() -> None:
    sqs = boto3.client("sqs", region_name="us-east-1")
    with Stubber(sqs) as stub:
        stub.add_response("get_queue_attributes", {"Attributes": {"QueueArn": DLQ_ARN}})
        stub.add_response("start_message_move_task", {"TaskHandle": "h-2"})
        stub.add_response("list_message_move_tasks", {"Results": [
            {"TaskHandle": "h-2", "Status": "FAILED", "FailureReason": "AccessDenied"}]})
        with pytest.raises(RuntimeError, match="FAILED: AccessDenied"):
            redrive.move_task(sqs, DLQ_URL, sleep=lambda _s: None)


def test_copy_moves_every_dead_letter_back_to_its_source_queue() -> None:
    with mock_aws():
        sqs = boto3.client("sqs", region_name="us-east-1")
        dlq = sqs.create_queue(QueueName="dlq")["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        source = sqs.create_queue(QueueName="work", Attributes={
            "RedrivePolicy": f'{{"deadLetterTargetArn": "{arn}", "maxReceiveCount": "1"}}'})["QueueUrl"]
        for n in range(13):
            sqs.send_message(QueueUrl=dlq, MessageBody=f"m{n}")
        result = redrive.copy_back(sqs, dlq)
        assert result.moved == 13 and redrive.waiting(sqs, dlq) == 0 and redrive.waiting(sqs, source) == 13


def test_the_schedule_queue_is_refused_with_what_to_do_instead() -> None:
    with pytest.raises(SystemExit, match="fire the schedule again"):
        redrive.dead_letter_queue_url(object(), "stack", "schedule")
