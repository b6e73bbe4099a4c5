"""HubSpot install, signed app-card requests and uninstall, over HTTP through the local gateway."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from sandbox.seed_hubspot import install_app
from sandbox.stack import StackProcess, http_json

pytestmark = pytest.mark.e2e


def _new_portal(stack: StackProcess, currency: str = "USD", *, app_listed: bool = False) -> dict[str, Any]:
    """A simulator portal; app_listed adds our app to it without our OAuth flow (enough for card requests)."""
    status, portal = http_json("POST", f"{stack.hubspot_url}/_sandbox/portals", {"company_currency": currency})
    assert status == 201, portal
    if app_listed:
        status, answer = http_json("POST", f"{stack.hubspot_url}/_sandbox/installs",
                                   {"app_id": stack.hubspot_app["app_id"], "portal_id": portal["portal_id"]})
        assert status < 300, answer
    return dict(portal)


def _fetch(stack: StackProcess, portal: dict[str, Any], method: str, path: str,
           user_email: str | None = None) -> dict[str, Any]:
    """What an app card's hubspot.fetch does: the simulator signs and sends the request to our gateway."""
    body = {"app_id": stack.hubspot_app["app_id"], "portal_id": portal["portal_id"], "user_id": portal["user_id"],
            "method": method, "url": f"{stack.gateway_url}{path}"}
    if user_email:
        body["user_email"] = user_email
    status, answer = http_json("POST", f"{stack.hubspot_url}/_sandbox/fetch", body)
    assert status == 200, answer
    return dict(answer)


def _hubspot_v3(secret: str, method: str, signed_uri: str, timestamp_ms: int) -> str:
    """HubSpot's v3 signature written out independently of our verifier (no decoding helper)."""
    digest = hmac.new(secret.encode(), f"{method}{signed_uri}{timestamp_ms}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def test_install_through_the_consent_screen(stack: StackProcess) -> None:
    portal = _new_portal(stack, "GBP")
    browser = requests.Session()
    attempt = install_app(stack.gateway_url, stack.hubspot_url, portal["portal_id"], session=browser)

    assert attempt.consent_url.startswith(f"{stack.hubspot_url}/oauth/authorize?")
    assert attempt.callback_url.startswith(f"{stack.gateway_url}/oauth/hubspot/callback?code=")
    assert attempt.status == 200 and "HubBooks is installed" in attempt.page and "GBP" in attempt.page
    item = stack.aws_session().client("dynamodb").get_item(
        TableName=stack.describe()["resources"]["tables"]["AppTable"],
        Key={"pk": {"S": f"PORTAL#{portal['portal_id']}"}, "sk": {"S": "TOKEN#hubspot#-"}})
    assert "Item" in item and "B" in item["Item"]["at_ct"]  # stored encrypted

    replay = browser.get(attempt.callback_url, timeout=30)
    assert replay.status_code == 400 and "already used" in replay.text
    elsewhere = requests.get(attempt.callback_url, timeout=30)  # a browser without the install's cookie
    assert elsewhere.status_code == 400 and "started in another browser" in elsewhere.text


def test_denied_consent_shows_a_cancelled_page(stack: StackProcess) -> None:
    attempt = install_app(stack.gateway_url, stack.hubspot_url, _new_portal(stack)["portal_id"], approve=False)
    assert "error=access_denied" in attempt.callback_url
    assert attempt.status == 200 and "Install cancelled" in attempt.page


def test_signed_request_with_an_encoded_email_passes_the_uri_decoding_rule(stack: StackProcess) -> None:
    portal = _new_portal(stack, app_listed=True)
    fetched = _fetch(stack, portal, "GET", "/app/context", user_email="first.last+tag@example.com")
    assert "userEmail=first.last%2Btag%40example.com" in fetched["url"]
    assert fetched["status"] == 200, fetched
    assert fetched["body"]["portal_id"] == portal["portal_id"]


def _hand_signed(stack: StackProcess, portal: dict[str, Any], *, decode: bool, timestamp_ms: int | None = None,
                 secret: str | None = None) -> requests.Response:
    query = urlencode({"userId": portal["user_id"], "portalId": portal["portal_id"],
                       "userEmail": "first.last+tag@example.com", "appId": stack.hubspot_app["app_id"]})
    url = f"{stack.gateway_url}/app/context?{query}"
    signed_uri = url.replace("%40", "@") if decode else url  # %2B is not on HubSpot's list: it stays encoded
    stamp = timestamp_ms or int(time.time() * 1000)
    signature = _hubspot_v3(secret or stack.secret("HubSpotAppSecret")["client_secret"], "GET", signed_uri, stamp)
    return requests.get(url, headers={"X-HubSpot-Signature-v3": signature,
                                      "X-HubSpot-Request-Timestamp": str(stamp)}, timeout=30)


def test_the_signature_covers_the_uri_with_hubspots_escapes_decoded(stack: StackProcess) -> None:
    portal = _new_portal(stack)
    assert _hand_signed(stack, portal, decode=True).status_code == 200
    undecoded = _hand_signed(stack, portal, decode=False)
    assert undecoded.status_code == 401 and "does not match" in undecoded.json()["message"]


def test_missing_stale_and_bad_signatures_are_refused(stack: StackProcess) -> None:
    portal = _new_portal(stack)
    missing = requests.get(f"{stack.gateway_url}/app/context?portalId={portal['portal_id']}&userId=1", timeout=30)
    assert missing.status_code == 401 and "missing" in missing.json()["message"]

    stale = _hand_signed(stack, portal, decode=True, timestamp_ms=int(time.time() * 1000) - 6 * 60 * 1000)
    assert stale.status_code == 401 and "older than" in stale.json()["message"]

    forged = _hand_signed(stack, portal, decode=True, secret="not-the-app-secret")
    assert forged.status_code == 401 and "does not match" in forged.json()["message"]


def test_uninstall_from_the_app_card_removes_the_tokens(stack: StackProcess) -> None:
    portal = _new_portal(stack)
    assert install_app(stack.gateway_url, stack.hubspot_url, portal["portal_id"]).status == 200

    removed = _fetch(stack, portal, "DELETE", "/oauth/hubspot/install")
    assert removed["status"] == 200 and removed["body"]["portal_id"] == portal["portal_id"]
    assert removed["body"]["uninstalled"] is True and removed["body"]["qbo_companies"] == "disconnect"
    item = stack.aws_session().client("dynamodb").get_item(
        TableName=stack.describe()["resources"]["tables"]["AppTable"],
        Key={"pk": {"S": f"PORTAL#{portal['portal_id']}"}, "sk": {"S": "TOKEN#hubspot#-"}})
    assert "Item" not in item

    unsigned = requests.delete(f"{stack.gateway_url}/oauth/hubspot/install?portalId={portal['portal_id']}&userId=1",
                               timeout=30)
    assert unsigned.status_code == 401
