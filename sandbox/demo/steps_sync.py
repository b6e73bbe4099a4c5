"""QuickBooks customers and products into HubSpot: turn sync on, a dry run, the backfill, a live change arriving by
webhook, a customer made inactive handled by the chosen behaviour, a missed webhook repaired by the scheduled
reconciliation, two-way contacts, and HubSpot edits no webhook carried reaching QuickBooks by the reconciliation.
Uses the invoice steps' portal and its US company (seeded with two customers and four items)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import requests

from sandbox.demo.bookkeeper import bookkeeper_token
from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.seed_hubspot import sandbox_token
from sandbox.stack import http_json

ORDER = 60  # after the invoice and payment steps, whose portal it reuses; before the schedules (90)


class SyncScenario:
    def __init__(self, invoices: InvoiceScenario) -> None:
        self.invoices = invoices
        self.stack = invoices.stack
        self.realm = invoices.realms["us"]
        self.qbo_token = bookkeeper_token(self.stack.qbo_url, self.realm)
        self.hubspot_token = sandbox_token(self.stack.hubspot_url, invoices.portal_id)

    def api(self, method: str, path: str, body: Any = None, *, expect: int = 200) -> Any:
        status, answer = self.invoices.fetch(method, path, body)
        if status != expect:
            raise StepFailed(f"{method} {path} answered {status}: {short_json(answer, 300)}")
        return answer

    def hubspot_records(self, object_type: str, properties: str) -> list[dict[str, Any]]:
        answer = requests.get(f"{self.stack.hubspot_url}/crm/v3/objects/{object_type}", timeout=30,
                              params={"limit": "100", "properties": properties},
                              headers={"Authorization": f"Bearer {self.hubspot_token}"})
        answer.raise_for_status()
        return list(answer.json()["results"])

    def synced(self, object_type: str, properties: str) -> dict[str, dict[str, Any]]:
        """HubSpot records HubBooks links to this company, by QuickBooks id."""
        prefix = f"{self.realm}:"
        return {str(r["properties"]["hubbooks_qbo_ref"])[len(prefix):]: r
                for r in self.hubspot_records(object_type, f"hubbooks_qbo_ref,{properties}")
                if str(r["properties"].get("hubbooks_qbo_ref") or "").startswith(prefix)}

    def qbo(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        answer = requests.request(method, f"{self.stack.qbo_url}/v3/company/{self.realm}/{path}", timeout=30,
                                  params={"minorversion": "75"}, json=body,
                                  headers={"Authorization": f"Bearer {self.qbo_token}", "Accept": "application/json"})
        if answer.status_code != 200:
            raise StepFailed(f"QuickBooks refused {method} {path}: {answer.status_code} {answer.text[:200]}")
        return dict(answer.json())

    def change(self, entity: str, entity_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """What the bookkeeper does in QuickBooks itself: a sparse update."""
        current = self.qbo("GET", f"{entity.lower()}/{entity_id}")[entity]
        return self.qbo("POST", entity.lower(), {"Id": entity_id, "SyncToken": current["SyncToken"], "sparse": True,
                                                 **changes})[entity]

    def deliver_webhooks(self) -> int:
        status, flushed = http_json("POST", f"{self.stack.qbo_url}/_sandbox/webhooks/flush", {"timeout_seconds": 20})
        if status != 200:
            raise StepFailed(f"the QuickBooks simulator's webhooks did not go out: {status} {short_json(flushed)}")
        self.drain()
        return len(flushed.get("deliveries") or [])

    def drain(self) -> None:
        drained = self.stack.drain_queues(timeout=120)
        if not drained.get("drained"):
            raise StepFailed(f"the queues did not drain: {short_json(drained)}")

    def backfill(self, dry_run: bool) -> dict[str, Any]:
        started = self.api("POST", f"/app/qbo/{self.realm}/sync-backfill",
                           {"objects": ["contacts", "products"], "dry_run": dry_run})
        self.drain()
        run = self.api("GET", f"/app/qbo/{self.realm}/sync-backfill")["run"]
        if run["run_id"] != started["run"]["run_id"] or run["status"] != "done":
            raise StepFailed(f"the run did not finish: {short_json(run, 300)}")
        return dict(run)


def _scenario(demo: Demo) -> SyncScenario:
    if "sync_scenario" not in demo.facts:
        invoices = demo.facts.get("invoice_scenario")
        if not isinstance(invoices, InvoiceScenario):
            raise StepFailed("the invoice steps' portal is not there (did the invoice set-up step fail?)")
        demo.facts["sync_scenario"] = SyncScenario(invoices)
    scenario = demo.facts["sync_scenario"]
    assert isinstance(scenario, SyncScenario)
    return scenario


def _counts(run: dict[str, Any]) -> str:
    return ", ".join(f"{n} {kind.replace('_', ' ')}" for kind, n in run["counts"].items() if n) or "nothing"


def turn_on(demo: Demo) -> str:
    scenario = _scenario(demo)
    for sync_object, on_delete in (("contacts", "mark_inactive"), ("products", "archive")):
        view = scenario.api("PUT", f"/app/qbo/{scenario.realm}/sync/{sync_object}/behaviour",
                            {"enabled": True, "on_create_update": "create_and_update", "on_delete": on_delete})
        broken = [m["mapping"]["id"] for m in view["mappings"] if not m["valid"]]
        demo.check(not broken, f"{sync_object} mappings that cannot work: {broken}")
        demo.say(f"{sync_object}: on, {len(view['mappings'])} default mappings all valid; deleted or inactive in "
                 f"QuickBooks -> {on_delete.replace('_', ' ')}")
    return "contact and product sync on for Invoice Demo Inc (HubBooks created its own properties in HubSpot)"


def dry_run(demo: Demo) -> str:
    scenario = _scenario(demo)
    before = len(scenario.synced("products", "name"))
    run = scenario.backfill(dry_run=True)
    for kind, examples in run["examples"].items():
        demo.say(f"{kind.replace('_', ' ')}: " + "; ".join(
            f"{e['label']}" + (f" ({e['detail']})" if e["detail"] else "") for e in examples[:3]))
    demo.check(len(scenario.synced("products", "name")) == before, "the dry run wrote to HubSpot")
    return f"{run['processed']} QuickBooks records read, HubSpot untouched: would be {_counts(run)}"


def backfill(demo: Demo) -> str:
    scenario = _scenario(demo)
    run = scenario.backfill(dry_run=False)
    contacts = scenario.synced("contacts", "email")
    products = scenario.synced("products", "name,price")
    demo.check(len(contacts) >= 2 and len(products) >= 4, f"expected the seeded customers and items in HubSpot, "
               f"found {len(contacts)} contacts and {len(products)} products")
    demo.say("products now in HubSpot: " + ", ".join(sorted(
        f"{p['properties']['name']} {p['properties']['price']}" for p in products.values())))
    again = scenario.backfill(dry_run=False)
    demo.check(again["counts"].get("created", 0) == 0, f"a second backfill created records: {again['counts']}")
    demo.say(f"run again: {_counts(again)} (nothing is created twice)")
    return f"{run['pages_done']} page(s) through the sync queue: {_counts(run)}"


def live_change(demo: Demo) -> str:
    scenario = _scenario(demo)
    scenario.change("Customer", "2", {"GivenName": "William", "Mobile": {"FreeFormNumber": "+1 555 0142"}})
    deliveries = scenario.deliver_webhooks()
    contact = scenario.synced("contacts", "firstname,mobilephone")["2"]["properties"]
    demo.check(contact["firstname"] == "William" and contact["mobilephone"] == "+1 555 0142",
               f"the contact did not change: {short_json(contact)}")
    return f"{deliveries} webhook delivery(ies): contact now {contact['firstname']}, mobile {contact['mobilephone']}"


def deleted_customer(demo: Demo) -> str:
    scenario = _scenario(demo)
    scenario.change("Customer", "2", {"Active": False})  # QuickBooks "deletes" a customer by making it inactive
    scenario.deliver_webhooks()
    contact = scenario.synced("contacts", "hubbooks_qbo_active,email")["2"]["properties"]
    demo.check(contact["hubbooks_qbo_active"] == "false", f"the contact was not marked: {short_json(contact)}")
    return f"the contact {contact['email']} is kept and marked inactive (hubbooks_qbo_active = false)"


def missed_webhook(demo: Demo) -> str:
    scenario = _scenario(demo)
    client_id = scenario.stack.qbo_app["client_id"]
    _status, app = http_json("GET", f"{scenario.stack.qbo_url}/_sandbox/apps/{client_id}")
    webhook_url = app["webhook_url"]
    http_json("PATCH", f"{scenario.stack.qbo_url}/_sandbox/apps/{client_id}", {"webhook_url": None})
    try:
        scenario.change("Item", "3", {"UnitPrice": 175})  # nobody hears about this
    finally:
        http_json("PATCH", f"{scenario.stack.qbo_url}/_sandbox/apps/{client_id}", {"webhook_url": webhook_url})
    price = scenario.synced("products", "name,price")["3"]["properties"]["price"]
    demo.say(f"HubSpot still shows Consulting at {price}")
    fired = scenario.stack.fire_schedule("ReconcileSchedule")
    demo.check(fired["status"] == "ok", f"the reconciliation schedule failed: {short_json(fired)}")
    scenario.drain()
    price = scenario.synced("products", "name,price")["3"]["properties"]["price"]
    demo.check(price == "175.00", f"the reconciliation did not repair the price: {price}")
    return f"the hourly reconciliation read QuickBooks' changes since its bookmark: Consulting now {price}"


def _hubspot_webhooks(scenario: SyncScenario) -> int:
    """HubSpot sends what it has queued for our app (signed), and the queues drain."""
    status, flushed = http_json("POST", f"{scenario.stack.hubspot_url}/_sandbox/webhooks/flush", {})
    if status != 200:
        raise StepFailed(f"the HubSpot simulator's webhooks did not go out: {status} {short_json(flushed)}")
    scenario.drain()
    return int(flushed.get("attempted") or 0)


def two_way_contact(demo: Demo) -> str:
    scenario = _scenario(demo)
    base = f"/app/qbo/{scenario.realm}/sync/contacts"
    scenario.api("PUT", f"{base}/behaviour", {"enabled": True, "on_create_update": "create_and_update",
                                              "on_delete": "mark_inactive", "direction": "both"})
    scenario.api("PUT", f"{base}/mappings/phone", {"hubspot_property": "phone", "qbo_field":
                                                   "PrimaryPhone.FreeFormNumber", "owner": "latest"})
    demo.say("contacts: both ways; phone = most recent change wins, every other field stays QuickBooks'")
    _hubspot_webhooks(scenario)  # whatever HubSpot still had to say about earlier steps (our own writes)
    contact = scenario.synced("contacts", "email,phone")["1"]
    token_before = int(scenario.qbo("GET", "customer/1")["Customer"]["SyncToken"])
    status, edited = http_json("POST", f"{scenario.stack.hubspot_url}/_sandbox/user-edit", {
        "portal_id": scenario.invoices.portal_id, "object_type": "contacts", "object_id": contact["id"],
        "properties": {"phone": "+1 555 0199"}})
    if status != 200:
        raise StepFailed(f"the user's edit failed: {status} {short_json(edited)}")
    edited_at = edited["properties"]["lastmodifieddate"]
    demo.say(f"a user changes {contact['properties']['email']}'s phone in HubSpot to +1 555 0199")
    sent = _hubspot_webhooks(scenario)
    customer = scenario.qbo("GET", "customer/1")["Customer"]
    phone = (customer.get("PrimaryPhone") or {}).get("FreeFormNumber")
    demo.check(phone == "+1 555 0199", f"the QuickBooks customer did not follow: phone {phone}")
    demo.say(f"{sent} signed HubSpot delivery -> QuickBooks customer {customer['DisplayName']}: phone {phone} "
             f"(sparse update, SyncToken {token_before} -> {customer['SyncToken']})")
    # QuickBooks now tells us about our own update, and HubSpot about anything we wrote: nothing may bounce.
    scenario.deliver_webhooks()
    _hubspot_webhooks(scenario)
    after = scenario.synced("contacts", "phone,lastmodifieddate")["1"]["properties"]
    token_after = int(scenario.qbo("GET", "customer/1")["Customer"]["SyncToken"])
    demo.check(after["lastmodifieddate"] == edited_at, "HubSpot was written again after the user's edit (an echo)")
    demo.check(token_after == token_before + 1, f"QuickBooks was written {token_after - token_before} times")
    return ("QuickBooks' webhook about our update wrote nothing to HubSpot, and nothing went back to QuickBooks: "
            "no echo either way")


def _user_edit(scenario: SyncScenario, contact_id: str, properties: dict[str, str]) -> None:
    status, edited = http_json("POST", f"{scenario.stack.hubspot_url}/_sandbox/user-edit", {
        "portal_id": scenario.invoices.portal_id, "object_type": "contacts", "object_id": contact_id,
        "properties": properties})
    if status != 200:
        raise StepFailed(f"the user's edit failed: {status} {short_json(edited)}")


def hubspot_edits_without_webhooks(demo: Demo) -> str:
    """A custom mapping's property (HubSpot sends no webhook for it) and an edit made while our webhook route was down
    for longer than HubSpot retries: both reach QuickBooks with the hourly reconciliation."""
    scenario = _scenario(demo)
    hubspot, app_id = scenario.stack.hubspot_url, demo.facts["hubspot_app_id"]
    created = requests.post(f"{hubspot}/crm/v3/properties/contacts", timeout=30, json={
        "name": "accounting_fax", "label": "Accounting fax", "type": "string", "fieldType": "text",
        "groupName": "contactinformation"}, headers={"Authorization": f"Bearer {scenario.hubspot_token}"})
    if created.status_code not in (201, 409):  # 409: a repeated demo run on the same stack already made it
        raise StepFailed(f"HubSpot refused the custom property: {created.status_code} {created.text[:200]}")
    scenario.api("POST", f"/app/qbo/{scenario.realm}/sync/contacts/mappings", {
        "hubspot_property": "accounting_fax", "qbo_field": "Fax.FreeFormNumber", "owner": "hubspot"})
    demo.say("a custom mapping: HubSpot 'Accounting fax' -> QuickBooks fax, owned by HubSpot (no webhook exists "
             "for it: the project subscribes to the default properties)")
    contact = scenario.synced("contacts", "email")["1"]
    _user_edit(scenario, contact["id"], {"accounting_fax": "+1 555 0142"})
    _status, apps = http_json("GET", f"{hubspot}/_sandbox/apps")
    webhook_url = next(a["webhook_url"] for a in apps["results"] if a["app_id"] == app_id)
    http_json("PATCH", f"{hubspot}/_sandbox/apps/{app_id}", {"webhook_url": None})
    try:  # our webhook route is down, and stays down past HubSpot's retries: this edit is never delivered
        _user_edit(scenario, contact["id"], {"phone": "+1 555 0177"})
    finally:
        http_json("PATCH", f"{hubspot}/_sandbox/apps/{app_id}", {"webhook_url": webhook_url})
    _hubspot_webhooks(scenario)
    customer = scenario.qbo("GET", "customer/1")["Customer"]
    demo.say(f"QuickBooks still has fax {(customer.get('Fax') or {}).get('FreeFormNumber')} and phone "
             f"{(customer.get('PrimaryPhone') or {}).get('FreeFormNumber')}")
    token_before = int(customer["SyncToken"])
    other_before = scenario.qbo("GET", "customer/2")["Customer"]["SyncToken"]
    fired = scenario.stack.fire_schedule("ReconcileSchedule")
    demo.check(fired["status"] == "ok", f"the reconciliation schedule failed: {short_json(fired)}")
    scenario.drain()
    customer = scenario.qbo("GET", "customer/1")["Customer"]
    fax, phone = (customer.get("Fax") or {}).get("FreeFormNumber"), (customer.get("PrimaryPhone") or {}).get(
        "FreeFormNumber")
    demo.check(fax == "+1 555 0142" and phone == "+1 555 0177", f"QuickBooks did not catch up: fax {fax}, "
                                                                  f"phone {phone}")
    demo.check(int(customer["SyncToken"]) == token_before + 1, "QuickBooks was written more than once")
    other_after = scenario.qbo("GET", "customer/2")["Customer"]["SyncToken"]
    demo.check(other_after == other_before, "a customer only our own sync touched in HubSpot was written")
    return (f"the hourly reconciliation read HubSpot's changes since its bookmark (CRM search): QuickBooks now has "
            f"fax {fax} and phone {phone}, in one update; records only our sync touched sent nothing")


def _items_with_sku(scenario: SyncScenario, sku: str) -> list[dict[str, Any]]:
    answer = scenario.qbo("GET", "query?query=" + quote(f"SELECT * FROM Item WHERE Sku = '{sku}'"))
    return list((answer.get("QueryResponse") or {}).get("Item") or [])


def two_way_product(demo: Demo) -> str:
    scenario = _scenario(demo)
    base = f"/app/qbo/{scenario.realm}"
    accounts = scenario.api("GET", f"{base}/item-accounts")
    income = next((a for a in accounts["income"] if a["name"] == "Sales of Product Income"), None)
    expense = next((a for a in accounts["expense"] if a["account_type"] == "Cost of Goods Sold"), None)
    if income is None or expense is None:
        raise StepFailed(f"QuickBooks' accounts lack the ones the demo picks: {short_json(accounts, 300)}")
    demo.say(f"the Products tab lists QuickBooks' {len(accounts['income'])} income and {len(accounts['expense'])} "
             "expense / cost-of-goods-sold accounts for new items")
    current = scenario.api("GET", f"{base}/sync/products")["behaviour"]
    wanted = {key: current[key] for key in ("enabled", "on_create_update", "on_delete", "inactive_property",
                                            "on_hubspot_delete")}
    wanted |= {"direction": "both", "on_hubspot_create_update": "create_and_update"}
    refused = scenario.api("PUT", f"{base}/sync/products/behaviour", wanted, expect=422)
    field = refused["details"]["fields"][0]["field"]
    demo.check(field == "income_account_id", f"the refusal names {field}, not the income account")
    demo.say(f"creating items without an income account is refused (422, {field})")
    scenario.api("PUT", f"{base}/sync/products/behaviour",
                 wanted | {"income_account_id": income["id"], "expense_account_id": expense["id"]})
    demo.say(f"products: both ways, new HubSpot products create items on '{income['name']}' "
             f"and '{expense['name']}'")
    _hubspot_webhooks(scenario)  # whatever HubSpot still had to say about earlier steps (our own writes)
    created = requests.post(f"{scenario.stack.hubspot_url}/crm/v3/objects/products", timeout=30,
                            headers={"Authorization": f"Bearer {scenario.hubspot_token}"},
                            json={"properties": {"name": "Gift wrapping", "hs_sku": "GW-1", "price": "4.50",
                                                 "hs_cost_of_goods_sold": "1.20"}})
    if created.status_code != 201:
        raise StepFailed(f"HubSpot did not create the product: {created.status_code} {created.text[:200]}")
    product_id = str(created.json()["id"])
    demo.say("someone adds the product 'Gift wrapping' (SKU GW-1, 4.50, cost 1.20) in HubSpot")
    sent = _hubspot_webhooks(scenario)
    made = _items_with_sku(scenario, "GW-1")
    demo.check(len(made) == 1, f"{len(made)} QuickBooks items hold SKU GW-1")
    item = made[0]
    accounts_used = (item.get("IncomeAccountRef", {}).get("value"), item.get("ExpenseAccountRef", {}).get("value"))
    demo.check(accounts_used == (income["id"], expense["id"]), f"the item posts to accounts {accounts_used}")
    reference = scenario.synced("products", "name")
    demo.check(item["Id"] in reference, "the HubSpot product does not carry the new item's QuickBooks reference")
    demo.say(f"{sent} signed HubSpot delivery -> QuickBooks {item['Type']} item {item['Id']} '{item['Name']}' "
             f"at {item['UnitPrice']}, cost {item['PurchaseCost']}, linked to HubSpot product {product_id}")
    # QuickBooks tells us about the new item, HubSpot about our reference write, and the creation comes again:
    # nothing is written back, nothing is created twice.
    stamp = reference[item["Id"]]["updatedAt"]
    scenario.deliver_webhooks()
    _hubspot_webhooks(scenario)
    demo.check(len(_items_with_sku(scenario, "GW-1")) == 1, "a second item was created")
    after = scenario.synced("products", "name")[item["Id"]]["updatedAt"]
    demo.check(after == stamp, "HubSpot was written again after the item was created (an echo)")
    return "QuickBooks' webhook about the new item wrote nothing to HubSpot: one item, no echo"


STEPS = [
    Step("Contact and product sync are turned on, with what happens on delete chosen per object", turn_on),
    Step("A dry run says what a backfill would do, with examples, and writes nothing", dry_run),
    Step("The backfill brings existing QuickBooks customers and items into HubSpot, page by page", backfill),
    Step("A change in QuickBooks arrives in HubSpot by webhook", live_change),
    Step("A customer made inactive in QuickBooks: the contact is kept and marked, as chosen", deleted_customer),
    Step("A missed webhook is repaired by the scheduled reconciliation", missed_webhook),
    Step("Two-way contacts: a user edits a contact in HubSpot, the QuickBooks customer follows, nothing echoes",
         two_way_contact),
    Step("HubSpot edits no webhook carried (a custom mapping's property; the webhook route down for a day) reach "
         "QuickBooks with the hourly reconciliation", hubspot_edits_without_webhooks),
    Step("Two-way products: a product added in HubSpot becomes one QuickBooks item on the accounts the admin picked",
         two_way_product),
]
