"""Hands out a valid access token, refreshing ahead of expiry with exactly one refresh per expiry.

Concurrent invocations that find an expiring token race for a short lease on the grant; the winner refreshes and
saves (conditionally on the version it read), the others wait for the new version and use it. A winner that dies
leaves a lease that simply times out.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from hubbooks.adapters.token_store import TokenStore
from hubbooks.domain.errors import TenantNotConnectedError, UpstreamError
from hubbooks.models.tokens import GrantKey, StoredGrant, TokenSet


class GrantRevokedError(Exception):
    """The provider says the refresh token is no longer valid (invalid_grant): the user must reconnect."""


class TokenRefresher(Protocol):
    def __call__(self, refresh_token: str) -> TokenSet: ...


class TokenManager:
    def __init__(self, store: TokenStore, refresher: TokenRefresher, *, refresh_ahead: timedelta = timedelta(minutes=5),
                 lease_seconds: float = 20.0, wait_timeout_seconds: float = 15.0,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 not_connected_message: str = "This account is not connected; connect it again from the settings page.",
                 ) -> None:
        self._store = store
        self._refresher = refresher
        self._refresh_ahead = refresh_ahead
        self._lease_seconds = lease_seconds
        self._wait_timeout = wait_timeout_seconds
        self._clock = clock
        self._sleep = sleep
        self._not_connected = not_connected_message
        self._holder = uuid.uuid4().hex
        self.refreshes = 0  # how many refresh calls this manager made (observability and tests)

    def access_token(self, key: GrantKey) -> str:
        return self.current_grant(key).tokens.access_token

    def current_grant(self, key: GrantKey, *, force_refresh_from_version: int | None = None) -> StoredGrant:
        """A grant whose access token is good for at least `refresh_ahead` (or newer than a rejected version)."""
        give_up_at = self._clock() + self._wait_timeout
        wait = 0.05
        while True:
            grant = self._store.load(key)
            if grant is None:
                raise TenantNotConnectedError(self._not_connected)
            if not self._needs_refresh(grant, force_refresh_from_version):
                return grant
            now = self._clock()
            if self._store.try_lease(grant, self._holder, now + self._lease_seconds, now):
                return self._refresh(grant)
            if self._clock() >= give_up_at:
                raise UpstreamError("Another request is renewing the connection and has not finished; try again.")
            self._sleep(wait)
            wait = min(wait * 2, 1.0)

    def _needs_refresh(self, grant: StoredGrant, rejected_version: int | None) -> bool:
        if rejected_version is not None and grant.version <= rejected_version:
            return True
        expires_at = grant.tokens.access_expires_at
        return expires_at - self._refresh_ahead <= datetime.fromtimestamp(self._clock(), tz=UTC)

    def _refresh(self, grant: StoredGrant) -> StoredGrant:
        try:
            self.refreshes += 1
            tokens = self._refresher(grant.tokens.refresh_token)
        except GrantRevokedError as error:
            self._store.release_lease(grant.key, self._holder)
            raise TenantNotConnectedError(self._not_connected) from error
        except Exception:
            self._store.release_lease(grant.key, self._holder)
            raise
        saved = self._store.replace(grant, tokens)
        if saved is None:
            # Someone re-authorised while we refreshed; their grant is newer than ours, so use it.
            latest = self._store.load(grant.key)
            if latest is None:
                raise TenantNotConnectedError(self._not_connected)
            return latest
        return saved
