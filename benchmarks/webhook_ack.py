"""Webhook acknowledgement time: a signed QuickBooks delivery of N events through the local gateway.

    python -m benchmarks.webhook_ack [--events 1000] [--deliveries 20] [--realms 5]

Starts the sandbox stack, then POSTs CloudEvents deliveries (each event a distinct change, spread over several
QuickBooks companies) to /webhooks/qbo signed with the verifier token, and times each answer. Intuit wants an
answer within 3 s; the receiver only verifies and queues the delivery as a few batch messages (SendMessageBatch
calls in parallel), the worker fans them out. Prints median, p95 and max. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import time
import uuid

import requests

from benchmarks.latency import free_ports, summary_lines
from sandbox.stack import StackProcess


def delivery(events: int, realms: int) -> bytes:
    kinds = ("invoice.updated", "payment.created", "customer.updated", "item.updated")
    return json.dumps([{
        "specversion": "1.0", "id": uuid.uuid4().hex, "source": "intuit.benchmark",
        "type": f"qbo.{kinds[n % len(kinds)]}.v1", "datacontenttype": "application/json",
        "time": "2026-11-30T09:00:00.000000000Z", "intuitentityid": str(1000 + n),
        "intuitaccountid": str(9_000_000 + n % realms), "data": {}} for n in range(events)],
        separators=(",", ":")).encode()


def measure(stack: StackProcess, events: int, deliveries: int, realms: int) -> list[float]:
    token = stack.secret("QboAppSecret")["webhook_verifier_token"]
    session = requests.Session()
    samples = []
    for n in range(deliveries + 2):  # the first two warm the receiver's worker
        body = delivery(events, realms)
        signature = base64.b64encode(hmac.new(token.encode(), body, hashlib.sha256).digest()).decode()
        started = time.perf_counter()
        answer = session.post(f"{stack.gateway_url}/webhooks/qbo", data=body, timeout=30, headers={
            "intuit-signature": signature, "content-type": "application/cloudevents+json"})
        elapsed_ms = (time.perf_counter() - started) * 1000
        if answer.status_code != 200 or answer.json().get("received") != events:
            raise SystemExit(f"delivery {n + 1} answered {answer.status_code}: {answer.text[:300]}")
        if n >= 2:
            samples.append(elapsed_ms)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--deliveries", type=int, default=20)
    parser.add_argument("--realms", type=int, default=5)
    args = parser.parse_args()
    with StackProcess(free_ports()) as stack:
        samples = measure(stack, args.events, args.deliveries, args.realms)
    print(f"webhook acknowledgement (POST /webhooks/qbo, {args.events} events over {args.realms} companies, "
          "through the local gateway to moto SQS)")
    print(f"  deliveries {len(samples)} (after 2 warm-up)")
    for line in summary_lines(samples, p95_note="(Intuit's limit: 3000 ms)"):
        print(f"  {line}")


if __name__ == "__main__":
    main()
