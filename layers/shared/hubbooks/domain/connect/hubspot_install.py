"""Installing HubBooks into a HubSpot portal, and removing it again.

Install: a signed single-use state goes to HubSpot's consent screen; the callback redeems it, exchanges the code,
stores the portal's tokens encrypted, reads the account details, creates our deal properties and records the
install last (a failure midway is repaired by installing again: every step is idempotent). A reinstall says what it
found: the QuickBooks companies an earlier uninstall kept connected, and the deal properties already in place.

Uninstall: the portal's HubSpot tokens always go; its QuickBooks companies are disconnected (revoked at Intuit) or
kept for a reinstall, as the admin chooses.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, Protocol

from hubbooks.domain.auth.oauth_state import InvalidStateError, OAuthStateService
from hubbooks.domain.connect.hubspot_deal_properties import ensure_invoice_properties, record_properties
from hubbooks.domain.errors import HubBooksError, UpstreamError
from hubbooks.models.hubspot_account import AccountDetails
from hubbooks.models.hubspot_install import AccessTokenInfo, HubSpotInstall, HubSpotTokenGrant
from hubbooks.models.oauth_state import StatePurpose
from hubbooks.models.tokens import GrantKey, Provider
from hubbooks.observability import logger

if TYPE_CHECKING:
    from hubbooks.domain.auth.ports import TokenStore
    from hubbooks.domain.connect.ports import InstallStore, PropertyApi

# Least privilege: only what the product uses today, each for a reason.
# - invoicing: deals (invoice facts, notes on deals), their contacts, companies, quotes and quote line items (read),
#   the HubBooks deal properties (schemas.deals), and `oauth` for account details and token info;
# - finance: roll-ups written on contacts and companies and defined there (objects/schemas write), and
#   reminder tasks on deals and contacts, assigned to HubSpot owners (owners.read lists them for the pickers);
# - the QuickBooks sync: contacts, companies and products written by batch upserts, and their property definitions
#   read for mappings and extended with the hubbooks_qbo_* properties (schemas.contacts/companies; product
#   properties take `e-commerce`, HubSpot has no schemas scope for products).
# A capability that needs more adds its scope here; the HubSpot project's requiredScopes must equal this list.
INSTALL_SCOPES: tuple[str, ...] = (
    "oauth",
    "crm.objects.deals.read", "crm.objects.deals.write",
    "crm.objects.contacts.read", "crm.objects.contacts.write",
    "crm.objects.companies.read", "crm.objects.companies.write",
    "crm.objects.products.read", "crm.objects.products.write",
    "crm.objects.line_items.read",
    "crm.objects.quotes.read",
    "crm.objects.owners.read",
    "crm.schemas.deals.read", "crm.schemas.deals.write",
    "crm.schemas.contacts.read", "crm.schemas.contacts.write",
    "crm.schemas.companies.read", "crm.schemas.companies.write",
    "e-commerce",
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
    previous_install: HubSpotInstall | None = None  # set on a reinstall
    connected_companies: tuple[str, ...] = ()  # QuickBooks companies still connected to the portal


def describe_install(done: CompletedInstall) -> tuple[str, str, str]:
    """(title, message, detail) of the page the admin lands on, saying what the install found and did."""
    install, created = done.install, len(done.created_properties)
    total = sum(len(specs) for _, specs in record_properties().values())
    if done.connected_companies:
        names = ", ".join(done.connected_companies)
        count = len(done.connected_companies)
        next_step = (f"It found {count} QuickBooks compan{'y' if count == 1 else 'ies'} still connected: {names}. "
                     "Their invoices and links are as you left them; open a deal's HubBooks card to carry on.")
    else:
        next_step = "Next, connect a QuickBooks company from a deal's HubBooks card."
    if done.previous_install is None:
        title = "HubBooks is installed"
        detail = f"Created the {total} HubBooks invoice properties on deals, contacts and companies."
    else:
        title = "HubBooks is installed again"
        detail = (f"All {total} HubBooks invoice properties were already in place." if created == 0 else
                  f"{created} of the {total} HubBooks invoice properties were missing and were created again.")
    message = (f"HubBooks is connected to HubSpot account {install.portal_id} (company currency "
               f"{install.company_currency}). {next_step}")
    return title, message, detail


class HubSpotInstaller:
    def __init__(self, *, states: OAuthStateService, oauth: OAuthApi, tokens: TokenStore, installs: InstallStore,
                 portal_api: Callable[[int], PortalApi], clock: Callable[[], float] = time.time,
                 connected_companies: Callable[[int], list[str]] = lambda portal_id: []) -> None:
        self._states = states
        self._oauth = oauth
        self._tokens = tokens
        self._installs = installs
        self._portal_api = portal_api
        self._clock = clock
        self._connected_companies = connected_companies

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
        previous = self._installs.get(portal_id)
        install = HubSpotInstall(
            portal_id=portal_id, hub_domain=info.hub_domain, company_currency=account.company_currency,
            time_zone=account.time_zone, ui_domain=account.ui_domain, scopes=list(info.scopes),
            installed_at=datetime.fromtimestamp(self._clock(), tz=UTC),
            installed_by_user_id=grant.user_id or info.user_id)
        self._installs.save(install)
        return CompletedInstall(install=install, created_properties=created, previous_install=previous,
                                connected_companies=tuple(self._connected_companies(portal_id)))

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
        except UpstreamError as error:
            logger.warning("could not revoke the HubSpot refresh token; deleting our copy anyway",
                           extra=error.log_fields())
    tokens.delete(key)
    install = installs.get(portal_id)
    if install is None or install.status == "uninstalled":
        return grant is not None
    installs.save(install.model_copy(update={"status": "uninstalled",
                                             "uninstalled_at": datetime.fromtimestamp(clock(), tz=UTC)}))
    return True


QboChoice = Literal["disconnect", "keep"]


class PortalCompanies(Protocol):
    """The portal's QuickBooks companies, as the uninstall needs them."""

    def still_connected(self, portal_id: int) -> list[tuple[str, str]]: ...  # (realm id, company name)
    def disconnect(self, portal_id: int, realm_id: str) -> None: ...  # revoke at Intuit, forget the tokens


