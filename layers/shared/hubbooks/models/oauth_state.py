"""One-time, short-lived values that carry who started an OAuth flow across the provider's redirect."""


from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict

from hubbooks.models.base import Model


class StatePurpose(StrEnum):
    HUBSPOT_INSTALL = "hubspot_install"
    QBO_CONNECT_LINK = "qbo_connect_link"  # the URL the settings page opens in a new tab
    QBO_AUTHORIZE = "qbo_authorize"  # the state sent to Intuit


class OAuthState(Model):
    model_config = ConfigDict(frozen=True)

    nonce: str
    purpose: StatePurpose
    portal_id: int | None = None
    user_id: int | None = None
    expires_at: datetime
