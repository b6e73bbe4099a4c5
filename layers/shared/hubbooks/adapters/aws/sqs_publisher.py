"""Sends pydantic messages to an SQS queue in SendMessageBatch calls (at most 10 entries and 256 KB each), several
calls in parallel, failing loudly on partial failure."""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from pydantic import BaseModel

_SQS_BATCH_LIMIT = 10
_SQS_BATCH_BYTES = 256 * 1024
_PARALLEL_CALLS = 4  # enough to acknowledge a large webhook delivery in well under a second


class SqsPublisher:
    def __init__(self, sqs_client: Any, queue_url: str) -> None:
        self._sqs = sqs_client
        self._queue_url = queue_url

    def send_all(self, messages: Iterable[BaseModel]) -> int:
        calls = list(_calls(message.model_dump_json() for message in messages))
        if len(calls) <= 1:
            return sum(self._send(call) for call in calls)
        with ThreadPoolExecutor(max_workers=min(_PARALLEL_CALLS, len(calls))) as pool:
            return sum(pool.map(self._send, calls))

    def _send(self, bodies: list[str]) -> int:
        entries = [{"Id": str(index), "MessageBody": body} for index, body in enumerate(bodies)]
        result = self._sqs.send_message_batch(QueueUrl=self._queue_url, Entries=entries)
        failed = result.get("Failed") or []
        if failed:
            reasons = ", ".join(f"{item.get('Code')}: {item.get('Message')}" for item in failed)
            raise RuntimeError(f"{len(failed)} of {len(bodies)} messages were not queued ({reasons})")
        return len(bodies)


def _calls(bodies: Iterable[str]) -> Iterable[list[str]]:
    call: list[str] = []
    size = 0
    for body in bodies:
        length = len(body.encode())
        if length > _SQS_BATCH_BYTES:
            raise ValueError(f"a queue message of {length} bytes exceeds SQS's {_SQS_BATCH_BYTES}-byte limit")
        if call and (len(call) == _SQS_BATCH_LIMIT or size + length > _SQS_BATCH_BYTES):
            yield call
            call, size = [], 0
        call.append(body)
        size += length
    if call:
        yield call
