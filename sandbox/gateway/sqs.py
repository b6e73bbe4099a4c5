"""SQS event source mappings: poll a queue in moto, deliver batches as Lambda SQS events, settle each message."""

from __future__ import annotations

import hashlib
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from sandbox.aws.provision import REGION, QueueInfo
from sandbox.gateway.invoker import Invoker
from sandbox.gateway.workers import InvocationResult
from sandbox.procs import log_line

RECEIVE_WAIT_S = 1  # short long-polls keep stop() responsive


def retry_delay_from_env() -> int:
    return int(os.environ.get("SANDBOX_SQS_RETRY_DELAY_SECONDS", "2"))


@dataclass(frozen=True)
class Mapping:
    function: str
    queue: QueueInfo
    batch_size: int
    batching_window_s: float
    report_batch_item_failures: bool
    enabled: bool = True


def mapping_from_event(function: str, props: dict[str, Any], queue: QueueInfo) -> Mapping:
    return Mapping(function=function, queue=queue, batch_size=int(props.get("BatchSize", 10)),
                   batching_window_s=float(props.get("MaximumBatchingWindowInSeconds", 0)),
                   report_batch_item_failures="ReportBatchItemFailures" in props.get("FunctionResponseTypes", []),
                   enabled=props.get("Enabled", True) not in (False, "false"))


def lambda_record(message: dict[str, Any], queue: QueueInfo) -> dict[str, Any]:
    """One message in the shape Lambda's SQS poller delivers it."""
    attributes = dict(message.get("Attributes", {}))
    message_attributes = {}
    for name, value in message.get("MessageAttributes", {}).items():
        message_attributes[name] = {"stringValue": value.get("StringValue"), "binaryValue": value.get("BinaryValue"),
                                    "stringListValues": value.get("StringListValues", []),
                                    "binaryListValues": value.get("BinaryListValues", []),
                                    "dataType": value.get("DataType")}
        message_attributes[name] = {k: v for k, v in message_attributes[name].items() if v is not None}
    record: dict[str, Any] = {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": attributes,
        "messageAttributes": message_attributes,
        "md5OfBody": message.get("MD5OfBody") or hashlib.md5(message["Body"].encode()).hexdigest(),
        "eventSource": "aws:sqs",
        "eventSourceARN": queue.arn,
        "awsRegion": REGION,
    }
    if message.get("MD5OfMessageAttributes"):
        record["md5OfMessageAttributes"] = message["MD5OfMessageAttributes"]
    return record


def failed_message_ids(result: InvocationResult, batch: list[dict[str, Any]], report_failures: bool) -> set[str]:
    """Which messages of the batch go back to the queue, by Lambda's rules."""
    all_ids = {message["MessageId"] for message in batch}
    if not result.ok:
        return all_ids
    if not report_failures:
        return set()
    response = result.result
    if response is None or response == "":
        return set()
    if not isinstance(response, dict):
        return all_ids
    failures = response.get("batchItemFailures")
    if failures is None or failures == []:
        return set()
    if not isinstance(failures, list):
        return all_ids
    failed = set()
    for failure in failures:
        identifier = failure.get("itemIdentifier") if isinstance(failure, dict) else None
        if not identifier or identifier not in all_ids:
            return all_ids  # an unknown or empty identifier fails the whole batch
        failed.add(identifier)
    return failed


class QueuePoller:
    """One event source mapping, served by a few poller threads (Lambda scales pollers the same way)."""

    def __init__(self, mapping: Mapping, invoker: Invoker, sqs_client: Any, *, pollers: int = 1,
                 retry_delay_s: int | None = None) -> None:
        self.mapping = mapping
        self._invoker = invoker
        self._sqs = sqs_client
        self._retry_delay_s = retry_delay_from_env() if retry_delay_s is None else retry_delay_s
        self._stop = threading.Event()
        self._in_flight = 0
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, name=f"sqs-{mapping.function}-{i}", daemon=True)
                         for i in range(max(1, pollers))]

    @property
    def in_flight(self) -> int:
        with self._lock:
            return self._in_flight

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(timeout=max(deadline - time.monotonic(), 0.1))

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                batch = self._receive_batch()
                if batch:
                    self._deliver(batch)
            except Exception as exc:
                if self._stop.is_set():
                    return
                log_line(f"sqs:{self.mapping.queue.name}", f"poll failed: {exc}")
                self._stop.wait(1)

    def _receive(self, count: int, wait_s: int) -> list[dict[str, Any]]:
        response = self._sqs.receive_message(
            QueueUrl=self.mapping.queue.url, MaxNumberOfMessages=min(count, 10), WaitTimeSeconds=wait_s,
            AttributeNames=["All"], MessageSystemAttributeNames=["All"], MessageAttributeNames=["All"])
        messages: list[dict[str, Any]] = response.get("Messages", [])
        return messages

    def _receive_batch(self) -> list[dict[str, Any]]:
        batch = self._receive(self.mapping.batch_size, RECEIVE_WAIT_S)
        if not batch:
            return batch
        # Received messages count as in flight in SQS itself; this counter adds the settling that follows.
        with self._lock:
            self._in_flight += 1
        try:
            if self.mapping.batching_window_s > 0:
                window_ends = time.monotonic() + self.mapping.batching_window_s
                while len(batch) < self.mapping.batch_size and time.monotonic() < window_ends:
                    more = self._receive(self.mapping.batch_size - len(batch), 0)
                    if not more:
                        self._stop.wait(0.1)
                    batch.extend(more)
            while self.mapping.batching_window_s == 0 and len(batch) < self.mapping.batch_size:
                more = self._receive(self.mapping.batch_size - len(batch), 0)
                if not more:
                    break
                batch.extend(more)
        except BaseException:
            self._done()
            raise
        return batch

    def _done(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _deliver(self, batch: list[dict[str, Any]]) -> None:
        try:
            event = {"Records": [lambda_record(message, self.mapping.queue) for message in batch]}
            result = self._invoker.invoke(self.mapping.function, event, trigger="sqs", source=self.mapping.queue.name)
            failed = failed_message_ids(result, batch, self.mapping.report_batch_item_failures)
            self._invoker.annotate_last(result.request_id, {"records": len(batch), "failed": len(failed)})
            self._settle(batch, failed)
        finally:
            self._done()

    def _settle(self, batch: list[dict[str, Any]], failed: set[str]) -> None:
        succeeded = [m for m in batch if m["MessageId"] not in failed]
        for start in range(0, len(succeeded), 10):
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                       for i, m in enumerate(succeeded[start:start + 10])]
            self._sqs.delete_message_batch(QueueUrl=self.mapping.queue.url, Entries=entries)
        # A failed message would wait out the whole visibility timeout; shortening it keeps the sandbox quick while
        # moto still counts receives and moves it to the DLQ after maxReceiveCount.
        retry = [m for m in batch if m["MessageId"] in failed]
        for start in range(0, len(retry), 10):
            entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"], "VisibilityTimeout": self._retry_delay_s}
                       for i, m in enumerate(retry[start:start + 10])]
            self._sqs.change_message_visibility_batch(QueueUrl=self.mapping.queue.url, Entries=entries)


def queue_depth(sqs_client: Any, queue: QueueInfo) -> dict[str, int]:
    names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
             "ApproximateNumberOfMessagesDelayed"]
    attributes = sqs_client.get_queue_attributes(QueueUrl=queue.url, AttributeNames=names)["Attributes"]
    return {"visible": int(attributes.get(names[0], 0)), "in_flight": int(attributes.get(names[1], 0)),
            "delayed": int(attributes.get(names[2], 0))}
