"""Issue and redeem OAuth states: signed (tamper-evident), short-lived, single-use, bound to a portal and user."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from hubbooks.domain.auth.constant_time import as_bytes, matches
from hubbooks.models.oauth_state import OAuthState, StatePurpose

if TYPE_CHECKING:
    from hubbooks.domain.auth.ports import OAuthStateStore


class StateProblem(StrEnum):
    INVALID = "invalid"  # malformed, tampered with, or for another flow
    EXPIRED = "expired"
    USED = "used"  # already redeemed (or never issued)


class InvalidStateError(Exception):
    def __init__(self, problem: StateProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


class OAuthStateService:
    def __init__(self, store: OAuthStateStore, signing_key: bytes, clock: Callable[[], float] = time.time) -> None:
        self._store = store
        self._key = signing_key
        self._clock = clock

    def issue(self, purpose: StatePurpose, *, portal_id: int | None, user_id: int | None,
              ttl: timedelta = timedelta(minutes=10)) -> str:
        nonce = secrets.token_urlsafe(24)
        expires_at = datetime.fromtimestamp(self._clock(), tz=UTC) + ttl
        self._store.put(OAuthState(nonce=nonce, purpose=purpose, portal_id=portal_id, user_id=user_id,
                                   expires_at=expires_at))
        return f"{nonce}.{self._sign(nonce, purpose)}"

    def redeem(self, token: str | None, purpose: StatePurpose) -> OAuthState:
        """Check and consume a state; raises InvalidStateError saying why it cannot be used."""
        nonce, _, signature = (token or "").partition(".")
        if not nonce or not signature or not matches(signature, self._sign(nonce, purpose)):
            raise InvalidStateError(StateProblem.INVALID)
        state = self._store.take(nonce)
        if state is None:
            raise InvalidStateError(StateProblem.USED)
        if state.purpose != purpose:
            raise InvalidStateError(StateProblem.INVALID)
        if state.expires_at <= datetime.fromtimestamp(self._clock(), tz=UTC):
            raise InvalidStateError(StateProblem.EXPIRED)
        return state

    def _sign(self, nonce: str, purpose: StatePurpose) -> str:
        digest = hmac.new(self._key, as_bytes(f"{purpose.value}:{nonce}"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:18]).decode()
