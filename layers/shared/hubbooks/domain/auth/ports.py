"""What authentication needs from storage, as small Protocols: the adapters in adapters/storage implement them over
DynamoDB (and KMS), unit tests use in-memory fakes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from hubbooks.models.oauth_state import OAuthState
    from hubbooks.models.tokens import GrantKey, StoredGrant, TokenSet


class TokenStore(Protocol):
    """Encrypted, versioned OAuth grants: writes after the first are conditional on the version read, and a short
    lease lets one caller refresh a grant while others wait for its result."""

    def load(self, key: GrantKey) -> StoredGrant | None: ...
    def put(self, key: GrantKey, tokens: TokenSet) -> StoredGrant: ...
    def replace(self, grant: StoredGrant, tokens: TokenSet) -> StoredGrant | None: ...
    def try_lease(self, grant: StoredGrant, holder: str, until_epoch: float, now_epoch: float) -> bool: ...
    def release_lease(self, key: GrantKey, holder: str) -> None: ...
    def delete(self, key: GrantKey) -> None: ...


class OAuthStateStore(Protocol):
    """One-time OAuth states: taking one removes it, so a state works exactly once."""

    def put(self, state: OAuthState) -> None: ...
    def take(self, nonce: str) -> OAuthState | None: ...
