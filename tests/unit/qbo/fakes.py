"""In-memory stand-ins for the QBO tests: an HTTP session that plays scripted answers, and stores that keep the
real ones' semantics (conditional writes, one-time states) so races and retries are tested honestly."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from hubbooks.models.connections import ConnectionRef, QboConnection
from hubbooks.models.oauth_state import OAuthState
from hubbooks.models.tokens import GrantKey, StoredGrant, TokenSet


def response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> requests.Response:
    answer = requests.Response()
    answer.status_code = status
    answer._content = b"" if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    answer.headers.update({"Content-Type": "application/json", **(headers or {})})
    return answer


@dataclass
class SentRequest:
    method: str
    url: str
    params: dict[str, str]
    headers: dict[str, str]
    data: Any
    json: Any

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    @property
    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.data if isinstance(self.data, str) else "").items()} \
            if not isinstance(self.data, dict) else dict(self.data)


@dataclass
class ScriptedSession:
    """Answers each request with the next scripted response (or a callable of the request)."""

    answers: list[requests.Response | Callable[[SentRequest], requests.Response] | Exception] = field(
        default_factory=list)
    sent: list[SentRequest] = field(default_factory=list)

    def request(self, method: str, url: str, *, params: Any = None, data: Any = None, json: Any = None,
                headers: Any = None, timeout: Any = None) -> requests.Response:
        assert timeout is not None, "every request needs a timeout"
        sent = SentRequest(method, url, dict(params or {}), dict(headers or {}), data, json)
        self.sent.append(sent)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer(sent) if callable(answer) else answer

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)


class MemoryTokenStore:
    """TokenStore with DynamoDB's per-item atomicity: every check-and-write happens under one lock."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self.items: dict[GrantKey, dict[str, Any]] = {}

    def load(self, key: GrantKey) -> StoredGrant | None:
        with self._lock:
            item = self.items.get(key)
            if item is None:
                return None
            return StoredGrant(key=key, tokens=item["tokens"], version=item["ver"], updated_at=item["updated_at"])

    def put(self, key: GrantKey, tokens: TokenSet) -> StoredGrant:
        with self._lock:
            version = self.items.get(key, {}).get("ver", 0) + 1
            self.items[key] = {"tokens": tokens, "ver": version, "updated_at": self._now(), "lease": None}
            return StoredGrant(key=key, tokens=tokens, version=version, updated_at=self.items[key]["updated_at"])

    def replace(self, grant: StoredGrant, tokens: TokenSet) -> StoredGrant | None:
        with self._lock:
            item = self.items.get(grant.key)
            if item is None or item["ver"] != grant.version:
                return None
            item.update(tokens=tokens, ver=grant.version + 1, updated_at=self._now(), lease=None)
            return StoredGrant(key=grant.key, tokens=tokens, version=grant.version + 1, updated_at=item["updated_at"])

    def try_lease(self, grant: StoredGrant, holder: str, until_epoch: float, now_epoch: float) -> bool:
        with self._lock:
            item = self.items.get(grant.key)
            if item is None or item["ver"] != grant.version:
                return False
            if item["lease"] is not None and item["lease"][1] >= now_epoch:
                return False
            item["lease"] = (holder, until_epoch)
            return True

    def release_lease(self, key: GrantKey, holder: str) -> None:
        with self._lock:
            item = self.items.get(key)
            if item is not None and item["lease"] is not None and item["lease"][0] == holder:
                item["lease"] = None

    def delete(self, key: GrantKey) -> None:
        with self._lock:
            self.items.pop(key, None)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(int(self._clock()), tz=UTC)


class MemoryConnectionStore:
    def __init__(self) -> None:
        self.items: dict[tuple[int, str], QboConnection] = {}

    def save(self, connection: QboConnection) -> None:
        self.items[(connection.portal_id, connection.realm_id)] = connection

    def get(self, portal_id: int, realm_id: str) -> QboConnection | None:
        return self.items.get((portal_id, realm_id))

    def list_for_portal(self, portal_id: int) -> list[QboConnection]:
        return [c for (portal, _), c in self.items.items() if portal == portal_id]

    def list_connected(self, portal_id: int) -> list[QboConnection]:
        return sorted((c for c in self.list_for_portal(portal_id) if c.status == "connected"),
                      key=lambda c: c.realm_id)

    def iter_connected(self) -> Iterator[ConnectionRef]:
        for connection in self.items.values():
            if connection.status == "connected":
                yield ConnectionRef(portal_id=connection.portal_id, realm_id=connection.realm_id)

    def mark_needs_reconnect(self, portal_id: int, realm_id: str, at: datetime) -> bool:
        connection = self.items.get((portal_id, realm_id))
        if connection is None or connection.status != "connected":
            return False
        self.items[(portal_id, realm_id)] = connection.model_copy(update={"status": "needs_reconnect",
                                                                          "needs_reconnect_since": at})
        return True


class MemoryStateStore:
    def __init__(self) -> None:
        self.items: dict[str, OAuthState] = {}

    def put(self, state: OAuthState) -> None:
        self.items[state.nonce] = state

    def take(self, nonce: str) -> OAuthState | None:
        return self.items.pop(nonce, None)


class StrictIntuit:
    """Intuit's token endpoint with strict rotation: each refresh returns a new refresh token and kills the old."""

    def __init__(self, clock: Callable[[], float], delay: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._clock = clock
        self._delay = delay
        self.live_refresh_token = "rt-0"
        self.refresh_calls = 0
        self.revoked = False

    def refresh(self, refresh_token: str) -> TokenSet:
        from hubbooks.domain.auth.token_manager import GrantRevokedError

        if self._delay:
            threading.Event().wait(self._delay)  # a slow token endpoint widens the race window
        with self._lock:
            self.refresh_calls += 1
            if self.revoked or refresh_token != self.live_refresh_token:
                raise GrantRevokedError("invalid_grant")
            self.live_refresh_token = f"rt-{self.refresh_calls}"
            return tokens(f"at-{self.refresh_calls}", self.live_refresh_token, self._clock() + 3600)


def tokens(access: str, refresh: str, expires_epoch: float) -> TokenSet:
    return TokenSet(access_token=access, refresh_token=refresh,
                    access_expires_at=datetime.fromtimestamp(expires_epoch, tz=UTC))
