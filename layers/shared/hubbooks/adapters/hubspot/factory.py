"""Build the HubSpot client pieces from the settings, lazily: nothing here runs at import time.

The HTTP session is cached so a warm container reuses its connections; clients are cheap and built per
invocation so each gets the invocation's deadline.
"""

from __future__ import annotations

from functools import cache

import requests

from hubbooks.adapters.aws.app_secrets import hubspot_app_credentials
from hubbooks.adapters.http_retry import TOKEN_WAIT_SECONDS, Deadline
from hubbooks.adapters.hubspot.client import HubSpotClient
from hubbooks.adapters.hubspot.oauth_client import HubSpotOAuthClient
from hubbooks.adapters.hubspot.rate_budget import RequestBudget, shared_budget
from hubbooks.adapters.hubspot.transport import HubSpotTransport
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.config import get_settings
from hubbooks.domain.auth.token_manager import TokenManager, WarmGrants
from hubbooks.models.tokens import GrantKey, Provider

HUBSPOT_CALLBACK_PATH = "/oauth/hubspot/callback"
NOT_INSTALLED_MESSAGE = "HubBooks is not installed in this HubSpot account; install the app again from HubSpot."


@cache
def hubspot_session() -> requests.Session:
    session = requests.Session()
    session.headers["User-Agent"] = "HubBooks (+https://github.com/hubbooks)"
    return session


def hubspot_redirect_uri() -> str:
    return get_settings().public_url(HUBSPOT_CALLBACK_PATH)


def hubspot_api_base_url() -> str:
    return str(get_settings().hubspot_api_base_url).rstrip("/")


def hubspot_oauth_client(deadline: Deadline | None = None) -> HubSpotOAuthClient:
    transport = HubSpotTransport(hubspot_api_base_url(), session=hubspot_session(), deadline=deadline)
    return HubSpotOAuthClient(transport, client_id=get_settings().hubspot_client_id,
                              client_secret=hubspot_app_credentials().client_secret,
                              redirect_uri=hubspot_redirect_uri())


# One per container: warm invocations reuse the portals' grants they decrypted (a table read and two KMS calls each
# otherwise) for up to a minute while the access token stays good; a 401 drops the entry and the stored grant is read
# again. The minute bounds how long another container's uninstall (our copy deleted) goes unnoticed here.
WARM_HUBSPOT_GRANTS = WarmGrants(max_age_seconds=60)


def forget_warm_grant(portal_id: int) -> None:
    """After this container deleted the portal's grant (uninstall)."""
    WARM_HUBSPOT_GRANTS.forget(GrantKey(provider=Provider.HUBSPOT, portal_id=portal_id))


def hubspot_token_manager(deadline: Deadline | None = None) -> TokenManager:
    oauth = hubspot_oauth_client(deadline)
    return TokenManager(dynamo_token_store(), oauth.refresh, not_connected_message=NOT_INSTALLED_MESSAGE,
                        wait_timeout_seconds=deadline.seconds_to_wait(TOKEN_WAIT_SECONDS) if deadline else
                        TOKEN_WAIT_SECONDS, warm=WARM_HUBSPOT_GRANTS)


def hubspot_client(portal_id: int, *, deadline: Deadline | None = None,
                   token_manager: TokenManager | None = None, budget: RequestBudget | None = None) -> HubSpotClient:
    """The API of one installed portal; its access token comes from the encrypted grant, refreshed ahead of expiry."""
    manager = token_manager or hubspot_token_manager(deadline)
    key = GrantKey(provider=Provider.HUBSPOT, portal_id=portal_id)
    transport = HubSpotTransport(hubspot_api_base_url(), session=hubspot_session(),
                                 access_token=lambda: manager.access_token(key), portal_id=portal_id,
                                 budget=budget or shared_budget(), deadline=deadline,
                                 token_rejected=lambda: WARM_HUBSPOT_GRANTS.forget(key))
    return HubSpotClient(transport)
