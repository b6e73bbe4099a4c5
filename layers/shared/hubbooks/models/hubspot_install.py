"""Installing the app: what the code exchange and the access token's introspection tell us, and our record of an
install.

Apart from models/hubspot.py: the workers refresh tokens (TokenResponse) but never install, so they never define
these.
"""


from datetime import datetime
from typing import Literal

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model
from hubbooks.models.tokens import TokenSet


class HubSpotTokenGrant(Model):
    """What a successful code exchange gives us: the tokens and whom they belong to."""

    model_config = ConfigDict(frozen=True)

    tokens: TokenSet
    hub_id: int | None = None
    user_id: int | None = None


class AccessTokenInfo(Model):
    """POST /oauth/2026-03/token/introspect for an access token (spec PublicAccessTokenInfoResponse)."""

    model_config = ConfigDict(extra="ignore", frozen=True)  # HubSpot adds fields over time

    active: bool
    hub_id: int
    app_id: int
    user_id: int | None = None
    user: str | None = None
    hub_domain: str | None = None
    scopes: list[str] = Field(default_factory=list)
    expires_in: int = 0


class HubSpotInstall(Model):
    """A portal that installed the app (its tokens live apart from it, encrypted)."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    hub_domain: str | None = None
    company_currency: str
    time_zone: str | None = None
    ui_domain: str | None = None
    scopes: list[str] = Field(default_factory=list)
    status: Literal["installed", "uninstalled"] = "installed"
    installed_at: datetime
    installed_by_user_id: int | None = None
    uninstalled_at: datetime | None = None
