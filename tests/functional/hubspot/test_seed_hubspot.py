"""The reusable HubSpot seed writes spec-conformant requests and leaves the data the invoice feature relies on."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.seed_hubspot import sandbox_token, seed_portal
from tests.functional.hubspot.conftest import HubSpotSim


def test_seed_builds_deals_quotes_and_line_items(hubspot_sim: HubSpotSim) -> None:
    portal = hubspot_sim.new_portal("EUR")
    data = seed_portal(hubspot_sim.url, sandbox_token(hubspot_sim.url, portal), currency="EUR",
                       today=datetime(2026, 11, 28, tzinfo=UTC))
    assert data.counts() == {"companies": 2, "contacts": 3, "products": 3, "deals": 2, "quotes": 2,
                             "line_items": 10}

    client = hubspot_sim.client(portal)
    deal = client.objects.get("deals", data.deals[0].id, properties=["amount", "deal_currency_code"],
                              associations=["line_items", "contacts", "companies"])
    assert deal.value("amount") == "278.00" and deal.value("deal_currency_code") == "EUR"
    assert sorted(deal.associated_ids("line_items")) == sorted(data.deals[0].line_item_ids)
    assert deal.associated_ids("contacts") == [data.deals[0].contact_id]

    quotes = {q.id: client.objects.get("quotes", q.id, properties=["hs_status", "hs_expiration_date",
                                                                   "hs_quote_link", "hs_currency"],
                                       associations=["line_items", "deals"]) for q in data.quotes}
    valid, expired = data.quotes
    assert not valid.expired and expired.expired
    for seeded in data.quotes:
        quote = quotes[seeded.id]
        assert quote.value("hs_status") == "APPROVAL_NOT_NEEDED" and quote.value("hs_quote_link")
        assert quote.associated_ids("deals") == [seeded.deal_id]
        assert sorted(quote.associated_ids("line_items")) == sorted(seeded.line_item_ids)
        assert not set(seeded.line_item_ids) & {i for d in data.deals for i in d.line_item_ids}  # copies
