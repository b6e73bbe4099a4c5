"""Connecting QuickBooks companies to a HubSpot portal: one-time connect links, Intuit's consent, storing the
connection and its tokens, listing and disconnecting.

The flow: the settings page (a signed app-card request) asks for a connect link -> the browser opens it ->
we redeem it (once) and send the browser to Intuit with a fresh state bound to the same portal and user ->
Intuit sends it back to the callback with a code and the chosen company's realm id -> we check the state,
exchange the code, read the company and store everything. A portal can connect several companies.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from hubbooks.domain.auth.oauth_state import InvalidStateError, OAuthStateService
from hubbooks.domain.errors import HubBooksError, NotFoundError
from hubbooks.domain.qbo_errors import QboAuthorizationError, QboCompanyRefusedError, SandboxCompanyRefusedError
from hubbooks.models.connections import QboConnection
from hubbooks.models.identity import SignedIdentity
from hubbooks.models.oauth_state import StatePurpose
from hubbooks.models.qbo_company import QboCompanyProfile
from hubbooks.models.tokens import GrantKey, Provider, TokenSet

if TYPE_CHECKING:
    from hubbooks.domain.auth.ports import TokenStore
    from hubbooks.domain.connect.ports import ConnectionStore

LINK_TTL = timedelta(minutes=10)  # from the settings page click to the browser opening the link
AUTHORIZE_TTL = timedelta(minutes=30)  # the user may have to sign in to Intuit and pick a company


class IntuitAuthorizer(Protocol):
    def authorization_url(self, *, redirect_uri: str, state: str) -> str: ...
    def exchange_code(self, code: str, redirect_uri: str) -> TokenSet: ...
    def revoke(self, token: str) -> bool: ...


CompanyReader = Callable[[str, str], QboCompanyProfile]
"""(realm id, access token) -> the company's profile."""


class ConnectOutcome(StrEnum):
    CONNECTED = "connected"  # a company this portal never connected before
    RECONNECTED = "reconnected"  # it was disconnected or needed reconnecting; it works again
    REFRESHED = "already_connected"  # it was connected already; its tokens were replaced with the new ones


@dataclass(frozen=True)
class ConnectLink:
    url: str
    expires_at: datetime


@dataclass(frozen=True)
class ConnectResult:
    outcome: ConnectOutcome
    connection: QboConnection


