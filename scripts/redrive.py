"""Move dead-lettered messages back to the queue they came from: `make redrive QUEUE=webhook [STACK=hubbooks-dev]`.

    python -m scripts.redrive --queue webhook|sync [--stack NAME] [--method move-task|copy] [--dry-run]

`move-task` (the default) asks SQS to do it (StartMessageMoveTask with no destination: messages go back to their
source queue) and waits for the task to finish. `copy` receives, re-sends and deletes the messages itself; it is for
emulators without message-move tasks (moto, the local sandbox: `--endpoint-url http://127.0.0.1:4566`).
Re-driving is safe: every change is applied from QuickBooks' current state and writes are idempotent, so a message
whose work the reconciliation already did changes nothing. The schedule dead-letter queue has no source queue (its
messages are EventBridge Scheduler's failed starts): fire the schedule again instead.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

QUEUES = {"webhook": "WebhookDeadLetterQueue", "sync": "SyncDeadLetterQueue"}
POLL_SECONDS = 2.0


@dataclass(frozen=True)
class Redrive:
    dead_letter_url: str
    moved: int
    method: str
    detail: str


def dead_letter_queue_url(cloudformation: Any, stack: str, queue: str) -> str:
    """The physical queue URL of the stack's dead-letter queue (AWS::SQS::Queue's physical id is its URL)."""
    if queue not in QUEUES:
        raise SystemExit(f"QUEUE must be one of {', '.join(QUEUES)} (got {queue!r}); the schedule dead-letter queue "
                         "has no source queue to re-drive to: fire the schedule again instead.")
    resource = cloudformation.describe_stack_resource(StackName=stack, LogicalResourceId=QUEUES[queue])
    return str(resource["StackResourceDetail"]["PhysicalResourceId"])


def _arn(sqs: Any, queue_url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def waiting(sqs: Any, queue_url: str) -> int:
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attributes["Attributes"]["ApproximateNumberOfMessages"])


def move_task(sqs: Any, dead_letter_url: str, *, timeout_s: float = 900,
              sleep: Callable[[float], None] = time.sleep) -> Redrive:
    """StartMessageMoveTask back to the source queue(s), then wait until SQS reports the task finished."""
    arn = _arn(sqs, dead_letter_url)
    handle = sqs.start_message_move_task(SourceArn=arn)["TaskHandle"]
    waited = 0.0
    while True:
        tasks = sqs.list_message_move_tasks(SourceArn=arn, MaxResults=10).get("Results", [])
        task = next((t for t in tasks if t.get("TaskHandle") == handle), tasks[0] if tasks else {})
        status = task.get("Status", "UNKNOWN")
        if status in ("COMPLETED", "FAILED", "CANCELLED"):
            moved = int(task.get("ApproximateNumberOfMessagesMoved", 0))
            if status != "COMPLETED":
                raise RuntimeError(f"the message-move task ended {status}: {task.get('FailureReason', 'no reason')}")
            return Redrive(dead_letter_url, moved, "move-task", f"task {handle} completed")
        if waited >= timeout_s:
            raise RuntimeError(f"the message-move task is still {status} after {timeout_s:.0f}s; it keeps running "
                               "in SQS (list it with `aws sqs list-message-move-tasks`)")
        sleep(POLL_SECONDS)
        waited += POLL_SECONDS


def copy_back(sqs: Any, dead_letter_url: str) -> Redrive:
    """Receive, send to the source queue, delete: message by message, so nothing is lost if it stops halfway (a
    message sent but not yet deleted is sent again, which the idempotent worker tolerates)."""
    sources = sqs.list_dead_letter_source_queues(QueueUrl=dead_letter_url).get("queueUrls", [])
    if len(sources) != 1:
        raise RuntimeError(f"expected exactly one queue dead-lettering into {dead_letter_url}, found {sources}")
    moved = 0
    while batch := sqs.receive_message(QueueUrl=dead_letter_url, MaxNumberOfMessages=10, WaitTimeSeconds=0,
                                       VisibilityTimeout=60).get("Messages", []):
        for message in batch:
            sqs.send_message(QueueUrl=sources[0], MessageBody=message["Body"])
            sqs.delete_message(QueueUrl=dead_letter_url, ReceiptHandle=message["ReceiptHandle"])
            moved += 1
    return Redrive(dead_letter_url, moved, "copy", f"moved to {sources[0]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queue", required=True, choices=sorted(QUEUES))
    parser.add_argument("--stack", default="hubbooks-dev", help="the CloudFormation stack (samconfig.toml's name)")
    parser.add_argument("--queue-url", help="the dead-letter queue's URL, instead of looking it up in the stack")
    parser.add_argument("--method", choices=("move-task", "copy"), default="move-task")
    parser.add_argument("--endpoint-url", help="an AWS emulator, e.g. the sandbox's moto server")
    parser.add_argument("--dry-run", action="store_true", help="only say how many messages wait")
    args = parser.parse_args(argv)
    session = boto3.Session()
    sqs = session.client("sqs", endpoint_url=args.endpoint_url)
    url = args.queue_url or dead_letter_queue_url(
        session.client("cloudformation", endpoint_url=args.endpoint_url), args.stack, args.queue)
    count = waiting(sqs, url)
    print(f"{count} message(s) wait in {url}")
    if args.dry_run or count == 0:
        return 0
    result = move_task(sqs, url) if args.method == "move-task" else copy_back(sqs, url)
    print(f"re-drove {result.moved} message(s) by {result.method}: {result.detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
