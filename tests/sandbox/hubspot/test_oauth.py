"""OAuth: headless and HTML consent, token grants at v1/v3/2026-03, expiry, refresh, introspect, revoke."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.sandbox.hubspot.conftest import Sim, assert_no_violations

REDIRECT = "https://app.example.com/oauth/callback"


def _app(sim: Sim) -> dict[str, str]:
    return dict(sim.control("POST", "apps", json={"redirect_uris": [REDIRECT]}).json())


def _code(sim: Sim, app: dict[str, str], portal_id: int, scope: str = "oauth crm.objects.deals.read") -> str:
    answer = sim.control("POST", "authorize", json={"client_id": app["client_id"], "redirect_uri": REDIRECT,
                                                    "scope": scope, "state": "xyz", "portal_id": portal_id}).json()
    query = parse_qs(urlsplit(answer["redirect"]).query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def _exchange(sim: Sim, app: dict[str, str], code: str, path: str = "/oauth/2026-03/token") -> dict[str, object]:
    response = sim.http.post(sim.url + path, data={"grant_type": "authorization_code", "client_id": app["client_id"],
                                                   "client_secret": app["client_secret"], "redirect_uri": REDIRECT,
                                                   "code": code}, timeout=10)
    assert response.status_code == 200, response.text
    return dict(response.json())


@pytest.mark.parametrize("path", ["/oauth/v1/token", "/oauth/v3/token", "/oauth/2026-03/token"])
def test_code_exchange_and_token_use(sim: Sim, path: str) -> None:
    app, portal_id = _app(sim), sim.portal()
    tokens = _exchange(sim, app, _code(sim, app, portal_id), path)
    assert tokens["expires_in"] == 1800 and tokens["token_type"] == "bearer"
    assert tokens["hub_id"] == portal_id and tokens["scopes"] == ["oauth", "crm.objects.deals.read"]
    assert isinstance(tokens["user_id"], int)
    details = sim.api("GET", "/account-info/v3/details", str(tokens["access_token"]))
    assert details.json()["portalId"] == portal_id
    assert_no_violations(sim)


def test_code_is_single_use_and_errors_are_hubspot_shaped(sim: Sim) -> None:
    app, portal_id = _app(sim), sim.portal()
    code = _code(sim, app, portal_id)
    _exchange(sim, app, code)
    again = sim.http.post(sim.url + "/oauth/v3/token", data={
        "grant_type": "authorization_code", "client_id": app["client_id"], "client_secret": app["client_secret"],
        "redirect_uri": REDIRECT, "code": code}, timeout=10)
    assert again.status_code == 400
    body = again.json()
    assert body["status"] == "BAD_AUTH_CODE" and body["error"] == "invalid_grant" and body["correlationId"]
    wrong_secret = sim.http.post(sim.url + "/oauth/v3/token", data={
        "grant_type": "refresh_token", "client_id": app["client_id"], "client_secret": "nope", "refresh_token": "x"},
        timeout=10)
    assert wrong_secret.json()["status"] == "BAD_CLIENT_SECRET"
    assert_no_violations(sim)


def test_query_string_parameters_are_rejected_on_v3(sim: Sim) -> None:
    app = _app(sim)
    response = sim.http.post(sim.url + "/oauth/2026-03/token?client_secret=" + app["client_secret"],
                             data={"grant_type": "refresh_token"}, timeout=10)
    assert response.status_code == 400


def test_expiry_refresh_and_rotation(sim: Sim) -> None:
    app, portal_id = _app(sim), sim.portal()
    tokens = _exchange(sim, app, _code(sim, app, portal_id, "oauth crm.objects.contacts.read"))
    sim.control("POST", "clock", json={"advance_seconds": 1801})
    expired = sim.api("GET", "/crm/v3/objects/contacts", str(tokens["access_token"]))
    assert expired.status_code == 401 and expired.json()["category"] == "EXPIRED_AUTHENTICATION"
    form = {"grant_type": "refresh_token", "client_id": app["client_id"], "client_secret": app["client_secret"],
            "refresh_token": tokens["refresh_token"]}
    refreshed = sim.http.post(sim.url + "/oauth/2026-03/token", data=form, timeout=10).json()
    assert refreshed["refresh_token"] == tokens["refresh_token"]  # default: HubSpot hands back the same token
    assert sim.api("GET", "/crm/v3/objects/contacts", refreshed["access_token"]).status_code == 200
    sim.control("POST", "oauth-config", json={"rotate_refresh_tokens": True})
    rotated = sim.http.post(sim.url + "/oauth/2026-03/token", data=form, timeout=10).json()
    assert rotated["refresh_token"] != tokens["refresh_token"]
    stale = sim.http.post(sim.url + "/oauth/2026-03/token", data=form, timeout=10)
    assert stale.status_code == 400 and stale.json()["status"] == "BAD_REFRESH_TOKEN"
    assert_no_violations(sim)


def test_scopes_are_enforced(sim: Sim) -> None:
    app, portal_id = _app(sim), sim.portal()
    tokens = _exchange(sim, app, _code(sim, app, portal_id, "oauth crm.objects.deals.read"))
    denied = sim.api("POST", "/crm/v3/objects/deals", str(tokens["access_token"]),
                     json={"properties": {"dealname": "x"}, "associations": []})
    assert denied.status_code == 403 and denied.json()["category"] == "MISSING_SCOPES"


def test_introspect_revoke_and_v1_info(sim: Sim) -> None:
    app, portal_id = _app(sim), sim.portal()
    tokens = _exchange(sim, app, _code(sim, app, portal_id))
    creds = {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    info = sim.http.post(sim.url + "/oauth/2026-03/token/introspect",
                         data={**creds, "token": tokens["access_token"]}, timeout=10).json()
    assert info["active"] is True and info["hub_id"] == portal_id and info["token_use"] == "access_token"
    refresh_info = sim.http.post(sim.url + "/oauth/2026-03/token/introspect",
                                 data={**creds, "token": tokens["refresh_token"]}, timeout=10).json()
    assert refresh_info["token_use"] == "refresh_token"
    v1 = sim.http.get(f"{sim.url}/oauth/v1/access-tokens/{tokens['access_token']}", timeout=10).json()
    assert v1["hub_id"] == portal_id and v1["expires_in"] <= 1800
    revoked = sim.http.post(sim.url + "/oauth/2026-03/token/revoke",
                            data={**creds, "token": tokens["refresh_token"]}, timeout=10)
    assert revoked.status_code == 204
    again = sim.http.post(sim.url + "/oauth/v1/token", data={**creds, "grant_type": "refresh_token",
                                                              "refresh_token": tokens["refresh_token"]}, timeout=10)
    assert again.status_code == 400
    assert_no_violations(sim)


def test_html_consent_page(sim: Sim) -> None:
    app, portal_id = _app(sim), sim.portal()
    page = sim.http.get(sim.url + "/oauth/authorize", params={
        "client_id": app["client_id"], "redirect_uri": REDIRECT, "scope": "oauth", "state": "s1"}, timeout=10)
    assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
    assert f"value='{portal_id}'" in page.text and re.search(r"name='decision' value='approve'", page.text)
    form = {"client_id": app["client_id"], "redirect_uri": REDIRECT, "scope": "oauth", "state": "s1",
            "portal_id": str(portal_id)}
    approved = sim.http.post(sim.url + "/oauth/authorize", data={**form, "decision": "approve"},
                             allow_redirects=False, timeout=10)
    assert approved.status_code == 302
    assert parse_qs(urlsplit(approved.headers["Location"]).query)["state"] == ["s1"]
    denied = sim.http.post(sim.url + "/oauth/authorize", data={**form, "decision": "deny"},
                           allow_redirects=False, timeout=10)
    assert "error=access_denied" in denied.headers["Location"]
    bad = sim.http.get(sim.url + "/oauth/authorize", params={"client_id": app["client_id"],
                                                             "redirect_uri": "https://evil.example"}, timeout=10)
    assert bad.status_code == 400
