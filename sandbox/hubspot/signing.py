"""HubSpot request signatures v1, v2 and v3 (api-facts H2), for the requests the simulator sends out."""

from __future__ import annotations

import base64
import hashlib
import hmac

# v3 hashes the URI with these escapes decoded; the `?` that starts the query string is already literal.
_V3_DECODE = {"%3A": ":", "%2F": "/", "%3F": "?", "%40": "@", "%21": "!", "%24": "$", "%27": "'", "%28": "(",
              "%29": ")", "%2A": "*", "%2C": ",", "%3B": ";"}


def decode_uri_for_v3(uri: str) -> str:
    out = uri
    for encoded, plain in _V3_DECODE.items():
        out = out.replace(encoded, plain).replace(encoded.lower(), plain)
    return out


def sign_v1(client_secret: str, body: str) -> str:
    return hashlib.sha256((client_secret + body).encode()).hexdigest()


def sign_v2(client_secret: str, method: str, uri: str, body: str) -> str:
    return hashlib.sha256((client_secret + method + uri + body).encode()).hexdigest()


def sign_v3(client_secret: str, method: str, uri: str, body: str, timestamp_ms: int) -> str:
    message = (method + decode_uri_for_v3(uri) + body + str(timestamp_ms)).encode()
    return base64.b64encode(hmac.new(client_secret.encode(), message, hashlib.sha256).digest()).decode()


def v3_headers(client_secret: str, method: str, uri: str, body: str, timestamp_ms: int) -> dict[str, str]:
    return {"X-HubSpot-Signature-v3": sign_v3(client_secret, method, uri, body, timestamp_ms),
            "X-HubSpot-Request-Timestamp": str(timestamp_ms)}
