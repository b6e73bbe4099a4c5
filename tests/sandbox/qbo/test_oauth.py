"""Intuit OAuth 2.0 wire behaviour: codes, token lifetimes, rotation, hard cap, revocation, error bodies."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import requests

from tests.sandbox.qbo.conftest import REDIRECT_URI, Sim

DAY = 86_400


def _code(sim: Sim) -> tuple[dict, str, str]:
    app = sim.new_app()
    realm = sim.new_company()
    callback = sim.authorize(app, realm, state="s1")
    assert callback["state"] == "s1" and callback["realmId"] == realm
    return app, realm, callback["code"]


def _exchange(sim: Sim, app: dict, code: str, **headers: str) -> requests.Response:
    return sim.token(app, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI}, headers)


def test_code_exchange_shape_and_headers(sim: Sim) -> None:
    app, _, code = _code(sim)
    response = _exchange(sim, app, code, **{"x-include-refresh-token-hard-expires-in": "true"})
    assert response.status_code == 200
    assert response.headers["intuit_tid"] and response.headers["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert body["x_refresh_token_expires_in"] == 8_726_400
    assert abs(body["x_refresh_token_hard_expires_in"] - 5 * 365 * DAY) < 5
    assert "id_token" not in body and "realmId" not in body


def test_codes_are_single_use_and_short_lived(sim: Sim) -> None:
    app, realm, code = _code(sim)
    assert _exchange(sim, app, code).status_code == 200
    again = _exchange(sim, app, code)
    assert again.status_code == 400
    assert again.json() == {"error_description": "Token invalid", "error": "invalid_grant"}
    late = sim.authorize(app, realm)["code"]
    sim.control("POST", "/clock", json={"advance_seconds": 601})
    assert _exchange(sim, app, late).status_code == 400


def test_bad_client_and_redirect_mismatch(sim: Sim) -> None:
    app, _, code = _code(sim)
    wrong = {**app, "client_secret": "nope"}
    response = _exchange(sim, wrong, code)
    assert response.status_code == 401 and response.json() == {"error": "invalid_client"}
    mismatch = sim.token(app, {"grant_type": "authorization_code", "code": code, "redirect_uri": "http://x/cb"})
    assert mismatch.status_code == 400 and mismatch.json()["error"] == "invalid_grant"
    bad_type = sim.token(app, {"grant_type": "password"})
    assert bad_type.json() == {"error": "unsupported_grant_type"}


def test_refresh_rotates_and_grace_or_strict(sim: Sim) -> None:
    app, _, code = _code(sim)
    first = _exchange(sim, app, code).json()
    second = sim.token(app, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}).json()
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    # grace (default): the superseded token still works and hands back a current one
    again = sim.token(app, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert again.status_code == 200
    sim.control("POST", "/config", json={"old_refresh_token": "strict"})
    latest = again.json()["refresh_token"]
    refused = sim.token(app, {"grant_type": "refresh_token", "refresh_token": second["refresh_token"]})
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert sim.token(app, {"grant_type": "refresh_token", "refresh_token": latest}).status_code == 200


def test_daily_rotation_keeps_value_within_a_day(sim: Sim) -> None:
    sim.control("POST", "/config", json={"token_rotation": "daily"})
    app, _, code = _code(sim)
    first = _exchange(sim, app, code).json()
    same = sim.token(app, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}).json()
    assert same["refresh_token"] == first["refresh_token"]
    sim.control("POST", "/clock", json={"advance_seconds": DAY + 1})
    rotated = sim.token(app, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]}).json()
    assert rotated["refresh_token"] != first["refresh_token"]


def test_refresh_token_expires_after_100_days_idle(sim: Sim) -> None:
    app, _, code = _code(sim)
    first = _exchange(sim, app, code).json()
    sim.control("POST", "/clock", json={"advance_seconds": 8_726_401})
    response = sim.token(app, {"grant_type": "refresh_token", "refresh_token": first["refresh_token"]})
    assert response.status_code == 400 and response.json()["error"] == "invalid_grant"


def test_access_token_expiry_and_revocation_give_lowercase_401(sim: Sim) -> None:
    conn = sim.connect()
    assert conn.call("GET", "companyinfo/" + conn.realm).status_code == 200
    sim.control("POST", "/clock", json={"advance_seconds": 3601})
    expired = conn.call("GET", "companyinfo/" + conn.realm)
    assert expired.status_code == 401
    assert expired.headers["Www-Authenticate"] == 'Bearer realm="Intuit", error="invalid_token"'
    fault = expired.json()["fault"]
    assert fault["type"] == "AUTHENTICATION" and fault["error"][0]["code"] == "3200"
    assert fault["error"][0]["detail"].startswith("Token expired")
    refreshed = sim.token(conn.app, {"grant_type": "refresh_token", "refresh_token": conn.tokens["refresh_token"]})
    conn.tokens = refreshed.json()
    assert conn.call("GET", "preferences").status_code == 200
    basic = requests.auth.HTTPBasicAuth(conn.app["client_id"], conn.app["client_secret"])
    revoked = requests.post(f"{sim.url}/v2/oauth2/tokens/revoke", json={"token": conn.tokens["refresh_token"]},
                            auth=basic, timeout=10)
    assert revoked.status_code == 200
    assert conn.call("GET", "preferences").status_code == 401
    again = sim.token(conn.app, {"grant_type": "refresh_token", "refresh_token": conn.tokens["refresh_token"]})
    assert again.status_code == 400


def test_token_for_another_realm_is_forbidden(sim: Sim) -> None:
    conn = sim.connect()
    other = sim.new_company(name="Other")
    response = requests.get(f"{sim.url}/v3/company/{other}/preferences", timeout=10,
                            headers={"Authorization": f"Bearer {conn.tokens['access_token']}"})
    assert response.status_code == 403
    assert response.json()["Fault"]["Error"][0]["code"] == "3100"


def test_consent_page_approve_and_deny(sim: Sim) -> None:
    app = sim.new_app()
    realm = sim.new_company(name="Picker Co")
    params = {"client_id": app["client_id"], "redirect_uri": REDIRECT_URI, "response_type": "code",
              "scope": "com.intuit.quickbooks.accounting openid", "state": "abc"}
    page = requests.get(f"{sim.url}/connect/oauth2", params=params, timeout=10)
    assert page.status_code == 200 and 'name="realm_id"' in page.text and "Picker Co" in page.text
    denied = requests.post(f"{sim.url}/connect/oauth2", data={**params, "decision": "deny"}, allow_redirects=False,
                           timeout=10)
    assert parse_qs(urlparse(denied.headers["Location"]).query) == {"error": ["access_denied"], "state": ["abc"]}
    approved = requests.post(f"{sim.url}/connect/oauth2", data={**params, "decision": "approve", "realm_id": realm},
                             allow_redirects=False, timeout=10)
    query = parse_qs(urlparse(approved.headers["Location"]).query)
    assert query["realmId"] == [realm] and query["state"] == ["abc"] and query["code"]
    bad = requests.get(f"{sim.url}/connect/oauth2", params={**params, "redirect_uri": "https://evil.example/cb"},
                       timeout=10)
    assert bad.status_code == 400


def test_openid_only_scope_has_no_realm(sim: Sim) -> None:
    app = sim.new_app()
    realm = sim.new_company()
    callback = sim.authorize(app, realm, scope="openid email")
    assert "realmId" not in callback
    tokens = sim.token(app, {"grant_type": "authorization_code", "code": callback["code"],
                             "redirect_uri": REDIRECT_URI}).json()
    assert tokens["id_token"].count(".") == 2
    info = requests.get(f"{sim.url}/v1/openid_connect/userinfo", timeout=10,
                        headers={"Authorization": f"Bearer {tokens['access_token']}"})
    assert info.status_code == 200 and info.json()["email"]


def test_discovery_document_points_at_the_simulator(sim: Sim) -> None:
    doc = requests.get(f"{sim.url}/.well-known/openid_sandbox_configuration/", timeout=10).json()
    assert doc["token_endpoint"] == f"{sim.url}/oauth2/v1/tokens/bearer"
    assert doc["revocation_endpoint"] == f"{sim.url}/v2/oauth2/tokens/revoke"
    assert doc["authorization_endpoint"] == f"{sim.url}/connect/oauth2"
    assert requests.get(doc["jwks_uri"], timeout=10).json()["keys"][0]["kty"] == "RSA"
