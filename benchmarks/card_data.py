"""Card-data latency: the local stack, a deal with invoices in two QuickBooks companies, N signed requests.

    python -m benchmarks.card_data [--requests 200] [--invoices 6] [--warmup 10]

Starts the sandbox stack (gateway, moto server, both simulators) on free ports, seeds a portal through the
invoice demo's scenario, then
1. times GET /app/cards/deal/<id> through the gateway, each request signed with X-HubSpot-Signature-v3 the way
   hubspot.fetch signs it (median and p95);
2. side by side in this one process, warm and interleaved: the invoice function's handler answering the same signed
   request, and the calls the card cannot do without made raw (its DynamoDB query for the deal's links and one
   BatchGetItem for the portal's items it needs besides: connected companies, roles, admins, currency; then one
   QuickBooks query per company with a warm requests session, and the invoicing settings of each company with custom
   transaction numbers, which decide whether the card offers creating an invoice there), paced within QuickBooks'
   per-company rate limit (see card_pace_seconds). The handler's clock starts once the request is signed and API
   Gateway's event built (HubSpot's and the gateway's work, not ours). The goal is at most 1.10 times the raw calls.
A measurement, not a test.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import boto3
import requests
from boto3.dynamodb.conditions import Key
from werkzeug.test import EnvironBuilder

from benchmarks.latency import free_ports, percentile, summary_lines
from sandbox.aws.server import FAKE_CREDENTIALS, REGION
from sandbox.demo.bookkeeper import bookkeeper_token
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.gateway.events import build_event
from sandbox.gateway.routes import match_route, routes_from_template
from sandbox.hubspot.fetch import with_identity
from sandbox.hubspot.signing import v3_headers
from sandbox.stack import Stack, http_json

REPO = Path(__file__).resolve().parents[1]
GOAL = 1.10


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


def measure(stack: Stack, scenario: InvoiceScenario, requests_count: int, warmup: int) -> list[float]:
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


class CardRequests:
    """The invoice function's handler, imported into this process with the environment the stack gives it."""

    def __init__(self, stack: Stack, scenario: InvoiceScenario) -> None:
        assert stack.provisioned is not None
        os.environ.update(stack.provisioned.function_environment("InvoiceFunction"))
        os.environ.update(FAKE_CREDENTIALS, AWS_DEFAULT_REGION=REGION, AWS_REGION=REGION,
                          AWS_ENDPOINT_URL=stack.aws_url, AWS_SAM_LOCAL="true", POWERTOOLS_LOG_LEVEL="WARNING",
                          AWS_LAMBDA_FUNCTION_NAME="InvoiceFunction")
        sys.path[:0] = [str(REPO / "layers" / "shared"), str(REPO / "functions" / "invoice")]
        self.handler: Callable[[dict[str, Any], Any], dict[str, Any]] = \
            importlib.import_module("invoice_handler").lambda_handler
        self.secret = stack.secret("HubSpotAppSecret")["client_secret"]
        self.url = with_identity(f"{stack.gateway_url}/app/cards/deal/{scenario.deal.id}", scenario.user_id,
                                 scenario.portal_id, f"user{scenario.user_id}@example.com",
                                 int(stack.hubspot_app["app_id"]))
        self.routes = routes_from_template(stack.template)
        self.api_id = stack.provisioned.api_id

    def event(self) -> dict[str, Any]:
        """What API Gateway hands the function for a hubspot.fetch of the card, freshly signed."""
        headers = v3_headers(self.secret, "GET", self.url, "", int(time.time() * 1000))
        parts = urlsplit(self.url)
        request = EnvironBuilder(path=parts.path, query_string=parts.query, base_url=f"http://{parts.netloc}",
                                 headers=list(headers.items()), method="GET",
                                 environ_overrides={"RAW_URI": f"{parts.path}?{parts.query}"}).get_request()
        match = match_route(self.routes, "GET", parts.path)
        assert match is not None, parts.path
        return build_event(request, match, self.api_id)

    def prepared(self) -> Callable[[], None]:
        """One card request, signed and shaped as API Gateway hands it over, ready to be answered."""
        event = self.event()

        def answer() -> None:
            answered = self.handler(event, _Context())
            if answered["statusCode"] != 200:
                raise SystemExit(f"the card answered {answered['statusCode']}: {str(answered.get('body'))[:300]}")
        return answer


class _Context:
    function_name = "InvoiceFunction"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:InvoiceFunction"
    aws_request_id = "card-benchmark"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 25_000


