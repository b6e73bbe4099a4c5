"""HubSpot install: a portal installs HubBooks through the consent screen, gets sample CRM data, and its app card
makes a signed request to our API."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import requests

from sandbox.demo.framework import Demo, Step, short_json
from sandbox.seed_hubspot import install_app, sandbox_token, seed_portal
from sandbox.stack import http_json

ORDER = 10
DEAL_PROPERTY_GROUP = "hubbooks_invoice"
ROLLUP_GROUP = "hubbooks_invoices"  # on contacts and companies
INVOICE_PROPERTIES = ("hubbooks_invoice_amount_billed", "hubbooks_invoice_due_date", "hubbooks_invoice_number",
                      "hubbooks_invoice_recipient", "hubbooks_invoice_status")
ROLLUP_PROPERTIES = ("hubbooks_last_payment_date", "hubbooks_outstanding_balance", "hubbooks_overdue_amount",
                     "hubbooks_overdue_invoices", "hubbooks_total_invoiced", "hubbooks_total_paid")


def install_into_a_portal(demo: Demo) -> str:
    hubspot, gateway = demo.stack.hubspot_url, demo.stack.gateway_url
    status, portal = http_json("POST", f"{hubspot}/_sandbox/portals", {"company_currency": "EUR"})
    demo.check(status == 201, f"the HubSpot simulator refused to create a portal: {status} {portal}")
    demo.say(f"created HubSpot portal {portal['portal_id']} (company currency EUR), admin {portal['user_email']}")
    attempt = install_app(gateway, hubspot, portal["portal_id"])
    demo.say(f"GET /oauth/hubspot/install -> 302 to HubSpot's consent screen {attempt.consent_url.split('?')[0]}")
    demo.say(f"approved on the consent screen -> HubSpot redirects to {attempt.callback_url.split('?')[0]}")
    demo.check(attempt.status == 200 and "HubBooks is installed" in attempt.page,
               f"the callback answered {attempt.status}: {attempt.page[:300]}")
    token = sandbox_token(hubspot, portal["portal_id"])
    listed = requests.get(f"{hubspot}/crm/properties/2026-03/deals", headers={"Authorization": f"Bearer {token}"},
                          timeout=30).json()
    ours = sorted(p["name"] for p in listed.get("results", []) if p.get("groupName") == DEAL_PROPERTY_GROUP)
    expected = sorted(INVOICE_PROPERTIES + ROLLUP_PROPERTIES)
    demo.check(ours == expected, f"expected our {len(expected)} deal properties in HubSpot, found {ours}")
    demo.say(f"deal properties created in group {DEAL_PROPERTY_GROUP}: {', '.join(ours)}")
    for object_type in ("contacts", "companies"):
        rollups = requests.get(f"{hubspot}/crm/properties/2026-03/{object_type}", timeout=30,
                               headers={"Authorization": f"Bearer {token}"}).json()
        names = tuple(sorted(p["name"] for p in rollups.get("results", []) if p.get("groupName") == ROLLUP_GROUP))
        demo.check(names == ROLLUP_PROPERTIES, f"the roll-ups are missing on {object_type}: {names}")
    demo.say(f"roll-ups on contacts and companies too: {', '.join(ROLLUP_PROPERTIES)}")
    table = demo.stack.describe()["resources"]["tables"]["AppTable"]
    grant = demo.stack.aws_session().client("dynamodb").get_item(
        TableName=table, Key={"pk": {"S": f"PORTAL#{portal['portal_id']}"}, "sk": {"S": "TOKEN#hubspot#-"}})
    demo.check("B" in grant.get("Item", {}).get("at_ct", {}), "the portal's HubSpot tokens are not in AppTable")
    demo.say(f"AppTable holds the portal's grant as KMS ciphertext ({len(grant['Item']['at_ct']['B'])} bytes)")
    demo.facts["installed_portal"] = portal
    demo.facts["installed_portal_token"] = token
    return f"HubBooks is installed in portal {portal['portal_id']}; its tokens are stored KMS-encrypted"


def seed_crm_data(demo: Demo) -> str:
    portal = demo.facts["installed_portal"]
    data = seed_portal(demo.stack.hubspot_url, demo.facts["installed_portal_token"], currency="EUR")
    for deal in data.deals:
        demo.say(f"deal {deal.id} {deal.name!r}: EUR {deal.amount}, {len(deal.line_item_ids)} line items")
    for quote in data.quotes:
        state = "expired" if quote.expired else "valid"
        demo.say(f"quote {quote.id} {quote.title!r}: published, {state} (expires {quote.expires_on}), "
                 f"{len(quote.line_item_ids)} line items of its own")
    demo.facts["hubspot_seed"] = data
    counts = ", ".join(f"{n} {kind}" for kind, n in data.counts().items())
    return f"portal {portal['portal_id']} now holds {counts}"


def signed_card_request(demo: Demo) -> str:
    portal = demo.facts["installed_portal"]
    status, fetched = http_json("POST", f"{demo.stack.hubspot_url}/_sandbox/fetch", {
        "app_id": demo.stack.hubspot_app["app_id"], "portal_id": portal["portal_id"], "user_id": portal["user_id"],
        "user_email": "sales.rep+eu@example.com", "method": "GET", "url": f"{demo.stack.gateway_url}/app/context"})
    demo.check(status == 200, f"the simulator could not make the app-card fetch: {status} {fetched}")
    target = urlsplit(fetched["url"])
    demo.say(f"hubspot.fetch GET {target.path}?{target.query}")
    demo.say(f"signed with X-HubSpot-Signature-v3 over the URL with %40 decoded -> {fetched['status']} "
             f"{short_json(fetched.get('body'))}")
    demo.check(fetched["status"] == 200, f"our API refused the signed request: {short_json(fetched.get('body'))}")
    body: Any = fetched["body"]
    demo.check(body.get("portal_id") == portal["portal_id"], f"the API saw another portal: {short_json(body)}")
    return f"the app card's signed request reached our API as portal {body['portal_id']}, user {body['user_id']}"


STEPS = [
    Step("Install HubBooks into a HubSpot portal through the consent screen", install_into_a_portal),
    Step("Seed the portal's CRM: companies, contacts, products, deals and quotes with line items", seed_crm_data,
         needs=("installed_portal",)),
    Step("The installed portal's app card makes a signed request to our API", signed_card_request,
         needs=("installed_portal",)),
]
