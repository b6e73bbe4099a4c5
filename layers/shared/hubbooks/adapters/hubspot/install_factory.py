"""Build the HubSpot install flow's signed states and install store from the settings. Apart from factory.py, which
every worker loads for its clients and which needs neither."""

from __future__ import annotations

from hubbooks.adapters.aws.app_secrets import hubspot_app_credentials
from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.derived_keys import derived_key, oauth_state_service
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.config import get_settings
from hubbooks.domain.auth.oauth_state import OAuthStateService


def install_state_service() -> OAuthStateService:
    """States for the install flow, signed with a key derived from the app secret (no extra secret to manage)."""
    return oauth_state_service(derived_key(hubspot_app_credentials().client_secret, "hubspot-install-state"))


def install_store() -> DynamoInstallStore:
    return DynamoInstallStore(dynamodb_table(get_settings().app_table_name))
