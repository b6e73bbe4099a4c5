"""Sample CRM data for a HubSpot portal, written through HubSpot's public CRM API (2026-03 paths).

Companies, contacts, products, deals with line items, and two quotes with their own line items (a line item has
exactly one parent, so quotes get copies): one published and valid, one expired. The demo and the invoice feature's
tests build on it. Records are linked with the `default` association endpoints, so no association type ids are
assumed. Request bodies follow the official specs (they pass the simulator's OpenAPI validation).

    install = install_app(gateway_url, hubspot_url, portal_id)  # simulator: our install flow, as a browser does it
    token = sandbox_token(hubspot_url, portal_id)           # simulator only: a token with every scope
    data = seed_portal(hubspot_url, token, currency="EUR")  # works against any HubSpot API base URL
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

VERSION = "2026-03"


@dataclass(frozen=True)
class SeededDeal:
    id: str
    name: str
    amount: str
    contact_id: str
    company_id: str
    line_item_ids: list[str]


@dataclass(frozen=True)
class SeededQuote:
    id: str
    title: str
    deal_id: str
    expires_on: str
    published: bool
    expired: bool
    line_item_ids: list[str]


@dataclass
class SeedData:
    currency: str
    company_ids: list[str] = field(default_factory=list)
    contact_ids: list[str] = field(default_factory=list)
    product_ids: list[str] = field(default_factory=list)
    deals: list[SeededDeal] = field(default_factory=list)
    quotes: list[SeededQuote] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"companies": len(self.company_ids), "contacts": len(self.contact_ids),
                "products": len(self.product_ids), "deals": len(self.deals), "quotes": len(self.quotes),
                "line_items": sum(len(d.line_item_ids) for d in self.deals)
                + sum(len(q.line_item_ids) for q in self.quotes)}


COMPANIES = [{"name": "Acme Heating Ltd", "domain": "acme-heating.example"},
             {"name": "Globex Facilities", "domain": "globex.example"}]
CONTACTS = [{"email": "ada.lovelace@acme-heating.example", "firstname": "Ada", "lastname": "Lovelace"},
            {"email": "grace.hopper@globex.example", "firstname": "Grace", "lastname": "Hopper"},
            {"email": "alan.turing@globex.example", "firstname": "Alan", "lastname": "Turing"}]
PRODUCTS = [{"name": "Boiler service", "price": "180", "hs_sku": "SRV-BOIL", "description": "Annual boiler service"},
            {"name": "Radiator valve", "price": "24.50", "hs_sku": "PRT-VALVE", "description": "Thermostatic valve"},
            {"name": "Call-out fee", "price": "65", "hs_sku": "FEE-CALL", "description": "Emergency call-out"}]
# deal name -> (company index, contact index, [(product index, quantity)])
DEALS = [("Acme - annual service", 0, 0, [(0, "1"), (1, "4")]),
         ("Globex - emergency repair", 1, 1, [(2, "1"), (1, "2"), (0, "1")])]


class CrmWriter:
    """Just enough of the CRM API to seed: batch create, batch default associations, one update."""

    def __init__(self, base_url: str, access_token: str, session: requests.Session | None = None) -> None:
        self._base = base_url.rstrip("/")
        self._session = session or requests.Session()
        self._session.headers.update({"Authorization": f"Bearer {access_token}", "Accept": "application/json"})

    def _call(self, method: str, path: str, body: Any) -> Any:
        response = self._session.request(method, f"{self._base}{path}", json=body, timeout=30)
        if response.status_code >= 300:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None

    def create(self, object_type: str, records: list[dict[str, str]]) -> list[str]:
        answer = self._call("POST", f"/crm/objects/{VERSION}/{object_type}/batch/create",
                            {"inputs": [{"properties": p, "associations": []} for p in records]})
        # Batch answers are not promised in input order; match them back through a property we set.
        key = next(iter(records[0]))
        by_value = {r["properties"].get(key): r["id"] for r in answer["results"]}
        return [by_value[record[key]] for record in records]

    def link(self, from_type: str, to_type: str, pairs: list[tuple[str, str]]) -> None:
        self._call("POST", f"/crm/associations/{VERSION}/{from_type}/{to_type}/batch/associate/default",
                   {"inputs": [{"from": {"id": a}, "to": {"id": b}} for a, b in pairs]})

    def update(self, object_type: str, object_id: str, properties: dict[str, str]) -> None:
        self._call("PATCH", f"/crm/objects/{VERSION}/{object_type}/{object_id}", {"properties": properties})


def _line_items(writer: CrmWriter, product_ids: list[str], lines: list[tuple[int, str]]) -> list[str]:
    """Line items as HubSpot makes them from products: the product's name, SKU, price and description copied."""
    records = [{"name": PRODUCTS[p]["name"], "hs_sku": PRODUCTS[p]["hs_sku"], "description": PRODUCTS[p]["description"],
                "hs_product_id": product_ids[p], "price": PRODUCTS[p]["price"], "quantity": qty} for p, qty in lines]
    return writer.create("line_items", records)


