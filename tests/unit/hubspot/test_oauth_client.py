"""The HubSpot OAuth client's mapping of token answers and failures (scripted HTTP, no network)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hubbooks.adapters.hubspot.errors import HubSpotValidationError
from hubbooks.adapters.hubspot.oauth_client import AuthorizationCodeRejectedError, HubSpotOAuthClient
from hubbooks.adapters.hubspot.transport import HubSpotTransport
from hubbooks.domain.auth.token_manager import GrantRevokedError
from tests.unit.hubspot.fakes import ScriptedSession, http_response

NOW = 1_800_000_000.0
TOKENS = {"token_type": "bearer", "access_token": "at", "refresh_token": "rt", "expires_in": 1800,
          "token_use": "access_token", "hub_id": 42, "user_id": 7, "scopes": ["oauth"]}


def _client(session: ScriptedSession) -> HubSpotOAuthClient:
    return HubSpotOAuthClient(HubSpotTransport("https://api.hubapi.test", session=session, sleep=lambda _: None),
                              client_id="cid", client_secret="cs", redirect_uri="https://app.test/cb",
                              clock=lambda: NOW)


def test_code_exchange_posts_a_form_and_reads_expiry_from_expires_in() -> None:
    session = ScriptedSession([http_response(200, TOKENS)])
    grant = _client(session).exchange_code("the-code")
    assert session.sent[0].url == "https://api.hubapi.test/oauth/2026-03/token"
    assert session.sent[0].data == {"client_id": "cid", "client_secret": "cs", "grant_type": "authorization_code",
                                    "code": "the-code", "redirect_uri": "https://app.test/cb"}
    assert session.sent[0].params is None  # never credentials in the query string
    assert (grant.hub_id, grant.user_id) == (42, 7)
    assert grant.tokens.access_expires_at == datetime.fromtimestamp(NOW + 1800, tz=UTC)


@pytest.mark.parametrize("body", [
    {"status": "BAD_REFRESH_TOKEN", "message": "missing or invalid refresh token", "correlationId": "c"},
    {"status": "BAD_REFRESH_TOKEN", "message": "m", "error": "invalid_grant", "error_description": "m",
     "category": "VALIDATION_ERROR", "correlationId": "c"},
])
def test_a_refused_refresh_token_means_the_grant_was_revoked(body: dict[str, str]) -> None:
    with pytest.raises(GrantRevokedError):
        _client(ScriptedSession([http_response(400, body)])).refresh("rt")


def test_a_bad_client_secret_is_not_mistaken_for_a_revoked_grant() -> None:
    body = {"status": "BAD_CLIENT_SECRET", "message": "m", "error": "invalid_client", "category": "VALIDATION_ERROR",
            "correlationId": "c"}
    with pytest.raises(HubSpotValidationError):
        _client(ScriptedSession([http_response(400, body)])).refresh("rt")


def test_a_used_code_asks_for_a_new_install() -> None:
    body = {"status": "BAD_AUTH_CODE", "message": "m", "error": "invalid_grant", "correlationId": "c",
            "category": "VALIDATION_ERROR"}
    with pytest.raises(AuthorizationCodeRejectedError) as rejected:
        _client(ScriptedSession([http_response(400, body)])).exchange_code("used")
    assert rejected.value.status_code == 502 and rejected.value.oauth_error == "invalid_grant"


def test_refresh_keeps_whatever_refresh_token_comes_back() -> None:
    rotated = {**TOKENS, "refresh_token": "rt-2"}
    tokens = _client(ScriptedSession([http_response(200, rotated)])).refresh("rt")
    assert tokens.refresh_token == "rt-2"
