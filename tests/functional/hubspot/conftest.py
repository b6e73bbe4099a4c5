"""The HubSpot simulator in-process with contract validation on: every test that talks to it fails at teardown if
a request our client sent, or an answer the simulator gave, breaks HubSpot's contract (its OpenAPI files where a
developer has them, else the models of its Python client; specs/README.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests

from hubbooks.adapters.hubspot.client import HubSpotClient
from hubbooks.adapters.hubspot.rate_budget import BudgetLimits, RequestBudget
from hubbooks.adapters.hubspot.transport import HubSpotTransport
from sandbox.hubspot import Simulator, create_app
from sandbox.simkit.server import RunningServer, serve_in_thread
from tests.hubspot_specs import CONTRACT_SOURCE

CHECKED = {"tests": 0, "violations": 0}


class RecordingSession(requests.Session):
    """A real session that remembers each answer's status (to prove, say, that no 429 ever came back)."""

    def __init__(self) -> None:
        super().__init__()
        self.statuses: list[int] = []

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        response = super().request(method, url, *args, **kwargs)
        self.statuses.append(response.status_code)
        return response


@dataclass
class HubSpotSim:
    app: Simulator
    server: RunningServer
    sleeps: list[float] = field(default_factory=list)  # the transport's retry backoffs
    budget_waits: list[float] = field(default_factory=list)  # the request budget's pacing

    @property
    def url(self) -> str:
        return self.server.url

    def control(self, method: str, path: str, body: Any = None) -> Any:
        response = requests.request(method, f"{self.url}/_sandbox/{path}", json=body, timeout=10)
        assert response.status_code < 400, response.text
        return response.json() if response.content else None

    def new_portal(self, currency: str = "USD", **extra: Any) -> int:
        return int(self.control("POST", "portals", {"company_currency": currency, **extra})["portal_id"])

    def static_token(self, portal_id: int) -> str:
        return str(self.control("POST", "tokens", {"portal_id": portal_id})["access_token"])

    def new_app(self, redirect_uri: str) -> dict[str, Any]:
        return dict(self.control("POST", "apps", {"redirect_uris": [redirect_uri]}))

    def budget(self, limits: BudgetLimits = BudgetLimits()) -> RequestBudget:
        """A request budget on the simulator's clock: its waits move that clock instead of sleeping."""
        return RequestBudget(limits, clock=self.app.clock.now, sleep=self._record_budget_wait)

    def client(self, portal_id: int, *, budget: RequestBudget | None = None,
               session: requests.Session | None = None) -> HubSpotClient:
        """Our client with a static sandbox token; every wait runs on the simulator's clock, so tests never sleep."""
        token = self.static_token(portal_id)
        transport = HubSpotTransport(self.url, session=session, access_token=lambda: token, portal_id=portal_id,
                                     budget=budget or self.budget(), sleep=self._record_sleep)
        return HubSpotClient(transport)

    def stats(self) -> dict[str, Any]:
        return dict(self.control("GET", "stats"))

    def calls(self, endpoint: str) -> int:
        return sum(self.stats()["endpoints"].get(endpoint, {}).values())

    def _record_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.app.clock.advance(seconds)  # rate-limit windows run on the simulator's clock

    def _record_budget_wait(self, seconds: float) -> None:
        self.budget_waits.append(seconds)
        self.app.clock.advance(seconds)


@pytest.fixture(scope="session")
def _running_simulator() -> Iterator[tuple[Simulator, RunningServer]]:
    app = create_app(validate_openapi=True, webhook_worker=False)
    server = serve_in_thread(app)
    yield app, server
    server.stop()
    app.close()


@pytest.fixture
def hubspot_sim(_running_simulator: tuple[Simulator, RunningServer]) -> Iterator[HubSpotSim]:
    """A freshly reset simulator; the test fails at teardown on any OpenAPI violation it caused."""
    app, server = _running_simulator
    app.reset()
    yield HubSpotSim(app=app, server=server)
    violations = app.violations()
    CHECKED["tests"] += 1
    CHECKED["violations"] += len(violations)
    assert not violations, "HubSpot OpenAPI contract violations:\n" + json.dumps(violations, indent=1)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if CHECKED["tests"]:
        terminalreporter.write_line(f"HubSpot contract ({CONTRACT_SOURCE}): {CHECKED['tests']} tests checked, "
                                    f"{CHECKED['violations']} violations")
