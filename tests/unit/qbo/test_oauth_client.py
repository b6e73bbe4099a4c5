"""Intuit OAuth: authorize URL, Basic client auth, code exchange, refresh (invalid_grant), revoke."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import pytest

from hubbooks.adapters.http_retry import RetryPolicy
from hubbooks.adapters.qbo.oauth_client import IntuitOAuthClient
from hubbooks.domain.auth.token_manager import GrantRevokedError
from hubbooks.domain.errors import ConfigurationError
from hubbooks.domain.qbo_errors import AuthorizationCodeRejectedError, IntuitOAuthError
from tests.unit.qbo.fakes import ScriptedSession, response

NOW = 1_800_000_000.0
TOKEN_BODY = {"access_token": "at", "token_type": "bearer", "expires_in": 3600, "refresh_token": "RT1-new",
              "x_refresh_token_expires_in": 8726400, "x_refresh_token_hard_expires_in": 156032154}


def make(session: ScriptedSession) -> IntuitOAuthClient:
    return IntuitOAuthClient(session, client_id="cid", client_secret="secret",  # type: ignore[arg-type]
                             authorize_url="https://intuit.test/connect/oauth2",
                             token_url="https://intuit.test/oauth2/v1/tokens/bearer",
                             revoke_url="https://intuit.test/v2/oauth2/tokens/revoke",
                             policy=RetryPolicy(max_attempts=2), clock=lambda: NOW, sleep=lambda _: None)


def test_authorization_url_names_client_scope_redirect_and_state() -> None:
    url = make(ScriptedSession()).authorization_url(redirect_uri="https://api.test/oauth/qbo/callback", state="s.1")
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://intuit.test/connect/oauth2"
    assert parse_qs(parts.query) == {"client_id": ["cid"], "response_type": ["code"],
                                     "scope": ["com.intuit.quickbooks.accounting"],
                                     "redirect_uri": ["https://api.test/oauth/qbo/callback"], "state": ["s.1"]}


def test_code_exchange_uses_basic_auth_and_reads_every_lifetime() -> None:
    session = ScriptedSession([response(200, TOKEN_BODY)])
    tokens = make(session).exchange_code("code-1", "https://api.test/cb")
    sent = session.sent[0]
    assert sent.headers["Authorization"] == "Basic " + base64.b64encode(b"cid:secret").decode()
    assert sent.form == {"grant_type": "authorization_code", "code": "code-1", "redirect_uri": "https://api.test/cb"}
    assert sent.headers["x-include-refresh-token-hard-expires-in"] == "true"
    assert tokens.refresh_token == "RT1-new"
    assert tokens.access_expires_at.timestamp() == NOW + 3600
    assert tokens.refresh_expires_at is not None and tokens.refresh_expires_at.timestamp() == NOW + 8726400
    assert tokens.refresh_hard_expires_at is not None


def test_a_used_or_expired_code_is_rejected_clearly() -> None:
    session = ScriptedSession([response(400, {"error": "invalid_grant", "error_description": "Token invalid"})])
    with pytest.raises(AuthorizationCodeRejectedError):
        make(session).exchange_code("old", "https://api.test/cb")


def test_refresh_with_a_dead_token_raises_grant_revoked() -> None:
    session = ScriptedSession([response(400, {"error": "invalid_grant", "error_description": "Token invalid"})])
    with pytest.raises(GrantRevokedError):
        make(session).refresh("RT1-old")
    assert session.sent[0].form == {"grant_type": "refresh_token", "refresh_token": "RT1-old"}


def test_refresh_retries_a_5xx_then_succeeds() -> None:
    session = ScriptedSession([response(503, {"error": "server_error"}), response(200, TOKEN_BODY)])
    assert make(session).refresh("RT1-old").access_token == "at"


def test_bad_client_credentials_are_a_configuration_problem() -> None:
    session = ScriptedSession([response(401, {"error": "invalid_client"})])
    with pytest.raises(ConfigurationError, match="client id or secret"):
        make(session).refresh("RT1")


def test_a_token_endpoint_that_keeps_failing_is_an_upstream_error() -> None:
    session = ScriptedSession([response(502, None), response(502, None)])
    with pytest.raises(IntuitOAuthError):
        make(session).exchange_code("c", "https://api.test/cb")


def test_revoke_sends_the_token_as_json() -> None:
    session = ScriptedSession([response(200, None), response(400, {"error": "invalid_request"})])
    client = make(session)
    assert client.revoke("RT1-a") is True
    assert client.revoke("RT1-gone") is False
    assert session.sent[0].json == {"token": "RT1-a"}
    assert session.sent[0].headers["Authorization"].startswith("Basic ")
