"""In-memory stand-ins for the HTTP session and stores the HubSpot code talks to (unit tier: no network)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import requests

from hubbooks.models.hubspot_install import HubSpotInstall
from hubbooks.models.tokens import GrantKey, StoredGrant, TokenSet


def http_response(status: int, body: Any = None, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = b"" if body is None else json.dumps(body).encode()
    response.headers.update({"Content-Type": "application/json", **(headers or {})})
    return response


@dataclass
class SentRequest:
    method: str
    url: str
    params: Any
    json: Any
    data: Any
    headers: dict[str, str]


class ScriptedSession(requests.Session):
    """Answers each request with the next scripted response (or raises it, for connection errors)."""

    def __init__(self, answers: Iterable[requests.Response | Exception]) -> None:
        super().__init__()
        self._answers = list(answers)
        self.sent: list[SentRequest] = []

    def request(self, method: Any, url: Any, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        self.sent.append(SentRequest(method, url, kwargs.get("params"), kwargs.get("json"), kwargs.get("data"),
                                     dict(kwargs.get("headers") or {})))
        answer = self._answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@dataclass
class MemoryTokenStore:
    grants: dict[GrantKey, StoredGrant] = field(default_factory=dict)

    def load(self, key: GrantKey) -> StoredGrant | None:
        return self.grants.get(key)

    def put(self, key: GrantKey, tokens: TokenSet) -> StoredGrant:
        version = self.grants[key].version + 1 if key in self.grants else 1
        self.grants[key] = StoredGrant(key=key, tokens=tokens, version=version)
        return self.grants[key]

    def delete(self, key: GrantKey) -> None:
        self.grants.pop(key, None)


@dataclass
class MemoryInstallStore:
    installs: dict[int, HubSpotInstall] = field(default_factory=dict)

    def save(self, install: HubSpotInstall) -> None:
        self.installs[install.portal_id] = install

    def get(self, portal_id: int) -> HubSpotInstall | None:
        return self.installs.get(portal_id)
