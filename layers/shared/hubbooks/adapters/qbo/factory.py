"""Build the QuickBooks pieces from the settings, lazily: nothing here runs at import time. The connect flow's
pieces (signed states, the connect service) are in connect_factory.py: the workers need none of them.

The HTTP session and the per-company rate budgets are cached so a warm container reuses connections and keeps
counting; clients are cheap and built per invocation so each gets the invocation's deadline.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache

import requests
from requests.adapters import HTTPAdapter

from hubbooks.adapters.aws.app_secrets import qbo_app_credentials
from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.http_retry import TOKEN_WAIT_SECONDS, Deadline
from hubbooks.adapters.qbo.client import QboClient
from hubbooks.adapters.qbo.oauth_client import IntuitOAuthClient
from hubbooks.adapters.qbo.rate_budget import QBO_CONCURRENT_REQUESTS, RealmBudgets
from hubbooks.adapters.qbo.tokens import ManagedTokens
from hubbooks.adapters.qbo.transport import AccessTokens, QboTransport
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.config import get_settings
from hubbooks.domain.auth.token_manager import TokenManager, WarmGrants
from hubbooks.models.tokens import GrantKey
from hubbooks.observability import logger

QBO_CALLBACK_PATH = "/oauth/qbo/callback"
QBO_CONNECT_PATH = "/oauth/qbo/connect"
NOT_CONNECTED_MESSAGE = ("This QuickBooks company is not connected (or QuickBooks no longer accepts the connection); "
                         "connect it again from the HubBooks settings in HubSpot.")


@cache
def qbo_session() -> requests.Session:
    session = requests.Session()
    # As many pooled connections as QBO lets us use at once per company.
    session.mount("https://", HTTPAdapter(pool_connections=4, pool_maxsize=QBO_CONCURRENT_REQUESTS))
    session.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=QBO_CONCURRENT_REQUESTS))
    return session


@cache
def qbo_budgets() -> RealmBudgets:
    return RealmBudgets()


def qbo_redirect_uri() -> str:
    return get_settings().public_url(QBO_CALLBACK_PATH)


def intuit_oauth_client(deadline: Deadline | None = None) -> IntuitOAuthClient:
    settings = get_settings()
    return IntuitOAuthClient(qbo_session(), client_id=settings.qbo_client_id,
                             client_secret=qbo_app_credentials().client_secret,
                             authorize_url=str(settings.qbo_authorize_url), token_url=str(settings.qbo_token_url),
                             revoke_url=str(settings.qbo_revoke_url), deadline=deadline)


def connection_store() -> DynamoConnectionStore:
    return DynamoConnectionStore(dynamodb_table(get_settings().app_table_name))


def mark_connection_needs_reconnect(key: GrantKey) -> None:
    """The token manager's on_grant_revoked hook for QuickBooks grants."""
    if key.realm_id is None:
        return
    flagged = connection_store().mark_needs_reconnect(key.portal_id, key.realm_id, datetime.now(UTC))
    logger.warning("QuickBooks refused the refresh token; connection needs reconnecting",
                   extra={"portal_id": key.portal_id, "realm_id": key.realm_id, "flagged": flagged})


# One per container: warm invocations reuse the QuickBooks grants they decrypted (domain/auth/token_manager.py).
WARM_QBO_GRANTS = WarmGrants()


def qbo_token_manager(deadline: Deadline | None = None) -> TokenManager:
    return TokenManager(dynamo_token_store(), intuit_oauth_client(deadline).refresh,
                        wait_timeout_seconds=deadline.seconds_to_wait(TOKEN_WAIT_SECONDS) if deadline else
                        TOKEN_WAIT_SECONDS,
                        not_connected_message=NOT_CONNECTED_MESSAGE,
                        on_grant_revoked=mark_connection_needs_reconnect, warm=WARM_QBO_GRANTS)


def qbo_transport(tokens: AccessTokens, deadline: Deadline | None = None) -> QboTransport:
    return QboTransport(qbo_session(), str(get_settings().qbo_api_base_url), tokens, budgets=qbo_budgets(),
                        deadline=deadline)


def qbo_client(portal_id: int, realm_id: str, *, deadline: Deadline | None = None,
               token_manager: TokenManager | None = None) -> QboClient:
    """One connected company's Accounting API, authenticated with its stored (and refreshed) grant."""
    manager = token_manager or qbo_token_manager(deadline)
    return QboClient(qbo_transport(ManagedTokens(manager, portal_id), deadline), realm_id)
