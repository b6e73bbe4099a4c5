"""Steps of the QuickBooks connect flow over HTTP against the running sandbox stack (shared by the e2e tests)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from sandbox.stack import StackProcess, http_json


@dataclass(frozen=True)
class Portal:
    portal_id: int
    user_id: int


def control(base_url: str, method: str, path: str, body: Any = None) -> Any:
    status, answer = http_json(method, f"{base_url}/_sandbox/{path}", body)
    assert status < 400, (path, status, answer)
    return answer


def new_portal(stack: StackProcess) -> Portal:
    """A HubSpot portal with our app installed, so its app cards can call the backend."""
    created = control(stack.hubspot_url, "POST", "portals", {"company_currency": "USD"})
    control(stack.hubspot_url, "POST", "installs", {"app_id": stack.hubspot_app["app_id"],
                                                    "portal_id": created["portal_id"]})
    return Portal(int(created["portal_id"]), int(created["user_id"]))


def new_company(stack: StackProcess, name: str, country: str, **settings: Any) -> str:
    body = {"name": name, "country": country, "sandbox": False, **settings}
    return str(control(stack.qbo_url, "POST", "companies", body)["realm_id"])


def card_fetch(stack: StackProcess, portal: Portal, method: str, path: str) -> dict[str, Any]:
    """What an app card's hubspot.fetch does: HubSpot signs the request and sends it to our backend."""
    answer = control(stack.hubspot_url, "POST", "fetch", {
        "app_id": stack.hubspot_app["app_id"], "portal_id": portal.portal_id, "user_id": portal.user_id,
        "method": method, "url": f"{stack.gateway_url}{path}"})
    return dict(answer)


def connect_link(stack: StackProcess, portal: Portal) -> str:
    answer = card_fetch(stack, portal, "POST", "/oauth/qbo/connect-link")
    assert answer["status"] == 200, answer
    return str(answer["body"]["url"])


def connections(stack: StackProcess, portal: Portal) -> list[dict[str, Any]]:
    answer = card_fetch(stack, portal, "GET", "/oauth/qbo/connections")
    assert answer["status"] == 200, answer
    return list(answer["body"]["connections"])


def disconnect(stack: StackProcess, portal: Portal, realm_id: str) -> dict[str, Any]:
    return card_fetch(stack, portal, "DELETE", f"/oauth/qbo/connections/{realm_id}")


# One browser for the flows: it keeps the cookie our connect page sets and sends it back to the callback.
BROWSER = requests.Session()


def authorize_url_from(link: str) -> str:
    """Open the connect link as a browser would (without following Intuit's page)."""
    answer = BROWSER.get(link, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def consent_headlessly(stack: StackProcess, authorize_url: str, realm_id: str | None, *, deny: bool = False) -> str:
    """The user's decision at Intuit, via the simulator's control API; returns our callback URL with its query."""
    params = dict(parse_qsl(urlsplit(authorize_url).query))
    return str(control(stack.qbo_url, "POST", "authorize", {**params, "realm_id": realm_id, "deny": deny})["redirect"])


def connect(stack: StackProcess, portal: Portal, realm_id: str) -> requests.Response:
    callback = consent_headlessly(stack, authorize_url_from(connect_link(stack, portal)), realm_id)
    return BROWSER.get(callback, timeout=60)
