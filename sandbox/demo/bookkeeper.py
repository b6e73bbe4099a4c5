"""A bookkeeper's own QuickBooks app, registered in the simulator: what HubBooks' users do in QuickBooks itself
(record payments, add products) goes through the normal Accounting API, not through HubBooks."""

from __future__ import annotations

import base64
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from sandbox.demo.framework import StepFailed, short_json
from sandbox.stack import http_json

BOOKKEEPER_REDIRECT = "http://127.0.0.1/bookkeeper/callback"


def bookkeeper_token(qbo_url: str, realm_id: str) -> str:
    """An access token for the company from a second app registered in the simulator, consented headlessly."""
    status, app = http_json("POST", f"{qbo_url}/_sandbox/apps", {"redirect_uris": [BOOKKEEPER_REDIRECT],
                                                                  "name": "Bookkeeper's tool"})
    if status != 201:
        raise StepFailed(f"registering the bookkeeper's app failed: {status} {short_json(app)}")
    status, consent = http_json("POST", f"{qbo_url}/_sandbox/authorize", {
        "client_id": app["client_id"], "redirect_uri": BOOKKEEPER_REDIRECT, "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting", "state": "pay", "realm_id": realm_id})
    code = dict(parse_qsl(urlsplit(consent["redirect"]).query))["code"]
    basic = base64.b64encode(f"{app['client_id']}:{app['client_secret']}".encode()).decode()
    answer = requests.post(f"{qbo_url}/oauth2/v1/tokens/bearer", timeout=30,
                           headers={"Authorization": f"Basic {basic}", "Accept": "application/json"},
                           data={"grant_type": "authorization_code", "code": code,
                                 "redirect_uri": BOOKKEEPER_REDIRECT})
    if answer.status_code != 200:
        raise StepFailed(f"the bookkeeper's token exchange failed: {answer.status_code} {answer.text[:200]}")
    return str(answer.json()["access_token"])


def create_item(qbo_url: str, realm_id: str, token: str, item: dict[str, Any]) -> dict[str, Any]:
    """POST /v3/company/{realm}/item as the bookkeeper; returns the created Item."""
    answer = requests.post(f"{qbo_url}/v3/company/{realm_id}/item", params={"minorversion": "75"}, json=item,
                           headers={"Authorization": f"Bearer {token}", "Accept": "application/json"}, timeout=30)
    if answer.status_code != 200:
        raise StepFailed(f"the bookkeeper could not add {item.get('Name')!r}: {answer.status_code} "
                         f"{answer.text[:200]}")
    created: dict[str, Any] = answer.json()["Item"]
    return created
