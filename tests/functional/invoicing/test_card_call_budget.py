"""Card data stays fast as invoices pile up: one QuickBooks query per company, and at most one HubSpot read (the
company currency, remembered for 15 minutes so card views do not spend the portal's HubSpot rate budget)."""

from __future__ import annotations

import botocore.client
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


def test_card_reads_its_context_in_one_batch_beside_the_links_query(world: World, monkeypatch) -> None:
    """The portal's items (connected companies, roles, admins, currency) come in one BatchGetItem; the only query is
    the record's links. A portal whose companies list predates the listing item gets it built on the first card."""
    body = submission(world, "us")
    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body=body)
    assert status == 200, created
    table = dynamodb_table(get_settings().app_table_name)
    table.delete_item(Key=table_keys.connected_companies_key(world.portal_id))  # as before the listing existed
    calls: list[tuple[str, dict]] = []
    original = botocore.client.BaseClient._make_api_call

    def spy(client, operation, params):
        if client.meta.service_model.service_name == "dynamodb":
            calls.append((operation, params))
        return original(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", spy)
    status, first, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200 and len(first["invoices"]) == 1, first
    assert any(op == "PutItem" for op, _ in calls), "the first card builds the listing"
    calls.clear()
    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200 and card == first
    # Besides: a company with custom transaction numbers has its invoicing settings read beside its query.
    operations = sorted(op for op, params in calls if not (op == "GetItem" and "INVSET#" in str(params["Key"])))
    assert operations == ["BatchGetItem", "Query"], calls
    [query] = [params for op, params in calls if op == "Query"]
    assert any(str(value).startswith("INVLINK#deal#") for value in _values(query["KeyConditionExpression"])), query


def _values(condition: object) -> list[object]:
    """The values a boto3 condition compares with, nested conditions included."""
    found: list[object] = []
    for value in condition.get_expression()["values"]:  # type: ignore[attr-defined]
        found += _values(value) if hasattr(value, "get_expression") else [value]
    return found
