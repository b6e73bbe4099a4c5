"""The signed request an app card's `hubspot.fetch` sends to an app backend (api-facts H4)."""

from __future__ import annotations

import base64
import json
import time
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from sandbox.hubspot.errors import HubSpotError, validation
from sandbox.hubspot.signing import v3_headers
from sandbox.hubspot.state import State
from sandbox.simkit.clock import SimClock
from sandbox.simkit.ratelimit import ConcurrencyLimiter

TIMEOUT_SECONDS = 15.0
MAX_BYTES = 1_000_000
MAX_CONCURRENT = 20


def with_identity(url: str, user_id: int, portal_id: int, user_email: str, app_id: int) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [("userId", str(user_id)), ("portalId", str(portal_id)), ("userEmail", user_email),
              ("appId", str(app_id))]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def _decode_body(response: requests.Response) -> dict[str, Any]:
    content_type = response.headers.get("Content-Type", "")
    raw = response.content
    if "json" in content_type:
        try:
            return {"body": json.loads(raw)}
        except ValueError:
            pass
    if content_type.startswith("text/") or "json" in content_type or "xml" in content_type or not raw:
        return {"body": raw.decode(response.encoding or "utf-8", errors="replace")}
    return {"body": None, "body_base64": base64.b64encode(raw).decode()}


class CardFetcher:
    def __init__(self, state: State, clock: SimClock) -> None:
        self.state = state
        self.clock = clock
        self.in_flight = ConcurrencyLimiter(MAX_CONCURRENT)

    def fetch(self, app_id: int, portal_id: int, user_id: int, method: str, url: str, body: Any = None,
              user_email: str | None = None) -> dict[str, Any]:
        with self.state.lock:
            app = self.state.apps.get(app_id)
            portal = self.state.portals.get(portal_id)
            installed = (app_id, portal_id) in self.state.installs
        if app is None or portal is None:
            raise HubSpotError(404, "OBJECT_NOT_FOUND", "unknown app_id or portal_id")
        if not installed:
            raise HubSpotError(409, "CONFLICT", f"app {app_id} is not installed in portal {portal_id}")
        method = method.upper()
        email = user_email or next((u.email for u in portal.users if u.user_id == user_id),
                                   f"user{user_id}@portal{portal_id}.example.com")
        final_url = with_identity(url, user_id, portal_id, email, app_id)
        payload = "" if body is None or method == "GET" else json.dumps(body, separators=(",", ":"))
        if len(payload.encode()) > MAX_BYTES:
            raise validation("hubspot.fetch request bodies are limited to 1 MB")
        key = f"{app_id}:{portal_id}"
        if not self.in_flight.acquire(key):
            return {"status": 429, "headers": {}, "body": {"message": "Too many concurrent hubspot.fetch requests"}}
        try:
            return self._send(app.client_secret, method, final_url, payload)
        finally:
            self.in_flight.release(key)

    def _send(self, secret: str, method: str, url: str, payload: str) -> dict[str, Any]:
        deadline = time.monotonic() + TIMEOUT_SECONDS
        last: requests.Response | None = None
        last_error = "timeout after 15 s"
        attempts = 0
        for attempt in range(2):  # one automatic retry on a connection failure or a 5xx, within the timeout
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            attempts = attempt + 1
            timestamp_ms = int(self.clock.now() * 1000)
            headers = {"Accept": "application/json", **v3_headers(secret, method, url, payload, timestamp_ms)}
            if payload:
                headers["Content-Type"] = "application/json"
            try:
                last = requests.request(method, url, data=payload.encode() if payload else None,
                                        headers=headers, timeout=remaining)
            except requests.Timeout:
                last, last_error = None, "timeout after 15 s"
                break
            except requests.RequestException as exc:
                last, last_error = None, f"{type(exc).__name__}: {exc}"
                continue
            if last.status_code < 500:
                break
        if last is None:
            return {"status": 0, "headers": {}, "body": None, "error": last_error, "url": url, "attempts": attempts}
        if len(last.content) > MAX_BYTES:
            return {"status": 0, "headers": dict(last.headers), "body": None, "error": "response larger than 1 MB",
                    "url": url, "attempts": attempts}
        return {"status": last.status_code, "headers": dict(last.headers), "url": url, "attempts": attempts,
                **_decode_body(last)}
