"""Webhook delivery: formats, signature, only connected realms, retries on failure and on slow answers."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from werkzeug.wrappers import Request, Response

from sandbox.qbo.webhooks import sign
from sandbox.simkit.server import RunningServer, serve_in_thread
from tests.sandbox.qbo.conftest import REDIRECT_URI, Sim, invoice_body


class Receiver:
    """A webhook endpoint that records what it gets and answers with scripted statuses or delays."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.script: list[tuple[int, float]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self.lock:
            status, delay = self.script.pop(0) if self.script else (200, 0.0)
            self.received.append({"body": request.get_data(), "headers": dict(request.headers)})
        if delay:
            time.sleep(delay)
        return Response("ok", status=status)(environ, start_response)


@pytest.fixture
def receiver() -> Iterator[tuple[Receiver, RunningServer]]:
    hook = Receiver()
    server = serve_in_thread(hook)
    try:
        yield hook, server
    finally:
        server.stop()


def _flush(sim: Sim) -> list[dict[str, Any]]:
    response = sim.control("POST", "/webhooks/flush", json={"timeout_seconds": 5})
    assert response.json()["idle"]
    return list(response.json()["deliveries"])


def _connect_with_hook(sim: Sim, url: str, fmt: str) -> tuple[dict[str, Any], Any]:
    app = sim.new_app(webhook_url=url, webhook_format=fmt)
    realm = sim.new_company()
    code = sim.authorize(app, realm)["code"]
    tokens = sim.token(app, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}).json()
    from tests.sandbox.qbo.conftest import Connection

    return app, Connection(sim, app, realm, tokens)


def test_signature_matches_intuit_test_vector() -> None:
    assert sign("12345", b"abcd") == "gfTuE5fLxnstOq8ln4LNWZfn24cg8FVB6PBv455lfzg="


def test_cloudevents_delivery_signed(sim: Sim, receiver: tuple[Receiver, RunningServer]) -> None:
    hook, server = receiver
    app, conn = _connect_with_hook(sim, f"{server.url}/hook", "cloudevents")
    invoice = conn.create("Invoice", invoice_body())
    _flush(sim)
    assert len(hook.received) == 1
    got = hook.received[0]
    assert got["headers"]["Content-Type"] == "application/cloudevents+json"
    expected = base64.b64encode(hmac.new(app["verifier_token"].encode(), got["body"], hashlib.sha256).digest())
    assert got["headers"]["Intuit-Signature"] == expected.decode()
    events = json.loads(got["body"])
    assert isinstance(events, list) and events[0]["specversion"] == "1.0"
    assert events[0]["type"] == "qbo.invoice.created.v1"
    assert events[0]["intuitentityid"] == invoice["Id"] and events[0]["intuitaccountid"] == conn.realm


def test_legacy_delivery_and_operations(sim: Sim, receiver: tuple[Receiver, RunningServer]) -> None:
    hook, server = receiver
    _, conn = _connect_with_hook(sim, f"{server.url}/hook", "legacy")
    invoice = conn.create("Invoice", invoice_body())
    _flush(sim)
    conn.ok("POST", "invoice", params={"operation": "void"}, json={"Id": invoice["Id"], "SyncToken": "0"})
    _flush(sim)
    operations = []
    for delivery in hook.received:
        payload = json.loads(delivery["body"])
        assert delivery["headers"]["Content-Type"] == "application/json"
        note = payload["eventNotifications"][0]
        assert note["realmId"] == conn.realm
        operations += [(e["name"], e["operation"]) for e in note["dataChangeEvent"]["entities"]]
    assert operations == [("Invoice", "Create"), ("Invoice", "Void")]


def test_only_connected_realms_get_events(sim: Sim, receiver: tuple[Receiver, RunningServer]) -> None:
    hook, server = receiver
    sim.new_app(webhook_url=f"{server.url}/hook")  # an app with no connection to this realm
    conn = sim.connect()
    conn.create("Customer", {"DisplayName": "Nobody listens"})
    _flush(sim)
    assert hook.received == []


def test_retries_on_error_then_succeeds(sim: Sim, receiver: tuple[Receiver, RunningServer]) -> None:
    hook, server = receiver
    hook.script = [(500, 0.0)]
    _, conn = _connect_with_hook(sim, f"{server.url}/hook", "cloudevents")
    conn.create("Customer", {"DisplayName": "Retry me"})
    deliveries = _flush(sim)
    assert deliveries[0]["state"] == "pending" and deliveries[0]["attempts"][0]["status"] == 500
    sim.control("POST", "/clock", json={"advance_seconds": 10})
    deliveries = _flush(sim)
    assert deliveries[0]["state"] == "delivered" and len(deliveries[0]["attempts"]) == 2
    assert hook.received[0]["body"] == hook.received[1]["body"]


def test_slow_answer_counts_as_failure_and_retries_are_bounded(sim: Sim,
                                                                receiver: tuple[Receiver, RunningServer]) -> None:
    hook, server = receiver
    sim.control("POST", "/config", json={"webhook_timeout_seconds": 0.1, "webhook_retry_delays": [1, 2],
                                             "webhook_max_attempts": 3})
    hook.script = [(200, 0.3), (503, 0.0), (503, 0.0)]
    _, conn = _connect_with_hook(sim, f"{server.url}/hook", "cloudevents")
    conn.create("Customer", {"DisplayName": "Slow"})
    first = _flush(sim)[0]
    assert first["state"] == "pending" and "status" not in first["attempts"][0]
    for step in (1, 2):
        sim.control("POST", "/clock", json={"advance_seconds": step})
        last = _flush(sim)[0]
    assert last["state"] == "failed" and len(last["attempts"]) == 3
    listed = sim.control("GET", "/webhooks/deliveries", params={"client_id": conn.app["client_id"]}).json()
    assert listed["deliveries"][0]["id"] == last["id"]


def test_retries_keep_coming_every_six_hours_after_the_schedule(sim: Sim,
                                                                 receiver: tuple[Receiver, RunningServer]) -> None:
    """api-facts Q11 "Delivery and retries" [V]: 10 s, 20 s, 30 s, 5 min, 20 min, 2 h, 4 h, 6 h, **then every 6 h**.

    Before: the simulator marked a delivery `failed` after the eighth retry, so a receiver that was down for a
    day never saw the event again, while Intuit keeps retrying every 6 hours.
    """
    hook, server = receiver
    hook.script = [(500, 0.0)] * 10
    _, conn = _connect_with_hook(sim, f"{server.url}/hook", "cloudevents")
    conn.create("Customer", {"DisplayName": "Down for a day"})
    delivery = _flush(sim)[0]
    for delay in (10, 20, 30, 300, 1200, 7200, 14400, 21600, 21600):
        assert delivery["state"] == "pending"
        assert delivery["next_attempt_at"] - delivery["attempts"][-1]["at"] == pytest.approx(delay, abs=1)
        sim.control("POST", "/clock", json={"advance_seconds": delay})
        delivery = _flush(sim)[0]
    assert len(delivery["attempts"]) == 10 and delivery["state"] == "pending"
    assert delivery["next_attempt_at"] - delivery["attempts"][-1]["at"] == pytest.approx(21600, abs=1)
    sim.control("POST", "/clock", json={"advance_seconds": 21600})
    delivery = _flush(sim)[0]
    assert delivery["state"] == "delivered" and len(delivery["attempts"]) == 11
