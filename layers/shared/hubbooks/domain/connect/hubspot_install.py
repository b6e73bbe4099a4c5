"""Installing HubBooks into a HubSpot portal, and removing it again.

Install: a signed single-use state goes to HubSpot's consent screen; the callback redeems it, exchanges the code,
stores the portal's tokens encrypted, reads the account details, creates our deal properties and records the
install last (a failure midway is repaired by installing again: every step is idempotent).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from hubbooks.adapters.hubspot.errors import HubSpotApiError
from hubbooks.adapters.storage.install_store import InstallStore
from hubbooks.adapters.storage.token_store import TokenStore
from hubbooks.domain.auth.oauth_state import InvalidStateError, OAuthStateService
from hubbooks.domain.connect.hubspot_deal_properties import PropertyApi, ensure_invoice_properties
from hubbooks.models.hubspot import AccessTokenInfo, AccountDetails, HubSpotInstall, HubSpotTokenGrant
from hubbooks.models.oauth_state import StatePurpose
from hubbooks.models.tokens import GrantKey, Provider
from hubbooks.observability import logger

# What the product reads and writes: deals (invoice facts), contacts and companies (roll-ups), line items and quotes,
# products (QuickBooks items), the property definitions on deals, contacts and companies, and `oauth` for account
# details and token info.
INSTALL_SCOPES: tuple[str, ...] = (
    "oauth",
    "crm.objects.deals.read", "crm.objects.deals.write",
    "crm.objects.contacts.read", "crm.objects.contacts.write",
    "crm.objects.companies.read", "crm.objects.companies.write",
    "crm.objects.products.read", "crm.objects.products.write",
    "crm.objects.line_items.read", "crm.objects.line_items.write",
    "crm.objects.quotes.read",
    "crm.schemas.deals.read", "crm.schemas.deals.write",
    "crm.schemas.contacts.read", "crm.schemas.contacts.write",
    "crm.schemas.companies.read", "crm.schemas.companies.write",
)


class OAuthApi(Protocol):
    def exchange_code(self, code: str) -> HubSpotTokenGrant: ...
    def introspect(self, access_token: str) -> AccessTokenInfo: ...


class AccountApi(Protocol):
    def details(self) -> AccountDetails: ...


class PortalApi(Protocol):
    @property
    def account(self) -> AccountApi: ...
    @property
    def properties(self) -> PropertyApi: ...


@dataclass(frozen=True)
class InstallLinks:
    authorize_endpoint: str
    client_id: str
    redirect_uri: str


@dataclass(frozen=True)
class CompletedInstall:
    install: HubSpotInstall
    created_properties: list[str]


class HubSpotInstaller:
    def __init__(self, *, states: OAuthStateService, oauth: OAuthApi, tokens: TokenStore, installs: InstallStore,
                 portal_api: Callable[[int], PortalApi], clock: Callable[[], float] = time.time) -> None:
        self._states = states
        self._oauth = oauth
        self._tokens = tokens
        self._installs = installs
        self._portal_api = portal_api
        self._clock = clock

    def complete(self, *, code: str, state: str | None) -> CompletedInstall:
        """Finish an install from HubSpot's callback. Raises InvalidStateError, HubSpot errors or storage errors."""
        self._states.redeem(state, StatePurpose.HUBSPOT_INSTALL)
        grant = self._oauth.exchange_code(code)
        info = self._oauth.introspect(grant.tokens.access_token)
        portal_id = grant.hub_id or info.hub_id
        self._tokens.put(GrantKey(provider=Provider.HUBSPOT, portal_id=portal_id), grant.tokens)
        api = self._portal_api(portal_id)
        account = api.account.details()
        created = ensure_invoice_properties(api.properties)
        install = HubSpotInstall(
            portal_id=portal_id, hub_domain=info.hub_domain, company_currency=account.company_currency,
            time_zone=account.time_zone, ui_domain=account.ui_domain, scopes=list(info.scopes),
            installed_at=datetime.fromtimestamp(self._clock(), tz=UTC),
            installed_by_user_id=grant.user_id or info.user_id)
        self._installs.save(install)
        return CompletedInstall(install=install, created_properties=created)

    def discard_state(self, state: str | None) -> None:
        """Use up the state of a flow the user cancelled, so its link cannot be replayed."""
        with contextlib.suppress(InvalidStateError):
            self._states.redeem(state, StatePurpose.HUBSPOT_INSTALL)


def start_install(states: OAuthStateService, links: InstallLinks,
                  build_authorize_url: Callable[..., str]) -> str:
    """The URL of HubSpot's consent screen, carrying a fresh single-use state."""
    state = states.issue(StatePurpose.HUBSPOT_INSTALL, portal_id=None, user_id=None)
    return build_authorize_url(links.authorize_endpoint, client_id=links.client_id,
                               redirect_uri=links.redirect_uri, scopes=INSTALL_SCOPES, state=state)


def uninstall_portal(portal_id: int, *, tokens: TokenStore, installs: InstallStore,
                     revoke: Callable[[str], None] | None = None, clock: Callable[[], float] = time.time) -> bool:
    """Forget the portal's tokens and mark the install removed; True when the portal had installed the app.

    `revoke` (the user asked us to disconnect) also kills the refresh token at HubSpot; an app-uninstall webhook
    passes None since HubSpot has already invalidated it. Revocation is best effort: our copy goes regardless.
    """
    key = GrantKey(provider=Provider.HUBSPOT, portal_id=portal_id)
    grant = tokens.load(key)
    if grant is not None and revoke is not None:
        try:
            revoke(grant.tokens.refresh_token)
        except HubSpotApiError as error:
            logger.warning("could not revoke the HubSpot refresh token; deleting our copy anyway",
                           extra=error.log_fields())
    tokens.delete(key)
    install = installs.get(portal_id)
    if install is None or install.status == "uninstalled":
        return grant is not None
    installs.save(install.model_copy(update={"status": "uninstalled",
                                             "uninstalled_at": datetime.fromtimestamp(clock(), tz=UTC)}))
    return True
