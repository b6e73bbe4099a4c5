"""The fault suite's scenario: invoices created, paid and webhooked while both simulators inject 429s, 5xx,
slow answers and lost answers; then the faults clear, the reconciliation runs, and the end state is checked against
what a fault-free run produces (derived from QuickBooks' final state, which the faults cannot have bent).

`make test` runs one seeded case (tests/functional/invoicing/test_fault_suite.py); `make bench` runs more and prints
the figures (benchmarks/fault_suite.py)."""

from __future__ import annotations

import json
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import invoice_handler
import requests
import sync_worker_handler
import webhook_receiver_handler
import webhook_worker_handler
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.hubspot.rate_budget import shared_budget
from hubbooks.adapters.qbo.factory import qbo_budgets
from hubbooks.adapters.qbo.invoicing import invoice_from
from hubbooks.adapters.storage.invoice_link_store import DynamoInvoiceLinks
from hubbooks.adapters.storage.submission_store import DynamoInvoiceSubmissions
from hubbooks.config import get_settings
from hubbooks.domain.invoicing.deal_properties import InvoiceFacts, deal_properties
from hubbooks.domain.invoicing.deal_sync import differs
from hubbooks.domain.invoicing.note_markers import payment_note_marker
from hubbooks.domain.invoicing.status import derive_status
from hubbooks.domain.invoicing.submissions import origin_of
from hubbooks.models.jobs import JobKind, JobMessage
from sandbox.demo.bookkeeper import bookkeeper_token
from tests.functional.invoicing.conftest import USER, World
from tests.functional.test_webhooks import _drain, _sqs_event
from tests.support import LambdaContext, http_event, json_body, signed_event

LAST_ERRORS: list[str] = []  # what the card was told, for a failing case's message
MAX_RECEIVES = 5  # the WebhookQueue's maxReceiveCount
SHORT = 3_000  # ms left in each faulty invocation: clients give up instead of backing off for long


@dataclass
class FaultPlan:
    seed: int
    qbo_status: int = 429
    hubspot_status: int = 503
    rate: float = 0.2
    lost_rate: float = 0.15


@dataclass
class Figures:
    cases: int = 0
    invoices_intended: int = 0
    payments: int = 0
    deliveries: int = 0
    messages: int = 0
    dead_lettered: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    convergence_s: list[float] = field(default_factory=list)

    def line(self) -> str:
        worst = max(self.convergence_s, default=0.0)
        return (f"cases={self.cases} invoices={self.invoices_intended} payments={self.payments} "
                f"webhook deliveries={self.deliveries} (queued messages={self.messages}, "
                f"dead-lettered={self.dead_lettered}) faults injected: " + ", ".join(
                    f"{k}={v}" for k, v in sorted(self.faults.items())) + f"; convergence after faults clear: "
                f"max {worst:.2f}s, mean {sum(self.convergence_s) / max(len(self.convergence_s), 1):.2f}s")


class Bookkeeper:
    """Someone working in QuickBooks with another app: their writes are retried (same requestid) until they land."""

    def __init__(self, world: World, realm: str) -> None:
        self.world, self.realm = world, realm
        self.token = bookkeeper_token(world.qbo_url, realm)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        request_id = uuid.uuid4().hex
        for _ in range(60):
            answer = requests.request(method, f"{self.world.qbo_url}/v3/company/{self.realm}/{path}", json=body,
                                      params={"minorversion": "75", "requestid": request_id}, timeout=10,
                                      headers={"Authorization": f"Bearer {self.token}", "Accept": "application/json"})
            if answer.status_code == 200:
                return answer.json()
            time.sleep(0.05)
        raise AssertionError(f"QuickBooks kept failing {method} {path}: {answer.status_code} {answer.text[:200]}")

    def pay(self, invoice_id: str, amount: str) -> str:
        return str(self.call("POST", "payment", {"CustomerRef": {"value": "1"}, "TotalAmt": amount, "Line": [
            {"Amount": amount, "LinkedTxn": [{"TxnId": invoice_id, "TxnType": "Invoice"}]}]})["Payment"]["Id"])

    def rows(self, entity: str) -> list[dict[str, Any]]:
        return list(self.call("GET", f"query?query=SELECT * FROM {entity} MAXRESULTS 1000")
                    .get("QueryResponse", {}).get(entity, []))


UNREACHABLE = "http://127.0.0.1:9/webhooks/qbo"  # the simulator keeps each signed delivery it cannot make


def listen_for_webhooks(world: World) -> None:
    """Our app's QuickBooks webhooks, recorded by the simulator for the storm to replay to our receiver."""
    app = world.qbo("GET", "apps")["apps"][0]
    world.qbo("PATCH", f"apps/{app['client_id']}", {"webhook_url": UNREACHABLE})


