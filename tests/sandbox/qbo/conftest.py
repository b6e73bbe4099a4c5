"""Fixtures: the QBO simulator served on loopback, plus a connected app/company pair ready for API calls."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from sandbox.qbo import create_app
from sandbox.qbo.app import QboSimulator
from sandbox.simkit.server import RunningServer, serve_in_thread

REDIRECT_URI = "http://localhost:8765/callback"


@dataclass
class Sim:
    app: QboSimulator
    server: RunningServer

    @property
    def url(self) -> str:
        return self.server.url

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return requests.request(method, f"{self.url}/_sandbox{path}", timeout=10, **kwargs)

    def new_app(self, **extra: Any) -> dict[str, Any]:
        response = self.control("POST", "/apps", json={"redirect_uris": [REDIRECT_URI], **extra})
        assert response.status_code == 201, response.text
        return dict(response.json())

    def new_company(self, **extra: Any) -> str:
        body = {"name": "Sandbox Co", "country": "US", "home_currency": "USD", "multicurrency": False,
                "custom_txn_numbers": False, "sandbox": False, **extra}
        response = self.control("POST", "/companies", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["realm_id"])

    def authorize(self, app: dict[str, Any], realm: str, scope: str = "com.intuit.quickbooks.accounting",
                  state: str = "xyz") -> dict[str, str]:
        response = self.control("POST", "/authorize", json={
            "client_id": app["client_id"], "redirect_uri": REDIRECT_URI, "response_type": "code",
            "scope": scope, "state": state, "realm_id": realm})
        assert response.status_code == 200, response.text
        query = parse_qs(urlparse(response.json()["redirect"]).query)
        return {k: v[0] for k, v in query.items()}

    def token(self, app: dict[str, Any], form: dict[str, str], headers: dict[str, str] | None = None
              ) -> requests.Response:
        basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
        return requests.post(f"{self.url}/oauth2/v1/tokens/bearer", data=form, timeout=10,
                             headers={"Authorization": f"Basic {basic}", "Accept": "application/json",
                                      **(headers or {})})

    def connect(self, **company: Any) -> Connection:
        app = self.new_app()
        realm = self.new_company(**company)
        code = self.authorize(app, realm)["code"]
        tokens = self.token(app, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI})
        assert tokens.status_code == 200, tokens.text
        return Connection(self, app, realm, tokens.json())


@dataclass
class Connection:
    sim: Sim
    app: dict[str, Any]
    realm: str
    tokens: dict[str, Any]

    @property
    def base(self) -> str:
        return f"{self.sim.url}/v3/company/{self.realm}"

    def call(self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None,
             data: Any = None, headers: dict[str, str] | None = None) -> requests.Response:
        all_params = {"minorversion": "75", **(params or {})}
        all_headers = {"Authorization": f"Bearer {self.tokens['access_token']}", "Accept": "application/json",
                       **(headers or {})}
        return requests.request(method, f"{self.base}/{path}", params=all_params, json=json, data=data,
                                headers=all_headers, timeout=10)

    def ok(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self.call(method, path, **kwargs)
        assert response.status_code == 200, response.text
        body = response.json()
        assert "Fault" not in body, body
        return dict(body)

    def create(self, entity: str, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return dict(self.ok("POST", entity.lower(), json=body, **kwargs)[entity])

    def query(self, text: str) -> dict[str, Any]:
        return dict(self.ok("GET", "query", params={"query": text})["QueryResponse"])

    def fault(self, method: str, path: str, status: int = 400, **kwargs: Any) -> dict[str, Any]:
        response = self.call(method, path, **kwargs)
        assert response.status_code == status, response.text
        return dict(response.json()["Fault"]["Error"][0])


class _Current:
    """One loopback server for the session, pointing at a fresh simulator per test (stopping a server costs 0.5 s)."""

    def __init__(self) -> None:
        self.app: QboSimulator | None = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        assert self.app is not None
        return self.app(environ, start_response)


@pytest.fixture(scope="session")
def _server() -> Iterator[tuple[_Current, RunningServer]]:
    current = _Current()
    server = serve_in_thread(current)
    try:
        yield current, server
    finally:
        server.stop()


@pytest.fixture
def sim(_server: tuple[_Current, RunningServer]) -> Iterator[Sim]:
    current, server = _server
    app = create_app()
    # These tests pin wire behaviour, often through third-party clients that burst; Intuit's 10 requests/s limit
    # (on by default) has its own test, which turns it back on.
    app.state.apply_config({"rate_limit_per_second": 0})
    current.app = app
    try:
        yield Sim(app, server)
    finally:
        app.close()


@pytest.fixture
def us(sim: Sim) -> Connection:
    return sim.connect()


def invoice_body(customer: str = "1", amount: float = 100.0, item: str = "1", **extra: Any) -> dict[str, Any]:
    return {"CustomerRef": {"value": customer},
            "Line": [{"Amount": amount, "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": item}}}], **extra}
