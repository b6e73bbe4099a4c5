"""Outbound webhooks: CRM changes become signed JSON-array POSTs to each installed app, retried with backoff."""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import zlib
from dataclasses import dataclass, field
from typing import Any

import requests

from sandbox.hubspot.crm import CrmEvent
from sandbox.hubspot.objecttypes import by_name
from sandbox.hubspot.signing import sign_v1, v3_headers
from sandbox.hubspot.state import App, State
from sandbox.simkit.clock import SimClock

MAX_EVENTS_PER_REQUEST = 100
MAX_RETRIES = 10
NO_RETRY_STATUSES = {400, 401, 403, 404, 405}
USER_AGENT = "HubSpot Connect 2.0 (http://dev.hubspot.com/) - WebhooksExecutorDaemon (hubbooks sandbox)"


def backoff_seconds(attempt: int) -> float:
    """Delay before retry number `attempt` (1-based): exponential from 60 s, capped at one hour."""
    return float(min(60 * 2 ** (attempt - 1), 3600))


@dataclass
class Delivery:
    delivery_id: int
    app_id: int
    portal_id: int
    events: list[dict[str, Any]]
    due: float
    attempt: int = 0
    done: bool = False
    outcome: str = "pending"  # pending | delivered | failed
    attempts: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"delivery_id": self.delivery_id, "app_id": self.app_id, "portal_id": self.portal_id,
                "events": self.events, "outcome": self.outcome, "next_attempt_at": None if self.done else self.due,
                "attempts": self.attempts}


