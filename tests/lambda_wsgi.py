"""A Lambda HTTP handler served as a WSGI app, so request generators (schemathesis) can call it in-process: each
request becomes an API Gateway HTTP API 2.0 event, optionally signed as HubSpot signs an app card's hubspot.fetch."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qsl, quote

from hubbooks.api.hubspot_signature import sign_v3
from tests.support import API_DOMAIN, HUBSPOT_APP_ID, HUBSPOT_CLIENT_SECRET, LambdaContext, http_event

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


class LambdaWsgiApp:
    def __init__(self, handler: Handler, *, signed_portal_id: int | None = None, user_id: int = 7) -> None:
        self._handler = handler
        self._portal_id = signed_portal_id
        self._user_id = user_id
        self.statuses: list[int] = []

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        event = self._event(environ)
        answer = self._handler(event, LambdaContext())
        self.statuses.append(int(answer["statusCode"]))
        body = answer.get("body") or ""
        raw = base64.b64decode(body) if answer.get("isBase64Encoded") else str(body).encode("utf-8")
        headers = [(str(k), str(v)) for k, v in (answer.get("headers") or {}).items()]
        headers += [("Set-Cookie", cookie) for cookie in answer.get("cookies") or []]
        start_response(f"{answer['statusCode']} STATUS", headers)
        return [raw]

    def _event(self, environ: dict[str, Any]) -> dict[str, Any]:
        method = environ["REQUEST_METHOD"]
        # API Gateway hands over the path as sent (percent-escapes kept); WSGI decodes it as latin-1.
        path = quote(environ.get("PATH_INFO", "/").encode("latin-1").decode("utf-8", "replace"), safe="/:@!$&'()*+,;=")
        query = environ.get("QUERY_STRING", "")
        if self._portal_id is not None:
            identity = f"portalId={self._portal_id}&userId={self._user_id}&appId={HUBSPOT_APP_ID}"
            query = f"{query}&{identity}" if query else identity
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {key[5:].replace("_", "-").lower(): value for key, value in environ.items()
                   if key.startswith("HTTP_") and key != "HTTP_HOST"}  # the public host is API Gateway's
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        event = http_event(method, path, headers=headers)
        event["rawQueryString"] = query
        params: dict[str, str] = {}
        for key, value in parse_qsl(query, keep_blank_values=True):
            params[key] = f"{params[key]},{value}" if key in params else value  # as API Gateway joins repeats
        event["queryStringParameters"] = params or None
        try:
            event["body"], event["isBase64Encoded"] = (body.decode("utf-8"), False) if body else (None, False)
        except UnicodeDecodeError:
            event["body"], event["isBase64Encoded"] = base64.b64encode(body).decode(), True
        if self._portal_id is not None and not event["isBase64Encoded"]:  # HubSpot signs text bodies only
            stamp = str(int(time.time() * 1000))
            url = f"https://{API_DOMAIN}{path}" + (f"?{query}" if query else "")
            event["headers"]["x-hubspot-request-timestamp"] = stamp
            event["headers"]["x-hubspot-signature-v3"] = sign_v3(HUBSPOT_CLIENT_SECRET, method, url, body, stamp)
        return event
