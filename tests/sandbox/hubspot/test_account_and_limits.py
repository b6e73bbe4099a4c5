"""Account details, company currency, and HubSpot's burst and search limits."""

from __future__ import annotations

from tests.sandbox.hubspot.conftest import Seeded, Sim, assert_no_violations


def test_account_details_and_currency(sim: Sim) -> None:
    portal_id = sim.portal("GBP", additional_currencies=["EUR"], time_zone="Europe/London",
                           ui_domain="app-eu1.hubspot.com", data_hosting_location="eu1")
    token = sim.token(portal_id)
    for path in ("/account-info/v3/details", "/account-info/2026-03/details"):
        details = sim.api("GET", path, token).json()
        assert details["companyCurrency"] == "GBP" and details["additionalCurrencies"] == ["EUR"]
        assert details["uiDomain"] == "app-eu1.hubspot.com" and details["portalId"] == portal_id
    for path in ("/settings/v3/currencies/company-currency", "/settings/currencies/2026-03/company-currency"):
        assert sim.api("GET", path, token).json()["id"] == "GBP"
    assert_no_violations(sim)
    assert sim.http.get(sim.url + "/account-info/v3/details", timeout=5).status_code == 401


def test_a_call_without_credentials_is_a_contract_violation(sim: Sim) -> None:
    assert sim.http.get(sim.url + "/crm/v3/objects/deals", timeout=5).status_code == 401
    violations = sim.control("GET", "openapi-violations").json()["violations"]
    assert violations[0]["kind"] == "request" and "credentials" in violations[0]["message"]
    sim.control("DELETE", "openapi-violations")


def test_burst_limit_and_reset_with_clock(seeded: Seeded) -> None:
    sim = seeded.sim
    sim.control("POST", "limits", json={"burst_limit": 5})
    statuses = [seeded.api("GET", "/crm/v3/objects/deals") for _ in range(6)]
    assert [r.status_code for r in statuses] == [200] * 5 + [429]
    assert statuses[3].headers["X-HubSpot-RateLimit-Max"] == "5"
    assert statuses[3].headers["X-HubSpot-RateLimit-Remaining"] == "1"
    assert statuses[3].headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    body = statuses[5].json()
    assert body["errorType"] == "RATE_LIMIT" and body["policyName"] == "TEN_SECONDLY_ROLLING"
    assert body["message"] == "You have reached your ten_secondly_rolling limit."
    sim.control("POST", "clock", json={"advance_seconds": 10})
    assert seeded.api("GET", "/crm/v3/objects/deals").status_code == 200
    assert_no_violations(sim)


def test_default_burst_is_110(seeded: Seeded) -> None:
    codes = [seeded.api("GET", "/crm/v3/objects/notes").status_code for _ in range(111)]
    assert codes.count(200) == 110 and codes[-1] == 429


def test_search_limit_is_5_per_second_without_headers(seeded: Seeded) -> None:
    body = {"filterGroups": [], "sorts": [], "properties": [], "limit": 1, "after": "0"}
    answers = [seeded.api("POST", "/crm/v3/objects/deals/search", json=body) for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert "X-HubSpot-RateLimit-Max" not in answers[0].headers
    assert answers[5].json()["policyName"] == "SECONDLY"
    seeded.sim.control("POST", "clock", json={"advance_seconds": 1})
    assert seeded.api("POST", "/crm/v3/objects/deals/search", json=body).status_code == 200
    assert_no_violations(seeded.sim)


def test_429_has_no_retry_after_unless_configured(seeded: Seeded) -> None:
    """api-facts H6 [U]: "`Retry-After` on REST 429s is not documented; back off using the Interval header".

    Before: every 429 (burst, search, injected) carried `Retry-After`, so a client that keyed on it looked fine
    here and had nothing to go on in production. Now it is the `/_sandbox/limits` setting `retry_after`
    (default false); the burst 429 still has the `X-HubSpot-RateLimit-*` headers to back off by.
    """
    sim = seeded.sim
    assert sim.control("GET", "limits").json()["retry_after"] is False
    sim.control("POST", "limits", json={"burst_limit": 1})
    seeded.api("GET", "/crm/v3/objects/deals")
    limited = seeded.api("GET", "/crm/v3/objects/deals")
    assert limited.status_code == 429 and "Retry-After" not in limited.headers
    assert limited.headers["X-HubSpot-RateLimit-Interval-Milliseconds"] == "10000"
    assert limited.headers["X-HubSpot-RateLimit-Remaining"] == "0"
    body = limited.json()
    assert body["errorType"] == "RATE_LIMIT" and body["policyName"] == "TEN_SECONDLY_ROLLING"
    sim.control("POST", "faults", json={"status": 429, "path_prefix": "/crm/"})
    assert "Retry-After" not in seeded.api("GET", "/crm/v3/objects/notes").headers
    sim.control("DELETE", "faults")
    assert sim.control("POST", "limits", json={"retry_after": True}).json()["retry_after"] is True
    sim.control("POST", "clock", json={"advance_seconds": 10})
    seeded.api("GET", "/crm/v3/objects/deals")
    limited = seeded.api("GET", "/crm/v3/objects/deals")
    assert limited.status_code == 429 and 1 <= int(limited.headers["Retry-After"]) <= 10
