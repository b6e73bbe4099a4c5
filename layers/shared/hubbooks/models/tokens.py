"""OAuth grants held for a portal: one HubSpot grant per portal, one QuickBooks grant per connected company."""


from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model


class Provider(StrEnum):
    QBO = "qbo"
    HUBSPOT = "hubspot"


class GrantKey(Model):
    model_config = ConfigDict(frozen=True)

    provider: Provider
    portal_id: int
    realm_id: str | None = None  # QuickBooks company; None for the portal's HubSpot grant

    def encryption_context(self, purpose: str) -> dict[str, str]:
        """KMS binds each ciphertext to this context: a token copied to another tenant's row will not decrypt."""
        return {"provider": self.provider.value, "portal_id": str(self.portal_id),
                "realm_id": self.realm_id or "-", "purpose": purpose}


class TokenSet(Model):
    model_config = ConfigDict(frozen=True)

    access_token: str = Field(repr=False)
    refresh_token: str = Field(repr=False)
    access_expires_at: datetime
    refresh_expires_at: datetime | None = None
    refresh_hard_expires_at: datetime | None = None
    scopes: list[str] = Field(default_factory=list)


class StoredGrant(Model):
    model_config = ConfigDict(frozen=True)

    key: GrantKey
    tokens: TokenSet
    version: int
    updated_at: datetime | None = None  # when these tokens were stored (None: written before this was recorded)
