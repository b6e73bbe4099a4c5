"""Short-lived links that carry their own proof: an HMAC over what they grant and when they expire.

Used where a browser must open a URL that HubSpot cannot sign for us (an invoice PDF in an iframe). Unlike OAuth
states they stay valid until they expire, because PDF viewers fetch a document more than once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from hubbooks.domain.auth.constant_time import as_bytes, matches


class InvalidLinkError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue_link_token(key: bytes, claims: dict[str, Any], expires_at: datetime) -> str:
    payload = _b64(json.dumps({**claims, "exp": int(expires_at.timestamp())}, separators=(",", ":")).encode())
    return f"{payload}.{_b64(hmac.new(key, payload.encode(), hashlib.sha256).digest())}"


def read_link_token(key: bytes, token: str | None, now: datetime) -> dict[str, Any]:
    payload, _, signature = (token or "").partition(".")
    if not payload or not signature:
        raise InvalidLinkError("the link is incomplete")
    expected = _b64(hmac.new(key, as_bytes(payload), hashlib.sha256).digest())
    if not matches(signature, expected):
        raise InvalidLinkError("the link is not valid")
    try:
        claims: dict[str, Any] = json.loads(_unb64(payload))
    except (ValueError, UnicodeError, RecursionError) as exc:
        raise InvalidLinkError("the link is not valid") from exc
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int):
        raise InvalidLinkError("the link is not valid")
    if claims["exp"] <= int(now.astimezone(UTC).timestamp()):
        raise InvalidLinkError("the link has expired")
    return claims
