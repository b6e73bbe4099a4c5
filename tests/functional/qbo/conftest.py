"""The QBO simulator in-process, wired into the stack's settings and secrets, plus the connect-flow steps."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import oauth_handler
import pytest
import requests
from aws_lambda_powertools.utilities import parameters
from requests.adapters import HTTPAdapter

from hubbooks.adapters.aws.clients import aws_client
from hubbooks.adapters.qbo.factory import qbo_budgets, qbo_session
from hubbooks.config import get_settings
from sandbox.aws.provision import ProvisionedStack
from sandbox.qbo import create_app
from sandbox.simkit.server import RunningServer, serve_in_thread
from tests.support import API_DOMAIN, LambdaContext, http_event, json_body, signed_event

CALLBACK_URL = f"https://{API_DOMAIN}/oauth/qbo/callback"


@dataclass
class QboSim:
    app: Any
    server: RunningServer
    client_id: str
    client_secret: str

    @property
    def url(self) -> str:
        return self.server.url

    def control(self, method: str, path: str, body: Any = None) -> Any:
        answer = requests.request(method, f"{self.url}/_sandbox/{path}", json=body, timeout=10)
        assert answer.status_code < 400, answer.text
        return answer.json() if answer.content else None

    def new_company(self, name: str, country: str = "US", **settings: Any) -> str:
        body = {"name": name, "country": country, "sandbox": False, **settings}
        return str(self.control("POST", "companies", body)["realm_id"])

    def consent(self, authorize_url: str, realm_id: str | None, *, deny: bool = False) -> dict[str, str]:
        """What the user's click at Intuit leads to: the query string Intuit sends our callback."""
        params = dict(parse_qsl(urlsplit(authorize_url).query))
        answer = self.control("POST", "authorize", {**params, "realm_id": realm_id, "deny": deny})
        redirect = urlsplit(answer["redirect"])
        assert f"{redirect.scheme}://{redirect.netloc}{redirect.path}" == CALLBACK_URL
        return dict(parse_qsl(redirect.query))

    def token_calls(self) -> int:
        endpoints = self.control("GET", "stats")["endpoints"]
        return sum(endpoints.get("POST /oauth2/v1/tokens/bearer", {}).values())


def point_settings_at(monkeypatch: pytest.MonkeyPatch, api_base: str, oauth_base: str, client_id: str) -> None:
    monkeypatch.setenv("QBO_CLIENT_ID", client_id)
    monkeypatch.setenv("QBO_API_BASE_URL", api_base)
    monkeypatch.setenv("QBO_AUTHORIZE_URL", f"{oauth_base}/connect/oauth2")
    monkeypatch.setenv("QBO_TOKEN_URL", f"{oauth_base}/oauth2/v1/tokens/bearer")
    monkeypatch.setenv("QBO_REVOKE_URL", f"{oauth_base}/v2/oauth2/tokens/revoke")
    get_settings.cache_clear()


@pytest.fixture
def qbo_sim(aws: ProvisionedStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[QboSim]:
    # Every simulator numbers its companies from the same realm id, so per-company budgets must start empty.
    qbo_budgets.cache_clear()
    sim_app = create_app()
    server = serve_in_thread(sim_app)
    try:
        registered = requests.post(f"{server.url}/_sandbox/apps", json={"redirect_uris": [CALLBACK_URL]},
                                   timeout=10).json()
        aws_client("secretsmanager").put_secret_value(
            SecretId=aws.secrets["QboAppSecret"],
            SecretString=json.dumps({"client_secret": registered["client_secret"],
                                     "webhook_verifier_token": registered["verifier_token"]}))
        parameters.clear_caches()
        point_settings_at(monkeypatch, server.url, server.url, registered["client_id"])
        yield QboSim(sim_app, server, registered["client_id"], registered["client_secret"])
    finally:
        server.stop()
        sim_app.close()


class HostRouter(HTTPAdapter):
    """Plays DNS for one host name: sends its requests to the simulator on loopback (nothing else changes)."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self._target = urlsplit(target)

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        parts = urlsplit(request.url or "")
        request.url = parts._replace(scheme=self._target.scheme, netloc=self._target.netloc).geturl()
        return super().send(request, *args, **kwargs)


@pytest.fixture
def route_host() -> Iterator[Any]:
    mounted: list[str] = []

    def route(prefix: str, target: str) -> None:
        qbo_session().mount(prefix, HostRouter(target))
        mounted.append(prefix)

    yield route
    for prefix in mounted:
        qbo_session().adapters.pop(prefix, None)


# -- the connect flow, one request at a time, through the OAuth function -------------------------------------------
def call(event: dict[str, Any]) -> dict[str, Any]:
    return oauth_handler.lambda_handler(event, LambdaContext())


def request_connect_link(portal_id: int, user_id: int = 7) -> str:
    answer = call(signed_event("POST", "/oauth/qbo/connect-link", portal_id=portal_id, user_id=user_id))
    assert answer["statusCode"] == 200, answer
    return str(json_body(answer)["url"])


# The cookies the test's browser holds between requests, as a real browser would (cleared before each test).
BROWSER: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_browser() -> None:
    BROWSER.clear()


def open_link(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    assert f"https://{parts.netloc}{parts.path}" == f"https://{API_DOMAIN}/oauth/qbo/connect"
    answer = call(http_event("GET", parts.path, query=dict(parse_qsl(parts.query))))
    for cookie in answer.get("cookies") or []:
        name, _, rest = cookie.partition("=")
        BROWSER[name] = rest.split(";")[0]
    return answer


def intuit_authorize_url(portal_id: int, user_id: int = 7) -> str:
    answer = open_link(request_connect_link(portal_id, user_id))
    assert answer["statusCode"] == 302, answer
    return str(answer["headers"]["Location"])


def callback(query: dict[str, str], cookies: dict[str, str] | None = None) -> dict[str, Any]:
    jar = BROWSER if cookies is None else cookies
    return call(http_event("GET", "/oauth/qbo/callback", query=query,
                           cookies=[f"{name}={value}" for name, value in jar.items()]))


def connect(sim: QboSim, portal_id: int, realm_id: str, user_id: int = 7) -> dict[str, Any]:
    return callback(sim.consent(intuit_authorize_url(portal_id, user_id), realm_id))


def page_text(answer: dict[str, Any]) -> str:
    assert answer["headers"]["Content-Type"].startswith("text/html")
    return str(answer["body"])
