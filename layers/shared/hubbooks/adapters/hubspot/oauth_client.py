"""HubSpot OAuth: the authorize URL, code exchange, refresh, introspection and revocation (/oauth/2026-03/...).

Every parameter goes in the form body, never the query string (HubSpot rejects secrets in URLs on the v3 paths).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from pydantic import ValidationError

from hubbooks.adapters.hubspot.errors import HubSpotApiError
from hubbooks.adapters.hubspot.transport import HubSpotTransport, versioned
from hubbooks.domain.auth.token_manager import GrantRevokedError
from hubbooks.models.hubspot import TokenResponse
from hubbooks.models.tokens import TokenSet

if TYPE_CHECKING:  # the install flow's (adapters/hubspot/install_factory.py): workers only refresh tokens
    from hubbooks.models.hubspot_install import AccessTokenInfo, HubSpotTokenGrant

_TOKEN_PATH = versioned("oauth", "token")
_INTROSPECT_PATH = versioned("oauth", "token/introspect")
_REVOKE_PATH = versioned("oauth", "token/revoke")
# The legacy body says BAD_REFRESH_TOKEN / BAD_AUTH_CODE; the standardized one adds RFC 6749 invalid_grant.
_DEAD_GRANT_MARKERS = {"invalid_grant", "BAD_REFRESH_TOKEN", "BAD_AUTH_CODE"}


class AuthorizationCodeRejectedError(HubSpotApiError):
    """The code from the callback is unknown, used or expired: the user has to start the install again."""

    code = "hubspot_code_rejected"


def authorize_url(authorize_endpoint: str, *, client_id: str, redirect_uri: str, scopes: Iterable[str],
                  state: str, optional_scopes: Iterable[str] = ()) -> str:
    query = {"client_id": client_id, "redirect_uri": redirect_uri, "scope": " ".join(scopes), "state": state}
    optional = " ".join(optional_scopes)
    if optional:
        query["optional_scope"] = optional
    return f"{authorize_endpoint}?{urlencode(query)}"


def _is_dead_grant(error: HubSpotApiError) -> bool:
    return error.status == 400 and bool({error.oauth_error, error.category, error.legacy_status}
                                        & _DEAD_GRANT_MARKERS)


class HubSpotOAuthClient:
    def __init__(self, transport: HubSpotTransport, *, client_id: str, client_secret: str, redirect_uri: str,
                 clock: Callable[[], float] = time.time) -> None:
        self._transport = transport
        self._client_id = client_id
        self._client_secret = client_secret
        self._redirect_uri = redirect_uri
        self._clock = clock

    def exchange_code(self, code: str) -> HubSpotTokenGrant:
        try:
            answer = self._token_request({"grant_type": "authorization_code", "code": code,
                                          "redirect_uri": self._redirect_uri}, "exchanging the authorization code")
        except HubSpotApiError as error:
            if _is_dead_grant(error):
                raise AuthorizationCodeRejectedError(
                    "HubSpot did not accept the authorization code; start the install again.",
                    status=error.status, category=error.category, correlation_id=error.correlation_id,
                    oauth_error=error.oauth_error) from error
            raise
        from hubbooks.models.hubspot_install import HubSpotTokenGrant

        return HubSpotTokenGrant(tokens=self._token_set(answer), hub_id=answer.hub_id, user_id=answer.user_id)

    def refresh(self, refresh_token: str) -> TokenSet:
        """The TokenManager's refresher. A refused refresh token means the app was uninstalled or revoked."""
        try:
            answer = self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token},
                                         "refreshing the access token")
        except HubSpotApiError as error:
            if _is_dead_grant(error):
                raise GrantRevokedError("HubSpot no longer accepts this portal's refresh token") from error
            raise
        return self._token_set(answer)

    def introspect(self, access_token: str) -> AccessTokenInfo:
        raw = self._transport.json("POST", _INTROSPECT_PATH, action="reading the access token's details",
                                   form=self._credentials() | {"token": access_token,
                                                               "token_type_hint": "access_token"})
        from hubbooks.models.hubspot_install import AccessTokenInfo

        try:
            return AccessTokenInfo.model_validate(raw)
        except ValidationError as exc:
            raise HubSpotApiError("HubSpot's token details were not in the expected shape.") from exc

    def revoke(self, refresh_token: str) -> None:
        self._transport.request("POST", _REVOKE_PATH, action="revoking the refresh token",
                                form=self._credentials() | {"token": refresh_token,
                                                            "token_type_hint": "refresh_token"})

    def _credentials(self) -> dict[str, str]:
        return {"client_id": self._client_id, "client_secret": self._client_secret}

    def _token_request(self, form: dict[str, str], action: str) -> TokenResponse:
        raw = self._transport.json("POST", _TOKEN_PATH, action=action, form=self._credentials() | form)
        try:
            return TokenResponse.model_validate(raw)
        except ValidationError as exc:
            raise HubSpotApiError(f"HubSpot's token answer was not in the expected shape ({action}).") from exc

    def _token_set(self, answer: TokenResponse) -> TokenSet:
        issued_at = datetime.fromtimestamp(self._clock(), tz=UTC)
        return TokenSet(access_token=answer.access_token, refresh_token=answer.refresh_token,
                        access_expires_at=issued_at + timedelta(seconds=answer.expires_in),
                        scopes=list(answer.scopes))
