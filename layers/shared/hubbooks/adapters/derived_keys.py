"""Keys derived from the apps' client secrets, one per purpose, so no extra secret needs managing.

Rotating a client secret invalidates what was signed with its keys (states and links in flight), which only costs
the user a retry.
"""

from __future__ import annotations

import hashlib
import hmac

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.oauth_state_store import DynamoOAuthStateStore
from hubbooks.config import get_settings
from hubbooks.domain.auth.oauth_state import OAuthStateService


def derived_key(client_secret: str, purpose: str) -> bytes:
    return hmac.new(client_secret.encode(), f"hubbooks:{purpose}".encode(), hashlib.sha256).digest()


def oauth_state_service(signing_key: bytes) -> OAuthStateService:
    return OAuthStateService(DynamoOAuthStateStore(dynamodb_table(get_settings().app_table_name)), signing_key)
