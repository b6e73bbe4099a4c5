"""What installing the app learns from HubSpot: the code exchange's grant and the access token's introspection.

Apart from models/hubspot.py: the workers refresh tokens (TokenResponse) but never exchange a code, so they never
define these.
"""


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
