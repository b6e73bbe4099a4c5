"""Keep a connected company's refresh token alive from the scheduled sync.

Intuit's refresh token lives 100 days from its last use and its value rotates about daily; a company nobody
invoices for a few months would silently drop out. Each scheduled run therefore renews the grant when the access
token has expired or the tokens were last renewed more than MAX_REFRESH_AGE ago, and a refused grant marks the
connection as needing a reconnect (so the settings page can say so) instead of failing every hour.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hubbooks.domain.auth.token_manager import KeepAliveOutcome, TokenManager
from hubbooks.domain.errors import TenantNotConnectedError
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.tokens import GrantKey, Provider

if TYPE_CHECKING:
    from hubbooks.domain.connect.ports import ConnectionStore

MAX_REFRESH_AGE = timedelta(hours=24)  # Intuit rotates the refresh token value about once a day


def keep_connection_alive(ref: ConnectionRef, manager: TokenManager, connections: ConnectionStore, *,
                          max_refresh_age: timedelta = MAX_REFRESH_AGE,
                          now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> str:
    """Returns the outcome recorded for the run; upstream trouble is raised so the queue retries the message."""
    key = GrantKey(provider=Provider.QBO, portal_id=ref.portal_id, realm_id=ref.realm_id)
    try:
        outcome = manager.keep_alive(key, max_refresh_age=max_refresh_age)
    except TenantNotConnectedError:
        # Intuit refused the refresh token (the token manager's hook has flagged it already), or the tokens are
        # missing altogether: either way only the user can fix it by connecting again.
        connections.mark_needs_reconnect(ref.portal_id, ref.realm_id, now())
        return "needs reconnect: QuickBooks no longer accepts this connection"
    if outcome is KeepAliveOutcome.REFRESHED:
        return "token refreshed"
    return "token still fresh"
