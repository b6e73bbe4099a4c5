"""Connecting QuickBooks companies through the local gateway: signed app-card calls made by the HubSpot
simulator, the browser's redirects over HTTP, Intuit played by the QBO simulator, AWS by moto server."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from sandbox.stack import StackProcess
from tests.e2e.qbo_connect_steps import (
    BROWSER,
    authorize_url_from,
    card_fetch,
    connect,
    connect_link,
    connections,
    consent_headlessly,
    disconnect,
    new_company,
    new_portal,
)

pytestmark = pytest.mark.e2e


def test_connect_a_us_and_a_uk_company_then_disconnect_and_reconnect_one(stack: StackProcess) -> None:
    portal = new_portal(stack)
    us = new_company(stack, "E2E Widgets Inc", "US")
    uk = new_company(stack, "E2E Widgets Ltd", "GB", multicurrency=True)

    first, second = connect(stack, portal, us), connect(stack, portal, uk)

    assert first.status_code == 200 and "E2E Widgets Inc is now connected to HubSpot" in first.text
    assert second.status_code == 200 and "home currency GBP, multicurrency on" in second.text
    listed = {c["realm_id"]: c for c in connections(stack, portal)}
    assert listed[us]["country"] == "US" and listed[uk]["home_currency"] == "GBP"

    gone = disconnect(stack, portal, uk)
    assert gone["status"] == 200 and gone["body"]["status"] == "disconnected"
    assert {c["realm_id"]: c["status"] for c in connections(stack, portal)} == {us: "connected",
                                                                               uk: "disconnected"}
    back = connect(stack, portal, uk)
    assert back.status_code == 200 and "reconnected" in back.text
    again = connect(stack, portal, us)
    assert again.status_code == 200 and "already connected" in again.text
    assert {c["status"] for c in connections(stack, portal)} == {"connected"}


def test_the_authorize_redirect_names_our_app_and_callback(stack: StackProcess) -> None:
    portal = new_portal(stack)
    location = urlsplit(authorize_url_from(connect_link(stack, portal)))
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{stack.qbo_url}/connect/oauth2"
    query = parse_qs(location.query)
    assert query["client_id"] == [stack.qbo_app["client_id"]]
    assert query["redirect_uri"] == [f"{stack.gateway_url}/oauth/qbo/callback"]
    assert query["scope"] == ["com.intuit.quickbooks.accounting"] and query["response_type"] == ["code"]


def test_denied_and_replayed_callbacks_are_explained(stack: StackProcess) -> None:
    portal = new_portal(stack)
    denied = BROWSER.get(consent_headlessly(stack, authorize_url_from(connect_link(stack, portal)), None,
                                             deny=True), timeout=30)
    assert denied.status_code == 200 and "You chose not to give HubBooks access" in denied.text

    realm = new_company(stack, "Replay Co", "US")
    callback = consent_headlessly(stack, authorize_url_from(connect_link(stack, portal)), realm)
    assert BROWSER.get(callback, timeout=60).status_code == 200
    replay = BROWSER.get(callback, timeout=30)
    assert replay.status_code == 400 and "already completed" in replay.text


def test_a_used_link_and_unsigned_calls_are_refused(stack: StackProcess) -> None:
    portal = new_portal(stack)
    link = connect_link(stack, portal)
    authorize_url_from(link)
    used = BROWSER.get(link, allow_redirects=False, timeout=30)
    assert used.status_code == 400 and "already used" in used.text
    unsigned = requests.post(f"{stack.gateway_url}/oauth/qbo/connect-link", timeout=30,
                             params={"portalId": portal.portal_id, "userId": portal.user_id})
    assert unsigned.status_code == 401
    missing = card_fetch(stack, portal, "DELETE", "/oauth/qbo/connections/12345")
    assert missing["status"] == 404