class WebhookDispatcher:
    def __init__(self, state: State, clock: SimClock, timeout_seconds: float = 5.0) -> None:
        self.state = state
        self.clock = clock
        self.timeout_seconds = timeout_seconds
        self._lock = threading.Lock()
        self._pending: dict[tuple[int, int], list[dict[str, Any]]] = {}
        self._deliveries: list[Delivery] = []
        self._event_ids = itertools.count(1)
        self._delivery_ids = itertools.count(1)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._send_lock = threading.Lock()

    # ---- event intake -------------------------------------------------------------------------------------------

    @staticmethod
    def _classic(event: CrmEvent) -> tuple[str, str | None]:
        otype = by_name(event.object_type)
        if otype.webhook_prefix is None:
            return f"object.{event.kind}", otype.type_id
        return f"{otype.webhook_prefix}.{event.kind}", None

    @staticmethod
    def _subscription(app: App, event: CrmEvent) -> tuple[str, str | None] | None:
        """The subscription type an app receives the event under, or None when it is not subscribed.

        Apps register either classic subscriptions ({"eventType": "contact.propertyChange", "propertyName"}) or, as
        a developer-platform project's webhooks-hsmeta.json declares them, generic ones ({"subscriptionType":
        "object.propertyChange", "objectType": "contact", "propertyName", "active"}), delivered as object.* events
        with the objectTypeId. No subscriptions at all: every event, classic style."""
        classic = WebhookDispatcher._classic(event)
        if app.subscriptions is None:
            return classic
        otype = by_name(event.object_type)
        for sub in app.subscriptions:
            wanted = sub.get("propertyName")
            if wanted and wanted != event.property_name:
                continue
            if sub.get("eventType") == classic[0]:
                return classic
            if (sub.get("subscriptionType") == f"object.{event.kind}" and sub.get("active", True) is not False
                    and sub.get("objectType") in (otype.singular, otype.name, otype.type_id)):
                return f"object.{event.kind}", otype.type_id
        return None

    def on_event(self, event: CrmEvent) -> None:
        with self.state.lock:
            targets = [(app, found) for (app_id, portal_id) in self.state.installs
                       if portal_id == event.portal_id and (app := self.state.apps.get(app_id)) is not None
                       and app.webhook_url and (found := self._subscription(app, event)) is not None]
        for app, (subscription_type, object_type_id) in targets:
            payload: dict[str, Any] = {
                "eventId": next(self._event_ids),
                "subscriptionId": zlib.crc32(f"{app.app_id}:{subscription_type}".encode()) % 10**7,
                "portalId": event.portal_id, "appId": app.app_id, "occurredAt": event.occurred_ms,
                "subscriptionType": subscription_type, "attemptNumber": 0, "objectId": int(event.object_id),
                "changeSource": event.change_source,
            }
            if event.source_id:
                payload["sourceId"] = event.source_id
            if object_type_id:
                payload["objectTypeId"] = object_type_id
            if event.kind == "creation":
                payload["changeFlag"] = "NEW"
            if event.kind == "deletion":
                payload["changeFlag"] = "DELETED"
            if event.property_name is not None:
                payload["propertyName"] = event.property_name
                payload["propertyValue"] = event.property_value or ""
            with self._lock:
                self._pending.setdefault((app.app_id, event.portal_id), []).append(payload)

    # ---- delivery -----------------------------------------------------------------------------------------------

    def _batch_pending(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
            for (app_id, portal_id), events in pending.items():
                for start in range(0, len(events), MAX_EVENTS_PER_REQUEST):
                    self._deliveries.append(Delivery(next(self._delivery_ids), app_id, portal_id,
                                                     events[start:start + MAX_EVENTS_PER_REQUEST], self.clock.now()))

    def flush(self) -> int:
        """Send every delivery that is due now; returns how many requests were attempted."""
        with self._send_lock:
            self._batch_pending()
            now = self.clock.now()
            with self._lock:
                due = [d for d in self._deliveries if not d.done and d.due <= now]
            for delivery in due:
                self._attempt(delivery)
            return len(due)

    def _attempt(self, delivery: Delivery) -> None:
        app = self.state.apps.get(delivery.app_id)
        if app is None or not app.webhook_url:
            delivery.done, delivery.outcome = True, "failed"
            return
        for event in delivery.events:
            event["attemptNumber"] = delivery.attempt
        body = json.dumps(delivery.events, separators=(",", ":"))
        timestamp_ms = int(self.clock.now() * 1000)
        headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT,
                   "X-HubSpot-Signature": sign_v1(app.client_secret, body), "X-HubSpot-Signature-Version": "v1",
                   **v3_headers(app.client_secret, "POST", app.webhook_url, body, timestamp_ms)}
        status: int | None = None
        error: str | None = None
        retry_after: float | None = None
        try:
            response = requests.post(app.webhook_url, data=body.encode(), headers=headers,
                                     timeout=self.timeout_seconds)
            status = response.status_code
            if status == 429 and response.headers.get("Retry-After", "").isdigit():
                retry_after = float(response.headers["Retry-After"])
        except requests.RequestException as exc:
            error = f"{type(exc).__name__}: {exc}"
        delivery.attempts.append({"attempt": delivery.attempt, "status": status, "error": error,
                                  "at": self.clock.now()})
        if status is not None and 200 <= status < 300:
            delivery.done, delivery.outcome = True, "delivered"
        elif (status in NO_RETRY_STATUSES) or delivery.attempt >= MAX_RETRIES:
            delivery.done, delivery.outcome = True, "failed"
        else:
            delivery.attempt += 1
            delivery.due = self.clock.now() + (retry_after if retry_after is not None
                                               else backoff_seconds(delivery.attempt))

    def deliveries(self) -> list[dict[str, Any]]:
        with self._lock:
            return [d.to_json() for d in self._deliveries]

    def clear(self) -> None:
        with self._lock:
            self._deliveries.clear()
            self._pending.clear()

    def start(self, interval_seconds: float = 0.1) -> None:
        if self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.wait(interval_seconds):
                with contextlib.suppress(Exception):  # a bad receiver must not kill the worker
                    self.flush()

        self._thread = threading.Thread(target=loop, name="hubspot-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
