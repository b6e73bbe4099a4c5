"""Build the QuickBooks pieces from the settings, lazily: nothing here runs at import time.

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
from hubbooks.adapters.derived_keys import derived_key, oauth_state_service
from hubbooks.adapters.http_retry import TOKEN_WAIT_SECONDS, Deadline
from hubbooks.adapters.qbo.client import QboClient
from hubbooks.adapters.qbo.oauth_client import IntuitOAuthClient
from hubbooks.adapters.qbo.rate_budget import QBO_CONCURRENT_REQUESTS, RealmBudgets
from hubbooks.adapters.qbo.tokens import FixedToken, ManagedTokens
from hubbooks.adapters.qbo.transport import AccessTokens, QboTransport
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.config import get_settings
from hubbooks.domain.auth.oauth_state import OAuthStateService
from hubbooks.domain.auth.token_manager import TokenManager, WarmGrants
from hubbooks.domain.connect.qbo_company import company_profile
from hubbooks.domain.connect.qbo_connect import QboConnectService
from hubbooks.domain.connect.qbo_keepalive import keep_connection_alive
from hubbooks.domain.connect.qbo_profile_refresh import refresh_company_profile
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.identity import SignedIdentity
from hubbooks.models.qbo_company import QboCompanyProfile
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


def qbo_client_with_token(realm_id: str, access_token: str, *, deadline: Deadline | None = None) -> QboClient:
    """For the connect flow: read the company with the token Intuit just issued, before storing anything."""
    return QboClient(qbo_transport(FixedToken(access_token), deadline), realm_id)


def qbo_state_service() -> OAuthStateService:
    """Connect links and Intuit states, signed with a key derived from the Intuit client secret (no extra secret
    to manage; rotating the client secret invalidates states in flight, which only costs a retry)."""
    return oauth_state_service(derived_key(qbo_app_credentials().client_secret, "qbo-connect-state"))


def read_company_profile(realm_id: str, access_token: str, *, deadline: Deadline | None = None) -> QboCompanyProfile:
    client = qbo_client_with_token(realm_id, access_token, deadline=deadline)
    return company_profile(realm_id, client.company_info(), client.preferences(),
                           api_base_url=str(get_settings().qbo_api_base_url))


def qbo_connect_service(deadline: Deadline | None = None) -> QboConnectService:
    settings = get_settings()
    return QboConnectService(
        states=qbo_state_service(), authorizer=intuit_oauth_client(deadline),
        read_company=lambda realm_id, token: read_company_profile(realm_id, token, deadline=deadline),
        connections=connection_store(), tokens=dynamo_token_store(),
        connect_url=settings.public_url(QBO_CONNECT_PATH), redirect_uri=qbo_redirect_uri(),
        allow_sandbox=settings.allow_qbo_sandbox_companies)


def refresh_qbo_company_profile(ref: ConnectionRef, *, deadline: Deadline | None = None) -> str:
    """The company's stored profile brought up to date from CompanyInfo and Preferences, with its own grant."""
    def read(company: ConnectionRef) -> QboCompanyProfile:
        client = qbo_client(company.portal_id, company.realm_id, deadline=deadline)
        return company_profile(company.realm_id, client.company_info(), client.preferences(),
                               api_base_url=str(get_settings().qbo_api_base_url))

    return refresh_company_profile(ref, connections=connection_store(), read_profile=read)


class PortalQboCompanies:
    """The portal's QuickBooks companies for the HubSpot uninstall, disconnected as the settings page does."""

    def __init__(self, service: QboConnectService, user_id: int) -> None:
        self._service = service
        self._user_id = user_id

    def still_connected(self, portal_id: int) -> list[tuple[str, str]]:
        return [(c.realm_id, c.company_name) for c in self._service.list_connections(portal_id)
                if c.status != "disconnected"]

    def disconnect(self, portal_id: int, realm_id: str) -> None:
        self._service.disconnect(SignedIdentity(portal_id=portal_id, user_id=self._user_id), realm_id)


def connected_company_names(portal_id: int) -> list[str]:
    return sorted(c.company_name for c in connection_store().list_for_portal(portal_id) if c.status == "connected")


def keep_qbo_connection_alive(ref: ConnectionRef) -> str:
    """The scheduled sync's token keep-alive for one company, with the stack's stores and Intuit client."""
    return keep_connection_alive(ref, qbo_token_manager(), connection_store())