class QboConnectService:
    def __init__(self, *, states: OAuthStateService, authorizer: IntuitAuthorizer, read_company: CompanyReader,
                 connections: ConnectionStore, tokens: TokenStore, connect_url: str, redirect_uri: str,
                 allow_sandbox: bool, clock: Callable[[], float] = time.time) -> None:
        self._states = states
        self._authorizer = authorizer
        self._read_company = read_company
        self._connections = connections
        self._tokens = tokens
        self._connect_url = connect_url
        self._redirect_uri = redirect_uri
        self._allow_sandbox = allow_sandbox
        self._clock = clock

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock(), tz=UTC)

    # -- starting ------------------------------------------------------------------------------------------------
    def create_link(self, identity: SignedIdentity) -> ConnectLink:
        """A URL the settings page opens in a new tab; works once, for LINK_TTL, for this portal and user."""
        token = self._states.issue(StatePurpose.QBO_CONNECT_LINK, portal_id=identity.portal_id,
                                   user_id=identity.user_id, ttl=LINK_TTL)
        separator = "&" if "?" in self._connect_url else "?"
        return ConnectLink(url=f"{self._connect_url}{separator}link={token}", expires_at=self._now() + LINK_TTL)

    def start(self, link: str | None) -> str:
        """Redeem a connect link and return Intuit's authorize URL (raises InvalidStateError)."""
        redeemed = self._states.redeem(link, StatePurpose.QBO_CONNECT_LINK)
        state = self._states.issue(StatePurpose.QBO_AUTHORIZE, portal_id=redeemed.portal_id,
                                   user_id=redeemed.user_id, ttl=AUTHORIZE_TTL)
        return self._authorizer.authorization_url(redirect_uri=self._redirect_uri, state=state)

    # -- Intuit's answer -----------------------------------------------------------------------------------------
    def cancel(self, state: str | None) -> None:
        """The user said no at Intuit: use the state up so it cannot be replayed (its problems do not matter)."""
        with contextlib.suppress(InvalidStateError):
            self._states.redeem(state, StatePurpose.QBO_AUTHORIZE)

    def complete(self, *, state: str | None, code: str, realm_id: str) -> ConnectResult:
        redeemed = self._states.redeem(state, StatePurpose.QBO_AUTHORIZE)
        if redeemed.portal_id is None:
            raise NotFoundError("This connect request is not tied to a HubSpot account; start again from HubSpot.")
        tokens = self._authorizer.exchange_code(code, self._redirect_uri)
        # From here on Intuit has granted us access: if connecting fails, that grant is handed back, unless the
        # portal already uses this company (revoking disconnects the app from the company, live connection too).
        existing: QboConnection | None = None
        try:
            existing = self._connections.get(redeemed.portal_id, realm_id)
            return self._store(redeemed.portal_id, redeemed.user_id, realm_id, tokens, existing)
        except QboAuthorizationError as refused:
            self._revoke_unless_in_use(tokens, existing)
            raise QboCompanyRefusedError(
                "QuickBooks would not let HubBooks read this company, so it was not connected and the access you "
                "just granted has been given back. This happens when the company is an Intuit sandbox (test) "
                "company, which this HubBooks installation cannot use, or when the company's QuickBooks "
                "subscription or your user role does not allow connected apps.") from refused
        except BaseException:
            self._revoke_unless_in_use(tokens, existing)
            raise

    def _store(self, portal_id: int, user_id: int | None, realm_id: str, tokens: TokenSet,
               existing: QboConnection | None) -> ConnectResult:
        profile = self._read_company(realm_id, tokens.access_token)
        if profile.is_sandbox and not self._allow_sandbox:
            raise SandboxCompanyRefusedError(
                f"{profile.name} is an Intuit sandbox (test) company, and this HubBooks installation only accepts "
                "real QuickBooks companies.")
        key = GrantKey(provider=Provider.QBO, portal_id=portal_id, realm_id=realm_id)
        self._tokens.put(key, tokens)  # tokens first: a "connected" record always has tokens behind it
        outcome, connection = self._connection_for(existing, profile, portal_id, user_id)
        self._connections.save(connection)
        return ConnectResult(outcome=outcome, connection=connection)

    def _connection_for(self, existing: QboConnection | None, profile: QboCompanyProfile, portal_id: int,
                        user_id: int | None) -> tuple[ConnectOutcome, QboConnection]:
        now = self._now()
        fields = {"company_name": profile.name, "country": profile.country, "home_currency": profile.home_currency,
                  "custom_txn_numbers": profile.custom_txn_numbers, "multicurrency": profile.multicurrency,
                  "is_sandbox": profile.is_sandbox}
        if existing is None:
            return ConnectOutcome.CONNECTED, QboConnection(portal_id=portal_id, realm_id=profile.realm_id,
                                                           connected_at=now, connected_by_user_id=user_id, **fields)
        if existing.status == "connected":
            return ConnectOutcome.REFRESHED, existing.model_copy(update=fields)
        return ConnectOutcome.RECONNECTED, existing.model_copy(update={
            **fields, "status": "connected", "connected_at": now, "connected_by_user_id": user_id,
            "disconnected_at": None, "disconnected_by_user_id": None, "needs_reconnect_since": None})

    def _revoke_unless_in_use(self, tokens: TokenSet, existing: QboConnection | None) -> None:
        if existing is not None and existing.status == "connected":
            return
        # Reporting the failure matters more than handing the grant back, which then simply expires unused.
        with contextlib.suppress(HubBooksError):
            self._authorizer.revoke(tokens.refresh_token)

    # -- managing ------------------------------------------------------------------------------------------------
    def list_connections(self, portal_id: int) -> list[QboConnection]:
        return sorted(self._connections.list_for_portal(portal_id), key=lambda c: (c.status != "connected",
                                                                                    c.company_name.lower()))

    def disconnect(self, identity: SignedIdentity, realm_id: str) -> QboConnection:
        """Revoke at Intuit, forget the tokens, keep the record (status disconnected) as history. Repeating it is
        harmless. If Intuit cannot be reached nothing changes, so the user can simply try again."""
        connection = self._connections.get(identity.portal_id, realm_id)
        if connection is None:
            raise NotFoundError(f"No QuickBooks company {realm_id} is connected to this HubSpot account.")
        if connection.status == "disconnected":
            return connection
        key = GrantKey(provider=Provider.QBO, portal_id=identity.portal_id, realm_id=realm_id)
        grant = self._tokens.load(key)
        if grant is not None:
            self._authorizer.revoke(grant.tokens.refresh_token)
            self._tokens.delete(key)
        disconnected = connection.model_copy(update={"status": "disconnected", "disconnected_at": self._now(),
                                                     "disconnected_by_user_id": identity.user_id})
        self._connections.save(disconnected)
        return disconnected
