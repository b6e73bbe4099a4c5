"""Both simulators in-process, a connected portal with US, UK and custom-numbered QuickBooks companies, and a deal
with a contact, a company and quotes: the invoice function runs against all of it through its real adapters."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import invoice_handler
import pytest
import requests
from aws_lambda_powertools.utilities import parameters

from hubbooks.adapters.aws import idempotency
from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.hubspot.client import HubSpotClient
from hubbooks.adapters.hubspot.factory import hubspot_session
from hubbooks.adapters.hubspot.transport import HubSpotTransport
from hubbooks.adapters.qbo.factory import intuit_oauth_client, qbo_session
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.config import get_settings
from hubbooks.domain.connect.hubspot_deal_properties import ensure_invoice_properties
from hubbooks.models.connections import QboConnection
from hubbooks.models.tokens import GrantKey, Provider, TokenSet
from sandbox.aws.provision import ProvisionedStack
from sandbox.hubspot import create_app as create_hubspot
from sandbox.qbo import create_app as create_qbo
from sandbox.simkit.server import serve_in_thread
from tests.support import API_DOMAIN, LambdaContext, json_body, signed_event

CALLBACK = f"https://{API_DOMAIN}/oauth/qbo/callback"
USER = 7


@dataclass
class World:
    portal_id: int
    qbo_url: str
    hubspot_url: str
    hubspot_token: str
    realms: dict[str, str]  # "us", "gb", "custom" -> realm id
    deal_id: str = ""
    contact_id: str = ""
    company_id: str = ""
    quotes: dict[str, str] = field(default_factory=dict)  # "published", "draft", "expired" -> quote id

    def call(self, method: str, path: str, *, body: Any = None, query: dict[str, Any] | None = None,
             portal_id: int | None = None, user_id: int = USER) -> tuple[int, Any, dict[str, Any]]:
        event = signed_event(method, path, portal_id=portal_id or self.portal_id, user_id=user_id, body=body,
                             query=query)
        response = invoice_handler.lambda_handler(event, LambdaContext())
        content_type = (response.get("headers") or {}).get("Content-Type", "")
        payload = json_body(response) if "json" in content_type else response.get("body")
        return response["statusCode"], payload, response

    def hubspot(self, method: str, path: str, body: Any = None) -> Any:
        answer = requests.request(method, f"{self.hubspot_url}{path}", json=body, timeout=10,
                                  headers={"Authorization": f"Bearer {self.hubspot_token}"})
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else None

    def create(self, object_type: str, properties: dict[str, str]) -> str:
        return str(self.hubspot("POST", f"/crm/v3/objects/{object_type}", {"properties": properties})["id"])

    def associate(self, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        self.hubspot("PUT", f"/crm/v4/objects/{from_type}/{from_id}/associations/default/{to_type}/{to_id}")

    def deal_properties(self) -> dict[str, Any]:
        names = "hubbooks_invoice_amount_billed,hubbooks_invoice_number,hubbooks_invoice_status," \
                "hubbooks_invoice_recipient,hubbooks_invoice_due_date"
        return dict(self.hubspot("GET", f"/crm/v3/objects/deals/{self.deal_id}?properties={names}")["properties"])

    def qbo(self, method: str, path: str, body: Any = None) -> Any:
        answer = requests.request(method, f"{self.qbo_url}/_sandbox/{path}", json=body, timeout=10)
        assert answer.status_code < 400, answer.text
        return answer.json() if answer.content else None


def _connect_qbo(qbo_url: str, portal_id: int, realm_id: str, name: str, country: str, currency: str,
                 custom: bool) -> None:
    """Consent headlessly at the simulator, exchange the code with our client, store the grant and connection."""
    authorize = intuit_oauth_client().authorization_url(redirect_uri=CALLBACK, state="s")
    params = dict(parse_qsl(urlsplit(authorize).query))
    redirect = requests.post(f"{qbo_url}/_sandbox/authorize", json={**params, "realm_id": realm_id},
                             timeout=10).json()["redirect"]
    code = dict(parse_qsl(urlsplit(redirect).query))["code"]
    tokens = intuit_oauth_client().exchange_code(code, CALLBACK)
    dynamo_token_store().put(GrantKey(provider=Provider.QBO, portal_id=portal_id, realm_id=realm_id), tokens)
    DynamoConnectionStore(dynamodb_table(get_settings().app_table_name)).save(QboConnection(
        portal_id=portal_id, realm_id=realm_id, company_name=name, country=country, home_currency=currency,
        custom_txn_numbers=custom, multicurrency=country != "US", connected_at=datetime.now(UTC),
        connected_by_user_id=USER))


def _seed_crm(world: World) -> None:
    today = date.today()
    world.contact_id = world.create("contacts", {"email": "birds@intuit.com", "firstname": "Amy",
                                                 "lastname": "Lauterbach"})
    world.company_id = world.create("companies", {"name": "Amy's Bird Sanctuary", "domain": "birds.example"})
    world.deal_id = world.create("deals", {"dealname": "Bird feeders", "amount": "350"})
    world.associate("deals", world.deal_id, "contacts", world.contact_id)
    world.associate("deals", world.deal_id, "companies", world.company_id)
    for label, status, expires in (("published", "APPROVAL_NOT_NEEDED", today + timedelta(days=30)),
                                   ("draft", "DRAFT", today + timedelta(days=30)),
                                   ("expired", "APPROVED", today - timedelta(days=1))):
        quote = world.create("quotes", {"hs_title": f"{label.title()} quote", "hs_status": status,
                                        "hs_expiration_date": expires.isoformat()})
        world.associate("quotes", quote, "deals", world.deal_id)
        world.associate("quotes", quote, "contacts", world.contact_id)
        for name, qty, price, sku in (("Consulting", "2", "150", ""), ("Widget", "4", "25", ""),
                                      ("Gold-plated perch", "1", "99", "PERCH-1")):
            line = world.create("line_items", {"name": name, "quantity": qty, "price": price,
                                               **({"hs_sku": sku} if sku else {})})
            world.associate("quotes", quote, "line_items", line)
        world.quotes[label] = quote


@pytest.fixture
def world(aws: ProvisionedStack, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    qbo_app, hubspot_app = create_qbo(), create_hubspot(webhook_worker=False)
    qbo_server, hubspot_server = serve_in_thread(qbo_app), serve_in_thread(hubspot_app)
    try:
        registered = requests.post(f"{qbo_server.url}/_sandbox/apps", json={"redirect_uris": [CALLBACK]},
                                   timeout=10).json()
        aws_client("secretsmanager").put_secret_value(SecretId=aws.secrets["QboAppSecret"], SecretString=json.dumps(
            {"client_secret": registered["client_secret"], "webhook_verifier_token": registered["verifier_token"]}))
        parameters.clear_caches()
        for name, value in (("QBO_CLIENT_ID", registered["client_id"]), ("QBO_API_BASE_URL", qbo_server.url),
                            ("QBO_TOKEN_URL", f"{qbo_server.url}/oauth2/v1/tokens/bearer"),
                            ("HUBSPOT_API_BASE_URL", hubspot_server.url)):
            monkeypatch.setenv(name, value)
        get_settings.cache_clear()
        idempotency.reset()

        portal = requests.post(f"{hubspot_server.url}/_sandbox/portals", json={"company_currency": "USD"},
                               timeout=10).json()
        portal_id = int(portal["portal_id"])
        token = requests.post(f"{hubspot_server.url}/_sandbox/tokens", json={"portal_id": portal_id},
                              timeout=10).json()["access_token"]
        ensure_invoice_properties(HubSpotClient(HubSpotTransport(hubspot_server.url, access_token=lambda: token,
                                                              portal_id=portal_id)).properties)  # as install does
        far = datetime.now(UTC) + timedelta(days=365)
        dynamo_token_store().put(GrantKey(provider=Provider.HUBSPOT, portal_id=portal_id),
                                 TokenSet(access_token=token, refresh_token=uuid.uuid4().hex, access_expires_at=far))

        realms = {}
        for label, name, country, currency, custom in (("us", "Acme US", "US", "USD", False),
                                                       ("gb", "Acme UK", "GB", "GBP", False),
                                                       ("custom", "Numbered Inc", "US", "USD", True)):
            realm = requests.post(f"{qbo_server.url}/_sandbox/companies", timeout=10, json={
                "name": name, "country": country, "home_currency": currency, "multicurrency": country != "US",
                "custom_txn_numbers": custom, "sandbox": False}).json()["realm_id"]
            realms[label] = str(realm)
            _connect_qbo(qbo_server.url, portal_id, str(realm), name, country, currency, custom)
        built = World(portal_id=portal_id, qbo_url=qbo_server.url, hubspot_url=hubspot_server.url,
                      hubspot_token=token, realms=realms)
        _seed_crm(built)
        yield built
    finally:
        idempotency.reset()
        qbo_session.cache_clear()
        hubspot_session.cache_clear()
        qbo_server.stop()
        hubspot_server.stop()
        qbo_app.close()
        hubspot_app.close()
