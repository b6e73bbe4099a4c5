"""Fixtures: the simulator served on loopback, a seeded portal with a static token, and a capturing receiver."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from werkzeug.wrappers import Request, Response

from sandbox.hubspot import Simulator, create_app
from sandbox.simkit.server import RunningServer, serve_in_thread


@dataclass
class Sim:
    app: Simulator
    server: RunningServer
    http: requests.Session = field(default_factory=requests.Session)

    @property
    def url(self) -> str:
        return self.server.url

    def control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, f"{self.url}/_sandbox/{path}", timeout=10, **kwargs)

    def api(self, method: str, path: str, token: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {token}", **kwargs.pop("headers", {})}
        return self.http.request(method, f"{self.url}{path}", headers=headers, timeout=10, **kwargs)

    def portal(self, currency: str = "USD", **extra: Any) -> int:
        return int(self.control("POST", "portals", json={"company_currency": currency, **extra}).json()["portal_id"])

    def token(self, portal_id: int) -> str:
        return str(self.control("POST", "tokens", json={"portal_id": portal_id}).json()["access_token"])


@pytest.fixture(scope="session")
def _served() -> Iterator[Sim]:
    app = create_app(validate_openapi=True, webhook_worker=False)
    server = serve_in_thread(app)
    try:
        yield Sim(app, server)
    finally:
        server.stop()
        app.close()


@pytest.fixture
def sim(_served: Sim) -> Sim:
    # One server for the session; each test starts from a clean simulator through the control API.
    assert _served.control("POST", "reset").status_code == 204
    return _served


@dataclass
class Seeded:
    sim: Sim
    portal_id: int
    token: str

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.sim.api(method, path, self.token, **kwargs)

    def create(self, object_type: str, properties: dict[str, str], prefix: str = "/crm/v3/objects",
               associations: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        response = self.api("POST", f"{prefix}/{object_type}",
                            json={"properties": properties, "associations": associations or []})
        assert response.status_code == 201, response.text
        return dict(response.json())


@pytest.fixture
def seeded(sim: Sim) -> Seeded:
    portal_id = sim.portal("USD", additional_currencies=["EUR"])
    return Seeded(sim, portal_id, sim.token(portal_id))


@dataclass
class Receiver:
    server: RunningServer
    requests: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    body: bytes = b'{"ok":true}'
    content_type: str = "application/json"
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        return self.server.url


@pytest.fixture(scope="session")
def _receiver_server() -> Iterator[Receiver]:
    holder: dict[str, Receiver] = {}

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        rec = holder["r"]
        with rec.lock:
            rec.requests.append({"method": request.method, "url": request.url, "headers": dict(request.headers),
                                 "body": request.get_data(as_text=True), "args": request.args.to_dict()})
        return Response(rec.body, status=rec.status, content_type=rec.content_type)(environ, start_response)

    server = serve_in_thread(app)
    holder["r"] = Receiver(server)
    try:
        yield holder["r"]
    finally:
        server.stop()


@pytest.fixture
def receiver(_receiver_server: Receiver) -> Receiver:
    rec = _receiver_server
    rec.requests.clear()
    rec.status, rec.body, rec.content_type = 200, b'{"ok":true}', "application/json"
    return rec


def assert_no_violations(sim: Sim) -> None:
    found = sim.control("GET", "openapi-violations").json()
    assert found["count"] == 0, found["violations"]
