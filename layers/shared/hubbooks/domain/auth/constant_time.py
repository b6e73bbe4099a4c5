"""Comparing a presented secret (signature, digest, link) with the expected one in constant time, whatever it holds.

hmac.compare_digest refuses str with non-ASCII characters (TypeError), and str.encode refuses lone surrogates, so a
hostile value would crash the check instead of failing it: both sides are compared as bytes, undecodable parts
replaced (a replaced value never equals a genuine, ASCII, expected one)."""

from __future__ import annotations

import hmac


def as_bytes(text: str) -> bytes:
    return text.encode("utf-8", errors="replace")


def matches(presented: str, expected: str) -> bool:
    return hmac.compare_digest(as_bytes(presented), as_bytes(expected))
