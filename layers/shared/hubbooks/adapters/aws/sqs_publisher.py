"""Sends pydantic messages to an SQS queue, ten at a time (SQS's batch limit), failing loudly on partial failure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

_SQS_BATCH_LIMIT = 10


class SqsPublisher:
    def __init__(self, sqs_client: Any, queue_url: str) -> None:
        self._sqs = sqs_client
        self._queue_url = queue_url

    def send_all(self, messages: Iterable[BaseModel]) -> int:
        sent = 0
        batch: list[BaseModel] = []
        for message in messages:
            batch.append(message)
            if len(batch) == _SQS_BATCH_LIMIT:
                sent += self._send(batch)
                batch = []
        if batch:
            sent += self._send(batch)
        return sent

    def _send(self, batch: list[BaseModel]) -> int:
        entries = [{"Id": str(index), "MessageBody": message.model_dump_json()} for index, message in enumerate(batch)]
        result = self._sqs.send_message_batch(QueueUrl=self._queue_url, Entries=entries)
        failed = result.get("Failed") or []
        if failed:
            reasons = ", ".join(f"{item.get('Code')}: {item.get('Message')}" for item in failed)
            raise RuntimeError(f"{len(failed)} of {len(batch)} messages were not queued ({reasons})")
        return len(batch)
