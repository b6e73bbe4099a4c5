"""HubSpot request signatures (v3, with v1/v2 for webhooks) and the rebuilding of the URL HubSpot signed.

v3 = base64(HMAC-SHA256(client_secret, method + uri + body + timestamp)); HubSpot decodes a fixed set of
percent-escapes in the URI before signing, so we must too (and only those: %20 etc. stay encoded).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Mapping

from hubbooks.domain.auth.constant_time import matches

_DECODED_ESCAPES = {
    "%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$",
    "%27": "'", "%28": "(", "%29": ")", "%2A": "*", "%2C": ",", "%3B": ";",
}


def decode_uri_for_signing(uri: str) -> str:
    result: list[str] = []
    index = 0
    while index < len(uri):
        chunk = uri[index:index + 3]
        replacement = _DECODED_ESCAPES.get(chunk.upper()) if chunk.startswith("%") else None
        if replacement is not None:
            result.append(replacement)
            index += 3
        else:
            result.append(uri[index])
            index += 1
    return "".join(result)


def sign_v3(client_secret: str, method: str, uri: str, body: bytes | str, timestamp_ms: int | str) -> str:
    raw_body = body.decode("utf-8") if isinstance(body, bytes) else body
    message = f"{method.upper()}{decode_uri_for_signing(uri)}{raw_body}{timestamp_ms}"
    digest = hmac.new(client_secret.encode(), message.encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def sign_v1(client_secret: str, body: bytes | str) -> str:
    raw_body = body.decode("utf-8") if isinstance(body, bytes) else body
    return hashlib.sha256((client_secret + raw_body).encode("utf-8")).hexdigest()


def sign_v2(client_secret: str, method: str, uri: str, body: bytes | str) -> str:
    raw_body = body.decode("utf-8") if isinstance(body, bytes) else body
    return hashlib.sha256((client_secret + method.upper() + uri + raw_body).encode("utf-8")).hexdigest()


class SignatureRejected(Exception):
    """Why a request's signature was not accepted, in words a developer can act on."""


def verify_v3(*, client_secret: str, method: str, uri: str, body: bytes | str, timestamp: str | None,
              signature: str | None, now_ms: int, max_age_seconds: int) -> None:
    if not signature:
        raise SignatureRejected("the X-HubSpot-Signature-v3 header is missing")
    if not timestamp:
        raise SignatureRejected("the X-HubSpot-Request-Timestamp header is missing")
    try:
        timestamp_ms = int(timestamp)
    except ValueError as exc:
        raise SignatureRejected("X-HubSpot-Request-Timestamp must be milliseconds since the epoch") from exc
    if (now_ms - timestamp_ms) // 1000 > max_age_seconds:
        raise SignatureRejected(f"the request timestamp is older than {max_age_seconds} seconds")
    if (timestamp_ms - now_ms) // 1000 > max_age_seconds:
        raise SignatureRejected("the request timestamp is in the future")
    try:
        expected = sign_v3(client_secret, method, uri, body, timestamp)
        same = matches(signature, expected)
    except UnicodeError as exc:  # lone surrogates or bytes that are not UTF-8 cannot be what HubSpot signed
        raise SignatureRejected("the request is not valid UTF-8") from exc
    if not same:
        raise SignatureRejected("the X-HubSpot-Signature-v3 signature does not match the request")


def public_url_of(event: Mapping[str, object]) -> str:
    """The URL the caller used, rebuilt from an API Gateway HTTP API (payload 2.0) event."""
    headers = {str(k).lower(): str(v) for k, v in dict(event.get("headers") or {}).items()}  # type: ignore[call-overload]
    context = event.get("requestContext") or {}
    host = headers.get("host") or str(dict(context).get("domainName", ""))  # type: ignore[call-overload]
    scheme = headers.get("x-forwarded-proto", "https").split(",")[0].strip() or "https"
    url = f"{scheme}://{host}{event.get('rawPath', '/')}"
    query = str(event.get("rawQueryString") or "")
    return f"{url}?{query}" if query else url


def raw_body_of(event: Mapping[str, object]) -> bytes:
    body = event.get("body")
    if body is None:
        return b""
    if event.get("isBase64Encoded"):
        return base64.b64decode(str(body))
    return str(body).encode("utf-8")
