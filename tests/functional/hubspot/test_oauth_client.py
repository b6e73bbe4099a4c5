"""Our HubSpot OAuth client against the simulator's /oauth/2026-03 endpoints (OpenAPI validation on)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from hubbooks.adapters.hubspot.oauth_client import AuthorizationCodeRejectedError, HubSpotOAuthClient, authorize_url
from hubbooks.adapters.hubspot.transport import HubSpotTransport
from hubbooks.domain.auth.token_manager import GrantRevokedError
from hubbooks.domain.connect.hubspot_install import INSTALL_SCOPES
from tests.functional.hubspot.conftest import HubSpotSim

REDIRECT_URI = "https://api.hubbooks.test/oauth/hubspot/callback"


def _oauth(sim: HubSpotSim) -> tuple[HubSpotOAuthClient, dict[str, object]]:
    app = sim.new_app(REDIRECT_URI)
    client = HubSpotOAuthClient(HubSpotTransport(sim.url), client_id=str(app["client_id"]),
                                client_secret=str(app["client_secret"]), redirect_uri=REDIRECT_URI)
    return client, app


def _consent(sim: HubSpotSim, app: dict[str, object], portal_id: int, state: str = "s1") -> str:
    answer = sim.control("POST", "authorize", {"client_id": app["client_id"], "redirect_uri": REDIRECT_URI,
                                               "scope": " ".join(INSTALL_SCOPES), "state": state,
                                               "portal_id": portal_id})
    query = parse_qs(urlsplit(answer["redirect"]).query)
    assert query["state"] == [state]
    return query["code"][0]


def test_authorize_url_carries_client_scopes_and_state() -> None:
    url = authorize_url("https://app.hubspot.com/oauth/authorize", client_id="cid", redirect_uri=REDIRECT_URI,
                        scopes=["oauth", "crm.objects.deals.read"], state="abc.def")
    parts = urlsplit(url)
    assert (parts.netloc, parts.path) == ("app.hubspot.com", "/oauth/authorize")
    assert parse_qs(parts.query) == {"client_id": ["cid"], "redirect_uri": [REDIRECT_URI],
                                     "scope": ["oauth crm.objects.deals.read"], "state": ["abc.def"]}


def test_code_exchange_introspection_and_refresh(hubspot_sim: HubSpotSim) -> None:
    oauth, app = _oauth(hubspot_sim)
    portal = hubspot_sim.new_portal("GBP")
    before = datetime.now(UTC)

    grant = oauth.exchange_code(_consent(hubspot_sim, app, portal))
    assert grant.hub_id == portal and grant.user_id
    assert timedelta(minutes=29) < grant.tokens.access_expires_at - before <= timedelta(minutes=31)
    assert set(INSTALL_SCOPES) <= set(grant.tokens.scopes)

    info = oauth.introspect(grant.tokens.access_token)
    assert info.active and info.hub_id == portal and info.app_id == app["app_id"] and info.hub_domain

    refreshed = oauth.refresh(grant.tokens.refresh_token)
    assert refreshed.access_token != grant.tokens.access_token
    assert refreshed.refresh_token == grant.tokens.refresh_token  # HubSpot hands back the same refresh token


def test_rotated_refresh_tokens_are_returned(hubspot_sim: HubSpotSim) -> None:
    hubspot_sim.control("POST", "oauth-config", {"rotate_refresh_tokens": True})
    oauth, app = _oauth(hubspot_sim)
    grant = oauth.exchange_code(_consent(hubspot_sim, app, hubspot_sim.new_portal()))
    rotated = oauth.refresh(grant.tokens.refresh_token)
    assert rotated.refresh_token != grant.tokens.refresh_token
    with pytest.raises(GrantRevokedError):
        oauth.refresh(grant.tokens.refresh_token)


def test_a_used_code_is_rejected(hubspot_sim: HubSpotSim) -> None:
    oauth, app = _oauth(hubspot_sim)
    code = _consent(hubspot_sim, app, hubspot_sim.new_portal())
    oauth.exchange_code(code)
    with pytest.raises(AuthorizationCodeRejectedError) as rejected:
        oauth.exchange_code(code)
    assert rejected.value.oauth_error == "invalid_grant"


def test_revoked_refresh_token_means_the_grant_is_gone(hubspot_sim: HubSpotSim) -> None:
    oauth, app = _oauth(hubspot_sim)
    grant = oauth.exchange_code(_consent(hubspot_sim, app, hubspot_sim.new_portal()))
    oauth.revoke(grant.tokens.refresh_token)
    with pytest.raises(GrantRevokedError):
        oauth.refresh(grant.tokens.refresh_token)
