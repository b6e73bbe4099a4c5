"""Build the QuickBooks connect flow from the settings: signed connect links and states, the connect service, and
the HubSpot uninstall's view of a portal's companies. Apart from factory.py, which every worker loads for its clients.
"""

from __future__ import annotations

from hubbooks.adapters.aws.app_secrets import qbo_app_credentials
from hubbooks.adapters.derived_keys import derived_key, oauth_state_service
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.client import QboClient
from hubbooks.adapters.qbo.factory import (
    QBO_CONNECT_PATH,
    connection_store,
    intuit_oauth_client,
    qbo_redirect_uri,
    qbo_transport,
)
from hubbooks.adapters.qbo.tokens import FixedToken
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.config import get_settings
from hubbooks.domain.auth.oauth_state import OAuthStateService
from hubbooks.domain.connect.qbo_company import company_profile
from hubbooks.domain.connect.qbo_connect import QboConnectService
from hubbooks.models.identity import SignedIdentity
from hubbooks.models.qbo_company import QboCompanyProfile


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