class RawCardCalls:
    """The calls the card must make, made directly: the deal's links and the portal's card items from DynamoDB
    (a query and a BatchGetItem), then one QuickBooks query per company."""

    def __init__(self, stack: Stack, scenario: InvoiceScenario) -> None:
        assert stack.provisioned is not None
        self.table = boto3.resource("dynamodb", endpoint_url=stack.aws_url, region_name=REGION,
                                    aws_access_key_id=FAKE_CREDENTIALS["AWS_ACCESS_KEY_ID"],
                                    aws_secret_access_key=FAKE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
                                    aws_session_token=FAKE_CREDENTIALS["AWS_SESSION_TOKEN"]
                                    ).Table(stack.provisioned.tables["AppTable"])
        self.portal_id, self.deal_id, self.qbo_url = scenario.portal_id, scenario.deal.id, stack.qbo_url
        self.session = requests.Session()
        self.tokens = {realm: bookkeeper_token(stack.qbo_url, realm) for realm in scenario.realms.values()}

    def prepared(self) -> Callable[[], None]:
        return self.read

    def read(self) -> None:
        from hubbooks.adapters.storage import table_keys  # on the path once CardRequests set it

        # the resource's client (de)serializes items, as the card's store does
        keys = table_keys.card_context_keys(self.portal_id)
        context = self.table.meta.client.batch_get_item(RequestItems={self.table.name: {
            "Keys": keys, "ConsistentRead": True}})["Responses"][self.table.name]
        listing_sk = table_keys.connected_companies_key(self.portal_id)["sk"]
        companies: dict[str, Any] = next((item["companies"] for item in context if item["sk"] == listing_sk), {})
        numbered = [realm for realm, company in companies.items() if company.get("custom_txn_numbers")]
        if not numbered:
            raise SystemExit("the raw read found no company with custom numbers: the scenario or the listing changed")
        for realm in numbered:
            self.table.get_item(Key=table_keys.invoicing_settings_key(self.portal_id, realm), ConsistentRead=True)
        links = self.table.query(ConsistentRead=True, KeyConditionExpression=Key("pk").eq(f"PORTAL#{self.portal_id}")
                                 & Key("sk").begins_with(f"INVLINK#deal#{self.deal_id}#"))["Items"]
        by_realm: dict[str, list[str]] = defaultdict(list)
        for link in links:
            by_realm[str(link["realm_id"])].append(str(link["invoice_id"]))
        if not by_realm:
            raise SystemExit("the raw query found no links: its key no longer matches the link store's")
        for realm, invoice_ids in by_realm.items():
            ids = ", ".join(f"'{invoice_id}'" for invoice_id in invoice_ids)
            answer = self.session.get(f"{self.qbo_url}/v3/company/{realm}/query", timeout=30, params={
                "query": f"SELECT * FROM Invoice WHERE Id IN ({ids}) MAXRESULTS 1000",  # noqa: S608 - our own ids
                "minorversion": "75"},
                headers={"Authorization": f"Bearer {self.tokens[realm]}", "Accept": "application/json"})
            if answer.status_code != 200:
                raise SystemExit(f"the raw QuickBooks query answered {answer.status_code}: {answer.text[:300]}")


def card_pace_seconds() -> float:
    """Time between two cards: HubBooks keeps itself within QuickBooks' per-company limit of 10 requests a second
    (adapters/qbo/rate_budget.py, which waits rather than earn a 429), so cards asked for faster than that would time
    HubBooks' deliberate waiting rather than its work; the raw calls ignore the limit. Pacing just under it keeps
    both sides to their work."""
    from hubbooks.adapters.qbo.rate_budget import BudgetLimits  # on the path once CardRequests has set it up

    limits = BudgetLimits()
    return limits.second_seconds / limits.per_second * 1.2


def side_by_side(ours: Callable[[], Callable[[], None]], raw: Callable[[], Callable[[], None]], count: int,
                 warmup: int) -> tuple[list[float], list[float]]:
    """`ours` and `raw` each prepare one call (untimed) and return it (timed)."""
    pace = card_pace_seconds()
    for _ in range(warmup):
        ours()()
        raw()()
        time.sleep(pace)
    ours_ms: list[float] = []
    raw_ms: list[float] = []
    for n in range(count):
        iteration_started = time.perf_counter()
        pair = ((ours, ours_ms), (raw, raw_ms)) if n % 2 == 0 else ((raw, raw_ms), (ours, ours_ms))
        for prepare, samples in pair:
            call = prepare()
            started = time.perf_counter()
            call()
            samples.append((time.perf_counter() - started) * 1000)
        time.sleep(max(0.0, pace - (time.perf_counter() - iteration_started)))
    return ours_ms, raw_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--invoices", type=int, default=6)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args()

    with Stack(free_ports()) as stack:
        scenario = InvoiceScenario.set_up(stack)
        _seed_invoices(scenario, args.invoices)
        samples = measure(stack, scenario, args.requests, args.warmup)
        # Both sides query the same two companies back to back: lift the simulator's per-realm rate limits (500 a
        # minute, 10 a second) so neither waits on them; this compares work, not QuickBooks' throttling.
        status, _ = http_json("POST", f"{stack.qbo_url}/_sandbox/config",
                              {"rate_limit_per_minute": 1_000_000, "rate_limit_per_second": 100_000})
        if status != 200:
            raise SystemExit(f"the QuickBooks simulator refused the benchmark's limits: {status}")
        ours, raw = side_by_side(CardRequests(stack, scenario).prepared, RawCardCalls(stack, scenario).prepared,
                                 args.requests, args.warmup)
    print(f"card data (GET /app/cards/deal/<id>, {args.invoices} linked invoices in 2 QuickBooks companies)")
    print(f"  requests {len(samples)} (after {args.warmup} warm-up) through the local gateway")
    for line in summary_lines(samples):
        print(f"  {line}")
    ratio = statistics.median(ours) / statistics.median(raw)
    print(f"card data side by side in one process, warm, {len(ours)} each, interleaved (ms)")
    print(f"  {'':34} {'median':>8} {'p95':>8}")
    print(f"  {'handler (signed request -> JSON)':34} {statistics.median(ours):8.1f} {percentile(ours, 0.95):8.1f}")
    print(f"  {'raw calls (DynamoDB + 1 QBO/co)':34} {statistics.median(raw):8.1f} {percentile(raw, 0.95):8.1f}")
    print(f"  ratio {ratio:.2f} (goal at most {GOAL:.2f}: {'met' if ratio <= GOAL else 'NOT met'})")


if __name__ == "__main__":
    main()
