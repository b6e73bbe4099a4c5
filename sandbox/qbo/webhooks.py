"""Webhook delivery: one POST per app with the pending events, signed, retried on a schedule in the background.

Retry times are measured on the SimClock, so tests move the clock instead of sleeping; the worker is woken
whenever events arrive or the clock is advanced through the control API.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

from sandbox.qbo.state import App, SimState
from sandbox.qbo.timefmt import utc_millis

OPERATION_WORDS = {"Create": "created", "Update": "updated", "Delete": "deleted", "Void": "voided",
                   "Emailed": "emailed", "Merge": "merged"}


def sign(verifier_token: str, body: bytes) -> str:
    digest = hmac.new(verifier_token.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@dataclass
class Event:
    realm_id: str
    entity: str
    entity_id: str
    operation: str
    at: float
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    deleted_id: str | None = None


@dataclass
class Delivery:
    delivery_id: str
    client_id: str
    url: str
    body: bytes
    content_type: str
    signature: str
    events: int
    due_at: float
    state: str = "pending"  # pending | sending | delivered | failed
    attempts: list[dict[str, Any]] = field(default_factory=list)

    def public(self) -> dict[str, Any]:
        return {"id": self.delivery_id, "client_id": self.client_id, "url": self.url, "state": self.state,
                "events": self.events, "attempts": self.attempts, "next_attempt_at": self.due_at,
                "content_type": self.content_type, "signature": self.signature,
                "payload": json.loads(self.body)}


def build_payload(app: App, events: list[Event]) -> Any:
    if app.webhook_format == "legacy":
        by_realm: dict[str, list[dict[str, Any]]] = {}
        for event in events:
            entry: dict[str, Any] = {"id": event.entity_id, "operation": event.operation, "name": event.entity,
                                     "lastUpdated": utc_millis(event.at)}
            if event.deleted_id:
                entry["deletedId"] = event.deleted_id
            by_realm.setdefault(event.realm_id, []).append(entry)
        return {"eventNotifications": [{"realmId": realm, "dataChangeEvent": {"entities": entities}}
                                       for realm, entities in by_realm.items()]}
    source = "intuit." + base64.b64encode(hashlib.sha256(app.client_id.encode()).digest()).decode()
    out = []
    for event in events:
        word = OPERATION_WORDS.get(event.operation, event.operation.lower())
        cloud_event: dict[str, Any] = {
            "specversion": "1.0", "id": event.event_id, "source": source,
            "type": f"qbo.{event.entity.lower()}.{word}.v1", "datacontenttype": "application/json",
            "time": utc_millis(event.at), "intuitentityid": event.entity_id, "intuitaccountid": event.realm_id,
        }
        cloud_event["data"] = {"deletedid": event.deleted_id} if event.deleted_id else {}
        out.append(cloud_event)
    return out


class WebhookDispatcher:
    def __init__(self, state: SimState) -> None:
        self.state = state
        self._pending: list[Event] = []
        self._deliveries: list[Delivery] = []
        self._cond = threading.Condition()
        self._stop = False
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="qbo-webhook")
        self._session = requests.Session()
        self._thread = threading.Thread(target=self._run, name="qbo-webhooks", daemon=True)
        self._thread.start()
        state.webhooks = self

    # -- producer side --------------------------------------------------------------------------------------------
    def enqueue(self, realm_id: str, entity: str, entity_id: str, operation: str, deleted_id: str | None) -> None:
        with self._cond:
            self._pending.append(Event(realm_id, entity, entity_id, operation, self.state.clock.now(),
                                       deleted_id=deleted_id))
            self._cond.notify_all()

    def wake(self) -> None:
        with self._cond:
            self._cond.notify_all()

    def clear(self) -> None:
        with self._cond:
            self._pending.clear()
            self._deliveries.clear()

    def deliveries(self, client_id: str | None = None) -> list[dict[str, Any]]:
        with self._cond:
            return [d.public() for d in self._deliveries if client_id in (None, d.client_id)]

    def wait_idle(self, timeout: float) -> bool:
        """Block until no event is queued and no delivery is due now or in flight (tests use this)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while time.monotonic() < deadline:
                now = self.state.clock.now()
                busy = self._pending or any(
                    d.state == "sending" or (d.state == "pending" and d.due_at <= now) for d in self._deliveries)
                if not busy:
                    return True
                self._cond.wait(0.02)
        return False

    def close(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        self._thread.join(timeout=2)
        self._pool.shutdown(wait=False, cancel_futures=True)

    # -- worker side ----------------------------------------------------------------------------------------------
    def _batch_pending(self) -> None:
        events, self._pending = self._pending, []
        by_app: dict[str, tuple[App, list[Event]]] = {}
        for event in events:
            for app in self.state.connected_apps(event.realm_id):
                if app.webhook_url:
                    by_app.setdefault(app.client_id, (app, []))[1].append(event)
        for app, app_events in by_app.values():
            body = json.dumps(build_payload(app, app_events), separators=(",", ":")).encode()
            self._deliveries.append(Delivery(
                delivery_id=str(uuid.uuid4()), client_id=app.client_id, url=str(app.webhook_url), body=body,
                content_type=app.content_type, signature=sign(app.verifier_token, body), events=len(app_events),
                due_at=self.state.clock.now()))

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stop:
                    return
                if self._pending:
                    self._batch_pending()
                now = self.state.clock.now()
                due = [d for d in self._deliveries if d.state == "pending" and d.due_at <= now]
                for delivery in due:
                    delivery.state = "sending"
                waits = [d.due_at - now for d in self._deliveries if d.state == "pending"]
                if not due:
                    # Wake at least every 0.5 s in case someone moved the clock without calling wake().
                    self._cond.wait(min([0.5, *waits]) if waits else 0.5)
                    continue
            for delivery in due:
                self._pool.submit(self._attempt, delivery)

    def _attempt(self, delivery: Delivery) -> None:
        timeout = self.state.config.webhook_timeout_seconds
        started = time.monotonic()
        record: dict[str, Any] = {"at": self.state.clock.now()}
        ok = False
        try:
            response = self._session.post(delivery.url, data=delivery.body, timeout=timeout, headers={
                "Content-Type": delivery.content_type, "intuit-signature": delivery.signature,
                "User-Agent": "intuit-webhooks-simulator"})
            elapsed = time.monotonic() - started
            record["status"] = response.status_code
            ok = 200 <= response.status_code < 300 and elapsed <= timeout
            if elapsed > timeout:
                record["error"] = "response slower than the timeout"
        except requests.RequestException as exc:
            record["error"] = type(exc).__name__
        record["elapsed_ms"] = int((time.monotonic() - started) * 1000)
        with self._cond:
            delivery.attempts.append(record)
            delays = self.state.config.webhook_retry_delays
            cap = self.state.config.webhook_max_attempts
            if ok:
                delivery.state = "delivered"
            elif not delays or (cap > 0 and len(delivery.attempts) >= cap):
                delivery.state = "failed"
            else:
                # After the listed delays Intuit retries "every 6 h" (api-facts Q11): the last delay repeats.
                delivery.state = "pending"
                delivery.due_at = self.state.clock.now() + delays[min(len(delivery.attempts), len(delays)) - 1]
            self._cond.notify_all()