def faults_on(world: World, plan: FaultPlan) -> None:
    requests.post(f"{world.qbo_url}/_sandbox/faults", timeout=10, json={
        "status": plan.qbo_status, "rate": plan.rate, "lost_rate": plan.lost_rate, "path_prefix": "/v3/",
        "seed": plan.seed})
    requests.post(f"{world.hubspot_url}/_sandbox/faults", timeout=10, json={
        "status": plan.hubspot_status, "rate": plan.rate, "lost_rate": plan.lost_rate, "path_prefix": "/crm/",
        "seed": plan.seed + 1})


def faults_off(world: World, figures: Figures) -> None:
    for name, url in (("qbo", world.qbo_url), ("hubspot", world.hubspot_url)):
        described = requests.get(f"{url}/_sandbox/faults", timeout=10).json().get("fault") or {}
        for kind, count in (described.get("injected") or {}).items():
            figures.faults[f"{name} {kind}"] += int(count)
        requests.delete(f"{url}/_sandbox/faults", timeout=10)


def submit_invoice(world: World, realm: str, rate: str, submission_id: str, *, attempts: int = 3,
                   remaining_ms: int = SHORT) -> int:
    """As the card does: submit, and on an error retry the same submission (the wizard keeps its id until it
    succeeds). Returns the status of the last attempt."""
    status = 0
    for _ in range(attempts):
        time_passes()  # people retry seconds apart, not microseconds
        body = {"realm_id": realm, "customer_id": "1", "submission_id": submission_id, "term_id": "3",
                "lines": [{"item_id": "3", "quantity": "1", "rate": rate}]}
        event = signed_event("POST", f"/app/deals/{world.deal_id}/invoices", portal_id=world.portal_id,
                             user_id=USER, body=body)
        response = invoice_handler.lambda_handler(event, LambdaContext(remaining_ms=remaining_ms))
        status = int(response["statusCode"])
        if status == 200:
            return status
        LAST_ERRORS.append(f"{status} {response.get('body', '')[:300]}")
    return status


def webhook_storm(world: World, seen: set[str], rng: random.Random, figures: Figures) -> list[dict[str, Any]]:
    """Every new signed delivery handed to our receiver one to three times, the queued messages shuffled."""
    world.qbo("POST", "webhooks/flush", {"timeout_seconds": 10})
    fresh = [d for d in world.qbo("GET", "webhooks/deliveries")["deliveries"] if d["id"] not in seen]
    for delivery in fresh:
        seen.add(delivery["id"])
        body = json.dumps(delivery["payload"], separators=(",", ":"))
        for _ in range(rng.randint(1, 3)):
            event = http_event("POST", "/webhooks/qbo", body=body, headers={
                "intuit-signature": delivery["signature"], "content-type": delivery["content_type"]})
            response = webhook_receiver_handler.lambda_handler(event, LambdaContext())
            assert response["statusCode"] == 200, response  # the receiver touches no provider: faults can't reach it
            figures.deliveries += 1
    messages = _drain()
    rng.shuffle(messages)
    figures.messages += len(messages)
    return messages


def work_off(messages: list[dict[str, Any]], figures: Figures) -> None:
    """SQS's part: failed messages are received again, up to maxReceiveCount, then dead-lettered (dropped here)."""
    pending = list(messages)
    for _ in range(MAX_RECEIVES):
        if not pending:
            return
        time_passes()
        failed: set[str] = set()
        for start in range(0, len(pending), 10):
            batch = pending[start:start + 10]
            try:
                result = webhook_worker_handler.lambda_handler(_sqs_event(batch), LambdaContext(remaining_ms=SHORT))
            except BatchProcessingError:  # every record failed: Lambda reports an error, SQS retries them all
                failed |= {m["MessageId"] for m in batch}
                continue
            failed |= {f["itemIdentifier"] for f in result["batchItemFailures"]}
        pending = [m for m in pending if m["MessageId"] in failed]
    figures.dead_lettered += len(pending)
    sqs = aws_client("sqs")
    for message in pending:  # what SQS does after maxReceiveCount
        sqs.send_message(QueueUrl=get_settings().webhook_dead_letter_queue_url, MessageBody=message["Body"])


def time_passes() -> None:
    """Between SQS receives (the visibility timeout: minutes) and before the scheduled reconciliation, the pauses
    our clients took after 429s run out and the per-company budgets refill."""
    shared_budget()._paused_until.clear()  # the test stands in for the passing time
    qbo_budgets.cache_clear()


def reconcile(world: World) -> None:
    time_passes()
    for realm in world.realms.values():
        message = JobMessage(job=JobKind.RECONCILE, portal_id=world.portal_id, realm_id=realm,
                             scheduled_at=datetime.now(UTC))
        event = {"Records": [{"messageId": uuid.uuid4().hex, "receiptHandle": "r", "body": message.model_dump_json(),
                              "attributes": {}, "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                              "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:SyncQueue",
                              "awsRegion": "us-east-1"}]}
        result = sync_worker_handler.lambda_handler(event, LambdaContext())
        assert result == {"batchItemFailures": []}, result


