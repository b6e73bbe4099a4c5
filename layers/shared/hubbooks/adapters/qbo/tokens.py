"""Where the transport gets its bearer tokens: the stored, refreshed-ahead grant of a connection, or (during the
connect flow, before anything is stored) the token Intuit just issued."""

from __future__ import annotations

from hubbooks.adapters.qbo.transport import BearerToken
from hubbooks.domain.auth.token_manager import TokenManager
from hubbooks.domain.qbo_errors import QboAuthenticationError
from hubbooks.models.tokens import GrantKey, Provider


class ManagedTokens:
    """The grant of (portal, realm) through the TokenManager: refreshed ahead of expiry, and once more on a 401."""

    def __init__(self, manager: TokenManager, portal_id: int) -> None:
        self._manager = manager
        self._portal_id = portal_id

    def _key(self, realm_id: str) -> GrantKey:
        return GrantKey(provider=Provider.QBO, portal_id=self._portal_id, realm_id=realm_id)

    def current(self, realm_id: str) -> BearerToken:
        grant = self._manager.current_grant(self._key(realm_id))
        return BearerToken(grant.tokens.access_token, grant.version)

    def after_rejection(self, realm_id: str, rejected: BearerToken) -> BearerToken:
        grant = self._manager.current_grant(self._key(realm_id), force_refresh_from_version=rejected.version)
        return BearerToken(grant.tokens.access_token, grant.version)


class FixedToken:
    """A token just obtained from the code exchange (nothing to refresh it with yet)."""

    def __init__(self, access_token: str) -> None:
        self._token = BearerToken(access_token, 0)

    def current(self, realm_id: str) -> BearerToken:
        return self._token

    def after_rejection(self, realm_id: str, rejected: BearerToken) -> BearerToken:
        raise QboAuthenticationError(fault_message="QuickBooks refused the token it just issued", http_status=401)
