"""Signed requests that change something are accepted once.

HubSpot's v3 signature has no nonce: a captured request verifies again until its timestamp is too old. Remembering
each accepted signature until then (and no longer) makes a replay recognisable.
"""

from __future__ import annotations

import hashlib
from typing import Protocol

STATE_CHANGING_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class UsedSignatures(Protocol):
    def record_first_use(self, signature_digest: str, *, remember_until: int, now: int) -> bool:
        """Record the signature; False when it was already recorded and has not expired (a replay)."""
        ...


def signature_digest(method: str, signature: str) -> str:
    # Hashed so the record holds nothing that would verify, and a fixed-length key whatever the header holds.
    return hashlib.sha256(f"{method.upper()} {signature}".encode("utf-8", errors="replace")).hexdigest()


def accept_once(used: UsedSignatures, *, method: str, signature: str, timestamp_ms: int, max_age_seconds: int,
                now: int) -> bool:
    """True the first time a state-changing signed request is seen; reads are always accepted."""
    if method.upper() not in STATE_CHANGING_METHODS:
        return True
    # The signature stops verifying max_age_seconds after its timestamp; remember it until then (plus a margin).
    remember_until = timestamp_ms // 1000 + max_age_seconds + 60
    return used.record_first_use(signature_digest(method, signature), remember_until=remember_until, now=now)