def _note_bodies(world: World) -> dict[str, str]:
    deal = world.hubspot("GET", f"/crm/v3/objects/deals/{world.deal_id}?associations=notes")
    ids = list(dict.fromkeys(r["id"] for r in (deal.get("associations") or {}).get("notes", {}).get("results", [])))
    return {i: world.hubspot("GET", f"/crm/v3/objects/notes/{i}?properties=hs_note_body")["properties"]
            ["hs_note_body"] for i in ids}


def assert_converged(world: World, keeper: Bookkeeper, expected_invoices: int) -> None:
    """The end state a fault-free run produces, derived from QuickBooks' final state."""
    realm = keeper.realm
    ours = [invoice_from(raw, "USD") for raw in keeper.rows("Invoice")]
    ours = [i for i in ours if origin_of(i) is not None]
    by_submission = Counter(origin_of(i).submission_id for i in ours)  # type: ignore[union-attr]
    assert all(n == 1 for n in by_submission.values()), f"a submission made several invoices: {by_submission}"
    assert len(by_submission) == expected_invoices, f"{len(by_submission)} invoices for {expected_invoices} intended"
    links = DynamoInvoiceLinks(dynamodb_table(get_settings().app_table_name)).for_realm(world.portal_id, realm)
    assert sorted(link.invoice_id for link in links) == sorted(i.id for i in ours), "every invoice we made is linked"
    today = datetime.now(UTC).date()
    facts = [InvoiceFacts(realm_id=realm, invoice_id=i.id, doc_number=i.doc_number, customer_name=i.customer_name,
                          total=i.total, currency=i.currency, status=derive_status(i, today), due_date=i.due_date,
                          last_updated=i.last_updated) for i in ours]
    wanted = deal_properties(facts, "USD")
    shown = world.deal_properties()
    assert wanted is not None and not differs(wanted, shown), f"deal shows {shown}, QuickBooks says {wanted}"
    bodies = _note_bodies(world)
    paid = [p for p in keeper.rows("Payment")
            if any(link.get("TxnId") in by_id(ours) for line in p.get("Line") or [] for link in line.get("LinkedTxn")
                   or [])]
    for payment in paid:
        marker = payment_note_marker(realm, str(payment["Id"]))
        carrying = [b for b in bodies.values() if marker in b]
        assert len(carrying) == 1, f"payment {payment['Id']} has {len(carrying)} notes"
        assert f"Amount: {Decimal(str(payment['TotalAmt'])):,.2f} USD" in carrying[0]
    assert len(bodies) == len(paid), f"{len(bodies)} notes for {len(paid)} payments"


def by_id(invoices: list[Any]) -> set[str]:
    return {i.id for i in invoices}


def run_case(world: World, plan: FaultPlan, figures: Figures, *, invoices: int = 2) -> None:
    rng = random.Random(plan.seed)
    realm = world.realms["us"]
    keeper = Bookkeeper(world, realm)
    listen_for_webhooks(world)
    seen: set[str] = set()
    faults_on(world, plan)
    unfinished: list[tuple[str, str]] = []
    try:
        for _ in range(invoices):
            rate, submission_id = str(rng.choice([120, 200, 350])), uuid.uuid4().hex
            if submit_invoice(world, realm, rate, submission_id, attempts=6) != 200:
                unfinished.append((rate, submission_id))
            figures.invoices_intended += 1
        work_off(webhook_storm(world, seen, rng, figures), figures)
        made = [i for i in keeper.rows("Invoice") if "HubBooks reference" in (i.get("PrivateNote") or "")]
        for invoice in made:
            balance = Decimal(str(invoice["Balance"]))
            for share in (Decimal("0.4"), Decimal("0.6")) if rng.random() < 0.7 else (Decimal(1),):
                keeper.pay(str(invoice["Id"]), f"{(balance * share).quantize(Decimal('0.01'))}")
                figures.payments += 1
        work_off(webhook_storm(world, seen, rng, figures), figures)
    finally:
        faults_off(world, figures)
    cleared = time.perf_counter()
    time_passes()
    for rate, submission_id in unfinished:  # the salesperson tries again once HubSpot shows the error
        pending = DynamoInvoiceSubmissions(dynamodb_table(get_settings().app_table_name)).pending_for_deal(
            world.portal_id, world.deal_id)
        assert submit_invoice(world, realm, rate, submission_id, remaining_ms=25_000) == 200, (
            LAST_ERRORS[-1:], submission_id, unfinished, pending)
    reconcile(world)
    figures.convergence_s.append(time.perf_counter() - cleared)
    figures.cases += 1
    assert_converged(world, keeper, invoices)


def card_invoices(world: World) -> list[dict[str, Any]]:
    event = signed_event("GET", f"/app/cards/deal/{world.deal_id}", portal_id=world.portal_id, user_id=USER)
    return list(json_body(invoice_handler.lambda_handler(event, LambdaContext()))["invoices"])
