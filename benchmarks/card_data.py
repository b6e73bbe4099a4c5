"""Card-data latency: the local stack, a deal with invoices in two QuickBooks companies, N signed requests.

    python -m benchmarks.card_data [--requests 200] [--invoices 6] [--warmup 10]

Starts the sandbox stack (gateway, moto server, both simulators) on free ports, seeds a portal through the
invoice demo's scenario, then times GET /app/cards/deal/<id> through the gateway, each request signed with
X-HubSpot-Signature-v3 the way hubspot.fetch signs it. Prints median and p95. A measurement, not a test.
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid

import requests

from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.hubspot.fetch import with_identity
from sandbox.hubspot.signing import v3_headers
from sandbox.stack import StackConfig, StackProcess


def _seed_invoices(scenario: InvoiceScenario, count: int) -> None:
    """Half in the US company, half in the UK one (with VAT), all linked to the deal."""
    for n in range(count):
        if n % 2 == 0:
            draft = scenario.draft("us", [{"item_id": "3", "quantity": str(n + 1), "rate": "150"}])
        else:
            draft = scenario.draft("uk", [{"item_id": "3", "quantity": str(n + 1), "rate": "150",
                                           "tax_code_id": "1"}])
        status, body = scenario.create(draft, uuid.uuid4().hex)
        if status != 200:
            raise SystemExit(f"seeding invoice {n + 1} failed: {status} {body}")


def _percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))  # nearest rank
    return ordered[index]


def measure(stack: StackProcess, scenario: InvoiceScenario, requests_count: int, warmup: int) -> list[float]:
    secret = stack.secret("HubSpotAppSecret")["client_secret"]
    app_id = int(stack.hubspot_app["app_id"])
    url = with_identity(f"{stack.gateway_url}/app/cards/deal/{scenario.deal.id}", scenario.user_id,
                        scenario.portal_id, f"user{scenario.user_id}@example.com", app_id)
    session = requests.Session()
    samples: list[float] = []
    for n in range(warmup + requests_count):
        headers = v3_headers(secret, "GET", url, "", int(time.time() * 1000))
        started = time.perf_counter()
        answer = session.get(url, headers=headers, timeout=30)
        elapsed_ms = (time.perf_counter() - started) * 1000
        if answer.status_code != 200:
            raise SystemExit(f"request {n + 1} answered {answer.status_code}: {answer.text[:300]}")
        if n >= warmup:
            samples.append(elapsed_ms)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--invoices", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()

    stack = StackProcess(StackConfig(gateway_port=0, aws_port=0, qbo_port=0, hubspot_port=0))
    stack.start()
    try:
        scenario = InvoiceScenario.set_up(stack)
        _seed_invoices(scenario, args.invoices)
        samples = measure(stack, scenario, args.requests, args.warmup)
    finally:
        stack.stop()
    print(f"card data (GET /app/cards/deal/<id>, {args.invoices} linked invoices in 2 QuickBooks companies)")
    print(f"  requests {len(samples)} (after {args.warmup} warm-up) through the local gateway")
    print(f"  median   {statistics.median(samples):7.1f} ms")
    print(f"  p95      {_percentile(samples, 0.95):7.1f} ms")
    print(f"  min/max  {min(samples):7.1f} / {max(samples):.1f} ms")


if __name__ == "__main__":
    main()