@dataclass(frozen=True)
class UninstallOutcome:
    was_installed: bool
    qbo_companies: QboChoice
    disconnected: tuple[str, ...] = ()
    kept: tuple[str, ...] = ()
    not_disconnected: tuple[str, ...] = ()  # QuickBooks could not be reached: uninstalling again retries them

    def message(self) -> str:
        parts = ["HubBooks is uninstalled from this HubSpot account and its HubSpot tokens are deleted."]
        if self.disconnected:
            parts.append(f"Disconnected from QuickBooks (access revoked at Intuit): {', '.join(self.disconnected)}.")
        if self.kept:
            parts.append(f"Kept connected for a reinstall: {', '.join(self.kept)}. Install HubBooks again to pick "
                         "up where you left off, or uninstall again choosing to disconnect them.")
        if self.not_disconnected:
            parts.append(f"QuickBooks did not answer for {', '.join(self.not_disconnected)}; uninstall again in a "
                         "minute to disconnect them.")
        return " ".join(parts)


def uninstall_app(portal_id: int, *, qbo_companies: QboChoice, companies: PortalCompanies, tokens: TokenStore,
                  installs: InstallStore, revoke: Callable[[str], None] | None = None,
                  clock: Callable[[], float] = time.time) -> UninstallOutcome:
    """The admin's uninstall: QuickBooks companies first (so a failure there can be retried by uninstalling again,
    which is idempotent), then the HubSpot tokens and the install record."""
    disconnected: list[str] = []
    kept: list[str] = []
    failed: list[str] = []
    for realm_id, name in companies.still_connected(portal_id):
        if qbo_companies == "keep":
            kept.append(name)
            continue
        try:
            companies.disconnect(portal_id, realm_id)
        except HubBooksError as error:
            logger.warning("could not disconnect a QuickBooks company while uninstalling",
                           extra={"realm_id": realm_id, "error_code": error.code})
            failed.append(name)
            continue
        disconnected.append(name)
    was_installed = uninstall_portal(portal_id, tokens=tokens, installs=installs, revoke=revoke, clock=clock)
    return UninstallOutcome(was_installed=was_installed, qbo_companies=qbo_companies, disconnected=tuple(disconnected),
                            kept=tuple(kept), not_disconnected=tuple(failed))
