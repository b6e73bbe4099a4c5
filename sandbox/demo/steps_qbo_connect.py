"""QuickBooks connect: one HubSpot portal connects a US and a UK company through Intuit's consent, lists them,
disconnects one (revoked at Intuit, history kept) and reconnects it."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from sandbox.demo.framework import Demo, Step, short_json
from sandbox.stack import http_json

ORDER = 20


def _fetch(demo: Demo, method: str, path: str) -> dict[str, Any]:
    """An app card's signed hubspot.fetch to our API, made by the HubSpot simulator."""
    status, answer = http_json("POST", f"{demo.stack.hubspot_url}/_sandbox/fetch", {
        "app_id": demo.facts["hubspot_app_id"], "portal_id": demo.facts["qbo_portal_id"],
        "user_id": demo.facts["qbo_user_id"], "method": method, "url": f"{demo.stack.gateway_url}{path}"})
    demo.check(status == 200, f"the HubSpot simulator could not make the app-card fetch: {status} {answer}")
    return dict(answer)


def _connect(demo: Demo, realm_id: str) -> str:
    link = _fetch(demo, "POST", "/oauth/qbo/connect-link")
    demo.check(link["status"] == 200, f"asking for a connect link failed: {link['status']} {short_json(link)}")
    browser = requests.Session()  # keeps the cookie that ties the callback to the browser that started
    opened = browser.get(link["body"]["url"], allow_redirects=False, timeout=30)
    demo.check(opened.status_code == 302, f"the connect link answered {opened.status_code}: {opened.text[:200]}")
    authorize = opened.headers["Location"]
    params = dict(parse_qsl(urlsplit(authorize).query))
    status, consent = http_json("POST", f"{demo.stack.qbo_url}/_sandbox/authorize", {**params, "realm_id": realm_id})
    demo.check(status == 200, f"Intuit's consent (simulated) failed: {status} {consent}")
    page = browser.get(consent["redirect"], timeout=60)
    demo.check(page.status_code == 200, f"the callback answered {page.status_code}: {page.text[:300]}")
    title = page.text.split("<h1>", 1)[1].split("</h1>", 1)[0] if "<h1>" in page.text else page.text[:80]
    demo.say(f"connect link -> {urlsplit(authorize).path} at Intuit -> approved company {realm_id} -> "
             f"callback page: \"{title}\"")
    return title


def _connections(demo: Demo) -> list[dict[str, Any]]:
    listed = _fetch(demo, "GET", "/oauth/qbo/connections")
    demo.check(listed["status"] == 200, f"listing connections failed: {listed['status']} {short_json(listed)}")
    return list(listed["body"]["connections"])


def connect_us_and_uk(demo: Demo) -> str:
    hubspot, qbo = demo.stack.hubspot_url, demo.stack.qbo_url
    status, portal = http_json("POST", f"{hubspot}/_sandbox/portals", {"company_currency": "USD"})
    demo.check(status == 201, f"the HubSpot simulator refused to create a portal: {status} {portal}")
    http_json("POST", f"{hubspot}/_sandbox/installs", {"app_id": demo.facts["hubspot_app_id"],
                                                        "portal_id": portal["portal_id"]})
    demo.facts["qbo_portal_id"], demo.facts["qbo_user_id"] = portal["portal_id"], portal["user_id"]
    realms = {}
    for name, country, extra in (("Demo Widgets Inc", "US", {}),
                                 ("Demo Widgets Ltd", "GB", {"multicurrency": True, "custom_txn_numbers": True})):
        status, company = http_json("POST", f"{qbo}/_sandbox/companies",
                                    {"name": name, "country": country, "sandbox": False, **extra})
        demo.check(status == 201, f"the QuickBooks simulator refused to create {name}: {status} {company}")
        realms[country] = str(company["realm_id"])
        demo.say(f"QuickBooks company {name} ({country}, realm {company['realm_id']})")
    for country in ("US", "GB"):
        title = _connect(demo, realms[country])
        demo.check(title == "QuickBooks company connected", f"expected a connected page, got \"{title}\"")
    demo.facts["qbo_realms"] = realms
    listed = {c["realm_id"]: c for c in _connections(demo)}
    for country, realm in realms.items():
        connection = demo.require(listed.get(realm), f"the {country} company is not listed: {short_json(listed)}")
        demo.check(connection["status"] == "connected",
                   f"the {country} company is not listed as connected: {short_json(listed)}")
        demo.say(f"listed: {connection['company_name']}  {connection['country']}  {connection['home_currency']}"
                 f"  multicurrency={connection['multicurrency']}  status={connection['status']}")
    return f"portal {portal['portal_id']} has 2 QuickBooks companies connected (USD and GBP)"


def disconnect_and_reconnect(demo: Demo) -> str:
    uk = demo.facts["qbo_realms"]["GB"]
    gone = _fetch(demo, "DELETE", f"/oauth/qbo/connections/{uk}")
    demo.check(gone["status"] == 200 and gone["body"]["status"] == "disconnected",
               f"disconnecting failed: {gone['status']} {short_json(gone['body'])}")
    statuses = {c["realm_id"]: c["status"] for c in _connections(demo)}
    demo.say(f"DELETE /oauth/qbo/connections/{uk} -> revoked at Intuit; listed as {statuses.get(uk)} (history kept)")
    demo.check(statuses.get(uk) == "disconnected", f"the UK company should be disconnected: {statuses}")
    title = _connect(demo, uk)
    demo.check(title == "QuickBooks company reconnected", f"expected a reconnected page, got \"{title}\"")
    statuses = {c["realm_id"]: c["status"] for c in _connections(demo)}
    demo.check(set(statuses.values()) == {"connected"}, f"both companies should be connected again: {statuses}")
    return "the UK company was disconnected (record kept as history) and reconnected; both are connected"


STEPS = [
    Step("A HubSpot portal connects a US and a UK QuickBooks company", connect_us_and_uk,
         needs=("hubspot_app_id",)),
    Step("Disconnect the UK company, then connect it again", disconnect_and_reconnect, needs=("qbo_realms",)),
]