def seed_portal(base_url: str, access_token: str, *, currency: str = "USD", today: datetime | None = None,
                session: requests.Session | None = None) -> SeedData:
    writer = CrmWriter(base_url, access_token, session)
    today = today or datetime.now(UTC)
    data = SeedData(currency=currency)
    data.company_ids = writer.create("companies", COMPANIES)
    data.contact_ids = writer.create("contacts", CONTACTS)
    writer.link("contacts", "companies", [(data.contact_ids[0], data.company_ids[0]),
                                          (data.contact_ids[1], data.company_ids[1]),
                                          (data.contact_ids[2], data.company_ids[1])])
    data.product_ids = writer.create("products", PRODUCTS)

    deal_ids = writer.create("deals", [
        {"dealname": name, "amount": _total(lines), "deal_currency_code": currency, "dealstage": "contractsent",
         "pipeline": "default", "closedate": (today + timedelta(days=14)).strftime("%Y-%m-%d")}
        for name, _, _, lines in DEALS])
    for deal_id, (name, company, contact, lines) in zip(deal_ids, DEALS, strict=True):
        items = _line_items(writer, data.product_ids, lines)
        writer.link("line_items", "deals", [(item, deal_id) for item in items])
        writer.link("deals", "contacts", [(deal_id, data.contact_ids[contact])])
        writer.link("deals", "companies", [(deal_id, data.company_ids[company])])
        data.deals.append(SeededDeal(id=deal_id, name=name, amount=_total(lines), contact_id=data.contact_ids[contact],
                                     company_id=data.company_ids[company], line_item_ids=items))

    valid_until = (today + timedelta(days=30)).strftime("%Y-%m-%d")
    expired_on = (today - timedelta(days=3)).strftime("%Y-%m-%d")
    for deal, lines, expires_on in ((data.deals[0], DEALS[0][3], valid_until), (data.deals[1], DEALS[1][3],
                                                                                 expired_on)):
        title = f"Quote for {deal.name}"
        quote_id = writer.create("quotes", [{"hs_title": title, "hs_expiration_date": expires_on,
                                             "hs_status": "DRAFT", "hs_currency": currency}])[0]
        writer.link("quotes", "deals", [(quote_id, deal.id)])
        writer.link("quotes", "contacts", [(quote_id, deal.contact_id)])
        items = _line_items(writer, data.product_ids, lines)
        writer.link("quotes", "line_items", [(quote_id, item) for item in items])
        writer.update("quotes", quote_id, {"hs_status": "APPROVAL_NOT_NEEDED"})  # publish
        data.quotes.append(SeededQuote(id=quote_id, title=title, deal_id=deal.id, expires_on=expires_on,
                                       published=True, expired=expires_on < today.strftime("%Y-%m-%d"),
                                       line_item_ids=items))
    return data


def _total(lines: list[tuple[int, str]]) -> str:
    cents = sum(round(float(PRODUCTS[p]["price"]) * 100) * int(qty) for p, qty in lines)
    return f"{cents // 100}.{cents % 100:02d}"


def sandbox_token(hubspot_url: str, portal_id: int) -> str:
    """The simulator's static token for a portal (every scope, never expires): for seeding only."""
    response = requests.post(f"{hubspot_url.rstrip('/')}/_sandbox/tokens", json={"portal_id": portal_id}, timeout=10)
    response.raise_for_status()
    return str(response.json()["access_token"])


@dataclass(frozen=True)
class InstallAttempt:
    consent_url: str  # where our install route sent the browser
    callback_url: str  # where HubSpot's consent screen sent it back
    status: int  # our callback page's status
    page: str  # our callback page (HTML)


def install_app(gateway_url: str, hubspot_url: str, portal_id: int, *, approve: bool = True,
                session: requests.Session | None = None) -> InstallAttempt:
    """Walk our install flow as a browser would: our install URL, the simulator's consent form, our callback."""
    browser = session or requests.Session()
    started = browser.get(f"{gateway_url.rstrip('/')}/oauth/hubspot/install", allow_redirects=False, timeout=30)
    if started.status_code != 302:
        raise RuntimeError(f"the install route answered {started.status_code}, not a redirect: {started.text[:300]}")
    consent_url = started.headers["Location"]
    consent = browser.get(consent_url, timeout=30)
    if consent.status_code != 200:
        raise RuntimeError(f"HubSpot's consent screen answered {consent.status_code}: {consent.text[:300]}")
    asked = {key: values[0] for key, values in parse_qs(urlsplit(consent_url).query).items()}
    form = {"client_id": asked["client_id"], "redirect_uri": asked["redirect_uri"], "scope": asked["scope"],
            "state": asked.get("state", ""), "portal_id": str(portal_id),
            "decision": "approve" if approve else "deny"}
    decided = browser.post(f"{hubspot_url.rstrip('/')}/oauth/authorize", data=form, allow_redirects=False,
                           timeout=30)
    if decided.status_code != 302:
        raise RuntimeError(f"the consent form answered {decided.status_code}: {decided.text[:300]}")
    callback_url = decided.headers["Location"]
    finished = browser.get(callback_url, allow_redirects=False, timeout=60)
    return InstallAttempt(consent_url=consent_url, callback_url=callback_url, status=finished.status_code,
                          page=finished.text)
