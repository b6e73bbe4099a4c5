"""How many messages wait in the stack's dead-letter queues (SQS GetQueueAttributes; approximate, as SQS says)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hubbooks.models.sync_health import DeadLetterState


class SqsDeadLetters:
    def __init__(self, sqs_client: Any, queue_urls: Mapping[str, str | None]) -> None:
        self._sqs = sqs_client
        self._urls = {name: url for name, url in queue_urls.items() if url}

    def states(self) -> list[DeadLetterState]:
        states = []
        for name, url in self._urls.items():
            attributes = self._sqs.get_queue_attributes(QueueUrl=url, AttributeNames=[
                "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"])["Attributes"]
            waiting = int(attributes.get("ApproximateNumberOfMessages", 0)) + int(
                attributes.get("ApproximateNumberOfMessagesNotVisible", 0))
            states.append(DeadLetterState(queue=name, waiting=waiting))
        return states
