"""Card data stays fast as invoices pile up: one QuickBooks query per company, and at most one HubSpot read (the
company currency, remembered for 15 minutes so card views do not spend the portal's HubSpot rate budget)."""

from __future__ import annotations

import requests

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.currency_cache import forget_remembered_currencies
from hubbooks.config import get_settings
from tests.functional.invoicing.conftest import World
from tests.functional.invoicing.test_card_and_wizard import submission


def _stats(base_url: str) -> dict:
    return requests.get(f"{base_url}/_sandbox/stats", timeout=10).json()["endpoints"]


def _reset(base_url: str) -> None:
    requests.delete(f"{base_url}/_sandbox/stats", timeout=10).raise_for_status()


def test_card_of_a_deal_with_many_invoices_makes_one_query_per_company(world: World) -> None:
    for realm in ("us", "us", "us", "gb", "gb"):
        body = submission(world, realm)
        if realm == "gb":
            _, options, _ = world.call("GET", f"/app/qbo/{world.realms['gb']}/invoice-options")
            vat = next(c["tax_code_id"] for c in options["tax_codes"] if c["name"].startswith("20"))
            body["lines"] = [{**line, "tax_code_id": vat} for line in body["lines"]]
        status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=body)
        assert status == 200, created
    _reset(world.qbo_url)
    _reset(world.hubspot_url)

    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")

    assert status == 200 and len(card["invoices"]) == 5, card
    qbo_calls = _stats(world.qbo_url)
    queries = {realm: count for endpoint, per_realm in qbo_calls.items() if endpoint.endswith("query")
               for realm, count in per_realm.items()}
    assert queries == {world.realms["us"]: 1, world.realms["gb"]: 1}, qbo_calls
    assert all(endpoint.endswith("/query") for endpoint in qbo_calls), qbo_calls
    assert _stats(world.hubspot_url) == {}, "creating the invoices already looked the company currency up"

    table = dynamodb_table(get_settings().app_table_name)
    table.delete_item(Key=table_keys.company_currency_cache_key(world.portal_id))
    forget_remembered_currencies()  # a container that has not seen the portal yet
    status, again, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200 and again["hubspot_currency"] == "USD"
    assert _stats(world.hubspot_url) == {"GET /account-info/2026-03/details": {str(world.portal_id): 1}}
