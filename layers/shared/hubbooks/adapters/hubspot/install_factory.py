"""Build the HubSpot install flow's signed states from the settings. Apart from factory.py, which every worker loads
for its clients and which needs no state signing."""

from __future__ import annotations

from hubbooks.adapters.aws.app_secrets import hubspot_app_credentials
from hubbooks.adapters.derived_keys import derived_key, oauth_state_service
from hubbooks.domain.auth.oauth_state import OAuthStateService


def install_state_service() -> OAuthStateService:
    """States for the install flow, signed with a key derived from the app secret (no extra secret to manage)."""
    return oauth_state_service(derived_key(hubspot_app_credentials().client_secret, "hubspot-install-state"))
