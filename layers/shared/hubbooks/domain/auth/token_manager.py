"""Hands out a valid access token, refreshing ahead of expiry with exactly one refresh per expiry.

Concurrent invocations that find an expiring token race for a short lease on the grant; the winner refreshes and
saves (conditionally on the version it read), the others wait for the new version and use it. A winner that dies
leaves a lease that simply times out. A refused refresh token (GrantRevokedError) is reported once through
`on_grant_revoked`, so the owner of the connection can ask the user to reconnect.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from hubbooks.domain.errors import TenantNotConnectedError, UpstreamError
from hubbooks.models.tokens import GrantKey, StoredGrant, TokenSet

if TYPE_CHECKING:
    from hubbooks.domain.auth.ports import TokenStore


class GrantRevokedError(Exception):
    """The provider says the refresh token is no longer valid (invalid_grant): the user must reconnect."""


class KeepAliveOutcome(StrEnum):
    FRESH = "fresh"  # nothing needed renewing
    REFRESHED = "refreshed"  # renewed now, by this call or by a concurrent one


class TokenRefresher(Protocol):
    def __call__(self, refresh_token: str) -> TokenSet: ...


class WarmGrants:
    """Grants a warm container already decrypted, reused while their access token stays valid beyond the refresh
    margin: a warm request then spends no table read and no KMS decrypt on tokens. Anything else (a refresh, a
    rejected token, a missing grant) goes to the store as before, and what it finds replaces the entry."""

    def __init__(self, *, max_age_seconds: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        """`max_age_seconds`: how long a grant is reused before the store is read again (None: while it is good),
        which bounds how long a container keeps using a grant another container deleted."""
        self._grants: dict[GrantKey, tuple[float, StoredGrant]] = {}
        self._lock = threading.Lock()
        self._max_age = max_age_seconds
        self._clock = clock

    def get(self, key: GrantKey) -> StoredGrant | None:
        with self._lock:
            entry = self._grants.get(key)
        if entry is None or (self._max_age is not None and self._clock() - entry[0] > self._max_age):
            return None
        return entry[1]

    def put(self, grant: StoredGrant) -> None:
        with self._lock:
            self._grants[grant.key] = (self._clock(), grant)

    def forget(self, key: GrantKey) -> bool:
        """Drop the grant; whether there was one to drop."""
        with self._lock:
            return self._grants.pop(key, None) is not None

    def clear(self) -> None:
        with self._lock:
            self._grants.clear()


class TokenManager:
    def __init__(self, store: TokenStore, refresher: TokenRefresher, *, refresh_ahead: timedelta = timedelta(minutes=5),
                 lease_seconds: float = 20.0, wait_timeout_seconds: float = 15.0,
                 clock: Callable[[], float] = time.time, sleep: Callable[[float], None] = time.sleep,
                 not_connected_message: str = "This account is not connected; connect it again from the settings page.",
                 on_grant_revoked: Callable[[GrantKey], None] | None = None,
                 warm: WarmGrants | None = None,
                 ) -> None:
        self._store = store
        self._refresher = refresher
        self._refresh_ahead = refresh_ahead
        self._lease_seconds = lease_seconds
        self._wait_timeout = wait_timeout_seconds
        self._clock = clock
        self._sleep = sleep
        self._not_connected = not_connected_message
        self._on_grant_revoked = on_grant_revoked
        # Without a container-wide cache the manager keeps its own: it lives for one invocation or request, and the
        # grant it last saw is reused while its access token is good instead of being read and decrypted again for
        # every provider call (two AWS calls each).
        self._warm = warm if warm is not None else WarmGrants()
        self._holder = uuid.uuid4().hex
        self.refreshes = 0  # how many refresh calls this manager made (observability and tests)
        self._count_lock = threading.Lock()

    def access_token(self, key: GrantKey) -> str:
        return self.current_grant(key).tokens.access_token

    def current_grant(self, key: GrantKey, *, force_refresh_from_version: int | None = None) -> StoredGrant:
        """A grant whose access token is good for at least `refresh_ahead` (or newer than a rejected version)."""
        if force_refresh_from_version is None:
            warm = self._warm.get(key)
            if warm is not None and not self._needs_refresh(warm, None):
                return warm
        try:
            grant = self._grant_where(key, lambda grant: self._needs_refresh(grant, force_refresh_from_version))
        except TenantNotConnectedError:
            self._warm.forget(key)
            raise
        self._warm.put(grant)
        return grant

    def keep_alive(self, key: GrantKey, *, max_refresh_age: timedelta) -> KeepAliveOutcome:
        """Refresh if the access token is (nearly) expired or the tokens were last renewed over `max_refresh_age`
        ago, so a rarely used connection's rolling refresh-token lifetime never runs out."""
        before = self._store.load(key)
        if before is None:
            raise TenantNotConnectedError(self._not_connected)

        def stale(grant: StoredGrant) -> bool:
            if grant.version != before.version:
                return False  # someone renewed it since we looked
            renewed_at = grant.updated_at
            too_old = renewed_at is None or renewed_at + max_refresh_age <= self._now()
            return too_old or self._needs_refresh(grant, None)

        after = self._grant_where(key, stale)
        return KeepAliveOutcome.REFRESHED if after.version != before.version else KeepAliveOutcome.FRESH

    def _grant_where(self, key: GrantKey, needs_refresh: Callable[[StoredGrant], bool]) -> StoredGrant:
        give_up_at = self._clock() + self._wait_timeout
        wait = 0.05
        while True:
            grant = self._store.load(key)
            if grant is None:
                raise TenantNotConnectedError(self._not_connected)
            if not needs_refresh(grant):
                return grant
            now = self._clock()
            if self._store.try_lease(grant, self._holder, now + self._lease_seconds, now):
                return self._refresh(grant)
            if self._clock() >= give_up_at:
                raise UpstreamError("Another request is renewing the connection and has not finished; try again.")
            self._sleep(wait)
            wait = min(wait * 2, 1.0)

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    def _needs_refresh(self, grant: StoredGrant, rejected_version: int | None) -> bool:
        if rejected_version is not None and grant.version <= rejected_version:
            return True
        return grant.tokens.access_expires_at - self._refresh_ahead <= self._now()

    def _refresh(self, grant: StoredGrant) -> StoredGrant:
        try:
            with self._count_lock:
                self.refreshes += 1
            tokens = self._refresher(grant.tokens.refresh_token)
        except GrantRevokedError as error:
            self._store.release_lease(grant.key, self._holder)
            latest = self._store.load(grant.key)
            if latest is not None and latest.version != grant.version:
                # Our lease outlived its term and another invocation rotated the token first (a provider that
                # rotates strictly then refuses the old one): theirs is the live grant, nothing was revoked.
                return latest
            if self._on_grant_revoked is not None:
                self._on_grant_revoked(grant.key)
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
