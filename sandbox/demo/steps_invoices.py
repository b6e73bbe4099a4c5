"""Invoices from deals, through the app card's signed hubspot.fetch calls: from a quote (US company), from scratch
with VAT (UK company), the custom-numbers refusal and opt-in, a double submission that makes one invoice, and an
existing invoice linked to a contact. `InvoiceScenario` is also what the e2e tests and the benchmark build on."""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests

from sandbox.demo.bookkeeper import bookkeeper_token, create_item
from sandbox.demo.framework import Demo, Step, StepFailed, short_json
from sandbox.seed_hubspot import SeedData, install_app, sandbox_token, seed_portal
from sandbox.stack import StackControl, http_json

ORDER = 40
COMPANIES = {"us": ("Invoice Demo Inc", "US", {}),
             "uk": ("Invoice Demo Ltd", "GB", {"multicurrency": True}),
             "custom": ("Numbered Invoices LLC", "US", {"custom_txn_numbers": True})}


@dataclass
class InvoiceScenario:
    """A USD portal with HubBooks installed, sample CRM data, and three connected QuickBooks companies."""

    stack: StackControl
    portal_id: int = 0
    user_id: int = 0
    seed: SeedData | None = None
    realms: dict[str, str] = field(default_factory=dict)

    @classmethod
    def set_up(cls, stack: StackControl) -> InvoiceScenario:
        scenario = cls(stack)
        status, portal = http_json("POST", f"{stack.hubspot_url}/_sandbox/portals", {"company_currency": "USD"})
        if status != 201:
            raise StepFailed(f"the HubSpot simulator refused to create a portal: {status} {portal}")
        scenario.portal_id, scenario.user_id = int(portal["portal_id"]), int(portal["user_id"])
        attempt = install_app(stack.gateway_url, stack.hubspot_url, scenario.portal_id)
        if attempt.status != 200:
            raise StepFailed(f"installing HubBooks failed: {attempt.status} {attempt.page[:200]}")
        scenario.seed = seed_portal(stack.hubspot_url, sandbox_token(stack.hubspot_url, scenario.portal_id))
        for label, (name, country, extra) in COMPANIES.items():
            status, company = http_json("POST", f"{stack.qbo_url}/_sandbox/companies",
                                        {"name": name, "country": country, "sandbox": False, **extra})
            if status != 201:
                raise StepFailed(f"the QuickBooks simulator refused to create {name}: {status} {company}")
            scenario.realms[label] = str(company["realm_id"])
            scenario.connect(scenario.realms[label])
        return scenario

    def fetch(self, method: str, path: str, body: Any = None, query: dict[str, str] | None = None
              ) -> tuple[int, Any]:
        """One signed hubspot.fetch from the app card, made by the HubSpot simulator."""
        url = f"{self.stack.gateway_url}{path}" + (f"?{'&'.join(f'{k}={v}' for k, v in query.items())}"
                                                   if query else "")
        status, answer = http_json("POST", f"{self.stack.hubspot_url}/_sandbox/fetch", {
            "app_id": self.stack.hubspot_app["app_id"], "portal_id": self.portal_id, "user_id": self.user_id,
            "method": method, "url": url, "body": body})
        if status != 200:
            raise StepFailed(f"the HubSpot simulator could not make the fetch: {status} {answer}")
        return int(answer["status"]), answer.get("body") if answer.get("body") is not None else answer

    def connect(self, realm_id: str) -> None:
        status, link = self.fetch("POST", "/oauth/qbo/connect-link")
        if status != 200:
            raise StepFailed(f"asking for a connect link failed: {status} {short_json(link)}")
        browser = requests.Session()  # keeps the cookie that ties the callback to the browser that started
        opened = browser.get(link["url"], allow_redirects=False, timeout=30)
        params = dict(parse_qsl(urlsplit(opened.headers["Location"]).query))
        status, consent = http_json("POST", f"{self.stack.qbo_url}/_sandbox/authorize",
                                    {**params, "realm_id": realm_id})
        page = browser.get(consent["redirect"], timeout=60)
        if page.status_code != 200:
            raise StepFailed(f"connecting QuickBooks company {realm_id} failed: {page.status_code}")

    @property
    def deal(self) -> Any:
        assert self.seed is not None
        return self.seed.deals[0]

    def invoice_count(self, label: str) -> int:
        _, company = http_json("GET", f"{self.stack.qbo_url}/_sandbox/companies/{self.realms[label]}")
        return int(company["counts"].get("Invoice", 0))

    def draft(self, label: str, lines: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
        return {"realm_id": self.realms[label], "customer_id": "1", "lines": lines, **extra}

    def create(self, draft: dict[str, Any], submission_id: str | None = None) -> tuple[int, Any]:
        return self.fetch("POST", f"/app/deals/{self.deal.id}/invoices",
                          {**draft, "submission_id": submission_id or uuid.uuid4().hex})


def _scenario(demo: Demo) -> InvoiceScenario:
    scenario = demo.facts["invoice_scenario"]
    assert isinstance(scenario, InvoiceScenario)
    return scenario


def set_up(demo: Demo) -> str:
    scenario = InvoiceScenario.set_up(demo.stack)
    demo.facts["invoice_scenario"] = scenario
    status, card = scenario.fetch("GET", f"/app/cards/deal/{scenario.deal.id}")
    demo.check(status == 200, f"the card answered {status}: {short_json(card)}")
    for company in card["companies"]:
        state = "can create invoices" if company["can_create_invoices"] else "blocked (custom numbers)"
        demo.say(f"{company['company_name']} ({company['country']}, {company['home_currency']}): {state}")
    demo.say(f"next actions: {', '.join(a['action'] for a in card['next_actions'])}")
    return f"portal {scenario.portal_id}: HubBooks installed, CRM seeded, 3 QuickBooks companies connected"


def invoice_from_quote(demo: Demo) -> str:
    scenario = _scenario(demo)
    status, start = scenario.fetch("GET", f"/app/deals/{scenario.deal.id}/invoice-wizard")
    demo.check(status == 200, f"the wizard did not start: {status} {short_json(start)}")
    quote = demo.require(next((q for q in start["quotes"] if q["usable"]), None),
                         f"no usable quote on the deal: {short_json(start['quotes'])}")
    demo.say(f"quote {quote['title']!r}: {len(quote['line_items'])} line items, published and valid")
    realm = scenario.realms["us"]
    boiler = next(line for line in quote["line_items"] if line["name"] == "Boiler service")
    created = create_item(scenario.stack.qbo_url, realm, bookkeeper_token(scenario.stack.qbo_url, realm), {
        "Name": "Annual boiler maintenance", "Sku": "SRV-BOIL", "Type": "Service", "UnitPrice": boiler["price"],
        "IncomeAccountRef": {"value": "1"}})
    demo.say(f"in QuickBooks the bookkeeper keeps this service as {created['Name']!r} (SKU {created['Sku']}); "
             "the valve is not in QuickBooks")
    status, mapped = scenario.fetch("GET", f"/app/deals/{scenario.deal.id}/quotes/{quote['quote_id']}"
                                           "/invoice-lines", query={"realmId": realm})
    demo.check(status == 200, f"mapping the quote failed: {status} {short_json(mapped)}")
    demo.say("mapped: " + "; ".join(f"{line['description']} -> {line['item_name']}" for line in mapped["lines"])
             + " | not mapped: " + "; ".join(f"{u['name']} ({u['reason']})" for u in mapped["unmapped"]))
    demo.check(len(mapped["lines"]) == 1 and len(mapped["unmapped"]) == 1,
               f"expected the boiler service mapped by SKU and the valve unmapped: {short_json(mapped)}")
    status, items = scenario.fetch("GET", f"/app/qbo/{realm}/items", query={"search": "Services"})
    service = items[0]
    lines = [{k: line[k] for k in ("item_id", "quantity", "rate", "description")} for line in mapped["lines"]]
    lines += [{"item_id": service["item_id"], "quantity": str(src["quantity"]), "rate": str(src["price"]),
               "description": src["name"]}
              for src in quote["line_items"] if src["line_item_id"] in {u["line_item_id"] for u in mapped["unmapped"]}]
    demo.say(f"the salesperson picks QuickBooks item {service['name']!r} for the unmapped lines")
    status, suggestions = scenario.fetch("GET", f"/app/qbo/{realm}/customer-suggestions",
                                         query={"dealId": scenario.deal.id, "quoteId": quote["quote_id"]})
    prefill = suggestions["new_customer"]
    status, customer = scenario.fetch("POST", f"/app/qbo/{realm}/customers",
                                      {**prefill, "submission_id": uuid.uuid4().hex})
    demo.check(status == 200, f"creating the customer failed: {status} {short_json(customer)}")
    demo.say(f"new QuickBooks customer {customer['customer']['display_name']!r}"
             + (f" ({customer['notice']})" if customer["notice"] else ""))
    draft = scenario.draft("us", lines, customer_id=customer["customer"]["customer_id"], quote_id=quote["quote_id"],
                           term_id="3", customer_message="Thank you for your business!")
    status, review = scenario.fetch("POST", f"/app/deals/{scenario.deal.id}/invoice-review", draft)
    demo.check(status == 200, f"the review failed: {status} {short_json(review)}")
    demo.say(f"review: subtotal {review['subtotal']} {review['currency']}, due {review['due_date']} "
             f"({review['term_name']}); tax: {str(review['tax_note']).rstrip('.')}")
    status, created = scenario.create(draft)
    demo.check(status == 200, f"creating the invoice failed: {status} {short_json(created)}")
    invoice = created["invoice"]
    demo.say(f"invoice {invoice['number']} for {invoice['amount']} {invoice['currency']}: {invoice['status_label']}; "
             f"{invoice['qbo_url']}")
    status, card = scenario.fetch("GET", f"/app/cards/deal/{scenario.deal.id}")
    demo.check(any(i["invoice_id"] == invoice["invoice_id"] for i in card["invoices"]), "the card misses it")
    url = f"{scenario.stack.hubspot_url}/_sandbox/fetch"
    status, pdf = http_json("POST", url, {"app_id": scenario.stack.hubspot_app["app_id"],
                                          "portal_id": scenario.portal_id, "user_id": scenario.user_id,
                                          "method": "GET", "url": f"{scenario.stack.gateway_url}/app/qbo/{realm}"
                                                                  f"/invoices/{invoice['invoice_id']}/pdf"})
    document = base64.b64decode(pdf.get("body_base64") or "")
    demo.check(document.startswith(b"%PDF"), f"the preview is not a PDF: {short_json(pdf)}")
    demo.say(f"preview: {len(document)} bytes of PDF streamed through the card")
    demo.facts["invoice_from_quote"] = invoice
    return f"invoice {invoice['number']} created from the quote, linked to deal {scenario.deal.id}; deal fields set"


def invoice_from_scratch_with_vat(demo: Demo) -> str:
    scenario = _scenario(demo)
    realm = scenario.realms["uk"]
    status, options = scenario.fetch("GET", f"/app/qbo/{realm}/invoice-options")
    demo.check(status == 200 and options["tax_required"], f"expected VAT to be required: {short_json(options)}")
    demo.say("VAT codes: " + ", ".join(f"{c['name']} ({c['percent']}%)" for c in options["tax_codes"]))
    status, items = scenario.fetch("GET", f"/app/qbo/{realm}/items", query={"search": "Consult"})
    line = {"item_id": items[0]["item_id"], "quantity": "3", "rate": "150"}
    status, refused = scenario.create(scenario.draft("uk", [line]))
    demo.check(status == 422, f"a line without VAT should be refused: {status} {short_json(refused)}")
    demo.say(f"without a VAT code -> {status}: {refused['message']}")
    standard = next(c["tax_code_id"] for c in options["tax_codes"] if c["name"].startswith("20"))
    draft = scenario.draft("uk", [{**line, "tax_code_id": standard}])
    status, review = scenario.fetch("POST", f"/app/deals/{scenario.deal.id}/invoice-review", draft)
    status, created = scenario.create(draft)
    demo.check(status == 200, f"creating the UK invoice failed: {status} {short_json(created)}")
    demo.check(created["invoice"]["amount"] == review["total"], "QuickBooks' total differs from the review")
    demo.say(f"review {review['subtotal']} + VAT {review['tax']} = {review['total']} GBP; QuickBooks saved "
             f"{created['invoice']['amount']}")
    demo.say(created["warnings"][0] if created["warnings"] else "deal fields updated")
    return f"UK invoice {created['invoice']['number']} with 20% VAT; GBP, so the USD deal fields were left alone"


def custom_numbers_refusal_and_opt_in(demo: Demo) -> str:
    scenario = _scenario(demo)
    realm = scenario.realms["custom"]
    draft = scenario.draft("custom", [{"item_id": "1", "quantity": "1", "rate": "500"}])
    status, refused = scenario.create(draft)
    demo.check(status == 409, f"expected a refusal: {status} {short_json(refused)}")
    demo.say(f"refused ({status}): {refused['message']}")
    status, settings = scenario.fetch("PUT", f"/app/qbo/{realm}/invoicing-settings",
                                      {"assign_doc_numbers": True, "doc_number_prefix": "HB-"})
    demo.check(status == 200 and settings["can_create_invoices"], f"opt-in failed: {short_json(settings)}")
    status, created = scenario.create(draft)
    demo.check(status == 200, f"creating after opt-in failed: {status} {short_json(created)}")
    demo.say(f"after opting in, HubBooks numbered the invoice {created['invoice']['number']}")
    return f"refused until opted in; then invoice {created['invoice']['number']} was created"


def double_submission(demo: Demo) -> str:
    scenario = _scenario(demo)
    before = scenario.invoice_count("us")
    draft = scenario.draft("us", [{"item_id": "1", "quantity": "1", "rate": "99"}])
    submission_id = uuid.uuid4().hex
    answers = [scenario.create(draft, submission_id) for _ in range(2)]
    demo.check(all(status == 200 for status, _ in answers), f"a submission failed: {short_json(answers)}")
    ids = {body["invoice"]["invoice_id"] for _, body in answers}
    after = scenario.invoice_count("us")
    demo.check(len(ids) == 1 and after == before + 1, f"expected one invoice, got ids {ids}, {after - before} new")
    demo.say(f"two submissions with id {submission_id[:8]}… -> the same invoice {ids.pop()}")
    return "the double click made exactly one invoice in QuickBooks"


def link_existing_to_contact(demo: Demo) -> str:
    scenario = _scenario(demo)
    invoice = demo.facts["invoice_from_quote"]
    realm = scenario.realms["us"]
    status, found = scenario.fetch("GET", f"/app/qbo/{realm}/invoices", query={"number": invoice["number"]})
    demo.check(status == 200 and found["invoices"], f"search found nothing: {status} {short_json(found)}")
    contact = scenario.deal.contact_id
    status, linked = scenario.fetch("POST", "/app/invoice-links", {
        "realm_id": realm, "invoice_ids": [found["invoices"][0]["invoice_id"]], "object_type": "contact",
        "object_id": contact})
    demo.check(status == 200 and linked["linked"], f"linking failed: {status} {short_json(linked)}")
    status, card = scenario.fetch("GET", f"/app/cards/contact/{contact}")
    demo.say(f"contact {contact}'s card: " + ", ".join(f"{i['number']} {i['status_label']}" for i in card["invoices"]))
    return f"invoice {invoice['number']} is now also on contact {contact}'s card"


STEPS = [
    Step("Invoices: a USD portal with HubBooks, sample deals and three QuickBooks companies", set_up,
         needs=("hubspot_app_id",)),
    Step("Invoices: from a published quote, for the US company (customer, products, review, PDF)",
         invoice_from_quote, needs=("invoice_scenario",)),
    Step("Invoices: from scratch for the UK company, VAT on every line", invoice_from_scratch_with_vat,
         needs=("invoice_scenario",)),
    Step("Invoices: custom transaction numbers refuse, then HubBooks numbers after the opt-in",
         custom_numbers_refusal_and_opt_in, needs=("invoice_scenario",)),
    Step("Invoices: a double submission makes one invoice", double_submission, needs=("invoice_scenario",)),
    Step("Invoices: search an existing invoice and link it to a contact", link_existing_to_contact,
         needs=("invoice_scenario", "invoice_from_quote")),
]
