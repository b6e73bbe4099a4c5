"""Our HubSpot CRM client against the simulator (OpenAPI validation on; see conftest)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from hubbooks.adapters.hubspot.errors import (
    HubSpotAnswerLostError,
    HubSpotApiError,
    HubSpotNotFoundError,
    HubSpotRateLimitedError,
    HubSpotValidationError,
)
from hubbooks.adapters.hubspot.rate_budget import BudgetLimits
from hubbooks.models.hubspot import AssociationSpec, NewAssociation, RecordInput, RecordUpdate
from tests.functional.hubspot.conftest import HubSpotSim, RecordingSession

DEAL_TO_CONTACT = 3


def test_create_read_update_and_archive_a_deal(hubspot_sim: HubSpotSim) -> None:
    portal = hubspot_sim.new_portal("EUR")
    client = hubspot_sim.client(portal)

    created = client.objects.create("deals", RecordInput(properties={"dealname": "Boiler", "amount": "1200.50",
                                                                     "deal_currency_code": "EUR"}))
    client.objects.update("deals", created.id, {"amount": "1300"})
    read = client.objects.get("deals", created.id, properties=["dealname", "amount", "deal_currency_code"])

    assert read.properties["dealname"] == "Boiler" and read.properties["amount"] == "1300"
    assert read.value("deal_currency_code") == "EUR"
    assert hubspot_sim.calls("GET /crm/objects/2026-03/<object_type>/<object_id>") == 1  # date-versioned paths

    client.objects.archive("deals", created.id)
    with pytest.raises(HubSpotNotFoundError) as missing:
        client.objects.get("deals", created.id)
    assert missing.value.category == "OBJECT_NOT_FOUND"
    assert uuid.UUID(missing.value.correlation_id or "")  # kept for support tickets
    assert "Boiler" not in missing.value.message


def test_invalid_property_is_a_typed_validation_error(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    with pytest.raises(HubSpotValidationError) as rejected:
        client.objects.create("deals", RecordInput(properties={"dealname": "X", "no_such_property": "1"}))
    assert rejected.value.status == 400 and rejected.value.category == "VALIDATION_ERROR"
    assert "no_such_property" in (rejected.value.hubspot_message or "")


def test_create_with_associations_and_read_them_back(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    contact = client.objects.create("contacts", RecordInput(properties={"email": "ada@example.com"}))
    to_contact = NewAssociation(to_id=contact.id, types=(AssociationSpec(association_type_id=DEAL_TO_CONTACT),))
    deal = client.objects.create("deals", RecordInput(properties={"dealname": "With contact"},
                                                      associations=(to_contact,)))

    read = client.objects.get("deals", deal.id, associations=["contacts"])
    assert read.associated_ids("contacts") == [contact.id]
    assert [r.to_object_id for r in client.associations.iter_linked("deals", deal.id, "contacts")] == [contact.id]


def test_batch_helpers_chunk_by_100(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    inputs = [RecordInput(properties={"name": f"Item {n}", "price": str(n)}, trace_id=f"t{n}") for n in range(250)]

    created = client.objects.batch_create("products", inputs)
    assert created.ok and len(created.results) == 250
    assert hubspot_sim.calls("POST /crm/objects/2026-03/<object_type>/batch/create") == 3

    ids = [r.id for r in created.results]
    updated = client.objects.batch_update("products", [RecordUpdate(id=i, properties={"description": "x"})
                                                       for i in ids])
    read = client.objects.batch_read("products", ids, properties=["name", "description"])
    assert updated.ok and len(read.results) == 250
    assert {r.value("description") for r in read.results} == {"x"}
    assert hubspot_sim.calls("POST /crm/objects/2026-03/<object_type>/batch/read") == 3


def test_batch_partial_failure_keeps_results_and_errors(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    result = client.objects.batch_read("contacts", ["999999"], properties=["email"])
    assert not result.ok and result.errors[0].category == "OBJECT_NOT_FOUND"
    assert result.errors[0].context["ids"] == ["999999"]


def test_upsert_contacts_by_email(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    client.objects.create("contacts", RecordInput(properties={"email": "known@example.com"}))
    result = client.objects.batch_upsert("contacts", [
        RecordUpdate(id="known@example.com", id_property="email", properties={"firstname": "Known"}),
        RecordUpdate(id="new@example.com", id_property="email", properties={"firstname": "New"}),
    ])
    assert {r.value("email"): r.new for r in result.results} == {"known@example.com": False, "new@example.com": True}


def test_search_and_list_follow_after_cursors(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    client.objects.batch_create("companies", [RecordInput(properties={"name": f"Co {n:03}", "domain": "acme.test"})
                                              for n in range(230)])

    found = list(client.objects.search(
        "companies", filter_groups=[{"filters": [{"propertyName": "domain", "operator": "EQ", "value": "acme.test"}]}],
        properties=["name"], sorts=["-name"], page_size=100))
    assert len(found) == 230 and found[0].value("name") == "Co 229"
    assert hubspot_sim.calls("POST /crm/objects/2026-03/<object_type>/search") == 3

    listed = list(client.objects.iter_all("companies", properties=["name"]))
    assert len({r.id for r in listed}) == 230


def test_search_is_paced_to_five_per_second(hubspot_sim: HubSpotSim) -> None:
    session = RecordingSession()
    client = hubspot_sim.client(hubspot_sim.new_portal(), session=session)
    client.objects.batch_create("deals", [RecordInput(properties={"dealname": f"D{n}"}) for n in range(12)])

    assert len(list(client.objects.search("deals", page_size=1))) == 12  # 12 search calls
    assert sum(hubspot_sim.budget_waits) >= 2.0  # 12 calls at 5/s: the budget waited instead of provoking HubSpot
    assert 429 not in session.statuses


def test_burst_budget_paces_calls_before_hubspot_refuses(hubspot_sim: HubSpotSim) -> None:
    hubspot_sim.control("POST", "limits", {"burst_limit": 4, "burst_window_seconds": 1})
    session = RecordingSession()
    budget = hubspot_sim.budget(BudgetLimits(burst_requests=4, burst_window_seconds=1.0))
    client = hubspot_sim.client(hubspot_sim.new_portal(), budget=budget, session=session)

    for _ in range(9):
        client.account.details()
    assert 429 not in session.statuses and hubspot_sim.budget_waits


def test_nothing_remaining_in_the_window_pauses_the_portal(hubspot_sim: HubSpotSim) -> None:
    """Other containers used the portal's budget: HubSpot's headers say so, and we wait one interval."""
    hubspot_sim.control("POST", "limits", {"burst_limit": 2, "burst_window_seconds": 10})
    session = RecordingSession()
    client = hubspot_sim.client(hubspot_sim.new_portal(), session=session)

    for _ in range(3):
        assert client.account.details().company_currency == "USD"
    assert 429 not in session.statuses
    assert hubspot_sim.budget_waits == [pytest.approx(10.0, abs=0.5)]


def test_429_waits_for_retry_after_and_retries(hubspot_sim: HubSpotSim) -> None:
    hubspot_sim.control("POST", "limits", {"burst_limit": 2, "burst_window_seconds": 10})
    portal = hubspot_sim.new_portal()
    other_container = hubspot_sim.client(portal)
    other_container.account.details()
    other_container.account.details()
    session = RecordingSession()
    client = hubspot_sim.client(portal, session=session)  # a fresh budget that knows nothing yet

    assert client.account.details().company_currency == "USD"
    assert session.statuses == [429, 200]
    assert hubspot_sim.sleeps and 1 <= hubspot_sim.sleeps[0] <= 10  # Retry-After, within the 10-second window


def test_persistent_429_becomes_a_rate_limited_error(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    hubspot_sim.control("POST", "faults", {"status": 429, "rate": 1.0, "path_prefix": "/crm/"})
    with pytest.raises(HubSpotRateLimitedError) as limited:
        client.objects.get("deals", "1")
    assert limited.value.status == 429 and len(hubspot_sim.sleeps) == 3  # four attempts


def test_server_errors_are_retried_then_reported(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    hubspot_sim.control("POST", "faults", {"status": 502, "rate": 1.0, "path_prefix": "/crm/"})
    with pytest.raises(HubSpotApiError) as failed:
        client.objects.update("deals", "1", {"dealname": "x"})
    assert failed.value.status == 502 and len(hubspot_sim.sleeps) == 3


def test_a_create_is_not_repeated_after_a_server_error_that_may_have_applied_it(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    hubspot_sim.control("POST", "faults", {"status": 502, "rate": 1.0, "path_prefix": "/crm/"})
    with pytest.raises(HubSpotAnswerLostError) as lost:
        client.objects.create("deals", RecordInput(properties={"dealname": "x"}))
    assert lost.value.status == 502 and hubspot_sim.sleeps == []


def test_property_groups_and_properties(hubspot_sim: HubSpotSim) -> None:
    from hubbooks.domain.connect.hubspot_deal_properties import DEAL_PROPERTIES, ensure_deal_properties

    client = hubspot_sim.client(hubspot_sim.new_portal())
    assert ensure_deal_properties(client.properties) == [p.name for p in DEAL_PROPERTIES]
    assert ensure_deal_properties(client.properties) == []  # idempotent

    status = client.properties.find("deals", "hubbooks_invoice_status")
    assert status is not None and status.group_name == "hubbooks_invoice"
    assert [o.value for o in status.options] == ["waiting_to_be_sent", "sent", "partially_paid", "paid", "overdue",
                                                 "voided"]
    assert client.properties.find("deals", "nope") is None

    deal = client.objects.create("deals", RecordInput(properties={"dealname": "Invoiced",
                                                                  "hubbooks_invoice_status": "partially_paid",
                                                                  "hubbooks_invoice_due_date": "2026-12-31"}))
    assert client.objects.get("deals", deal.id, properties=["hubbooks_invoice_status"]).value(
        "hubbooks_invoice_status") == "partially_paid"


def test_creating_what_exists_is_the_ports_property_exists_error(hubspot_sim: HubSpotSim) -> None:
    """HubSpot's 409 for a property or group already there reaches the domain as its own port's error, so installs
    racing each other count the creation as done without the domain knowing HubSpot's errors."""
    from hubbooks.domain.connect.hubspot_deal_properties import deal_group, deal_properties
    from hubbooks.domain.connect.ports import PropertyExistsError

    client = hubspot_sim.client(hubspot_sim.new_portal())
    group, status = deal_group(), deal_properties()[0]
    client.properties.create_group("deals", group)
    client.properties.create("deals", status)
    with pytest.raises(PropertyExistsError, match=f"property group {group.name} already exists"):
        client.properties.create_group("deals", group)
    with pytest.raises(PropertyExistsError, match=f"property {status.name} already exists") as raised:
        client.properties.create("deals", status)
    assert raised.value.status_code == 409 and raised.value.code == "property_exists"


def test_default_and_labelled_associations_in_bulk(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    deals = client.objects.batch_create("deals", [RecordInput(properties={"dealname": f"D{n}"}) for n in range(3)])
    company = client.objects.create("companies", RecordInput(properties={"name": "Acme"}))

    client.associations.link_default_many("deals", "companies", [(d.id, company.id) for d in deals.results[:2]])
    client.associations.link_labelled("deals", deals.results[2].id, "companies", company.id,
                                      [AssociationSpec(association_type_id=5)])  # deal -> company, "Primary"

    linked = list(client.associations.iter_linked("companies", company.id, "deals"))
    assert sorted(r.to_object_id for r in linked) == sorted(d.id for d in deals.results)
    labelled = next(r for r in client.associations.iter_linked("deals", deals.results[2].id, "companies"))
    assert 5 in labelled.type_ids


def test_the_contract_check_catches_a_malformed_request(hubspot_sim: HubSpotSim) -> None:
    """Proof the zero-violation assertion can fail, with either checker: a search whose limit is a string."""
    portal = hubspot_sim.new_portal()
    token = hubspot_sim.static_token(portal)
    response = requests.post(f"{hubspot_sim.url}/crm/objects/2026-03/deals/search", json={"limit": "5"},
                             headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert response.status_code < 500
    flagged = hubspot_sim.control("GET", "openapi-violations")
    assert any(v["kind"] == "request" and "limit" in v["message"] for v in flagged["violations"]), flagged
    hubspot_sim.control("DELETE", "openapi-violations")


def test_the_contract_check_catches_a_malformed_answer(hubspot_sim: HubSpotSim,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The simulator's answers are checked too: a record rendered without its required createdAt is flagged."""
    portal = hubspot_sim.new_portal()
    deal = hubspot_sim.client(portal).objects.create("deals", RecordInput(properties={"dealname": "D"}))
    render = hubspot_sim.app.crm.render

    def render_without_created_at(*args: Any, **kwargs: Any) -> dict[str, Any]:
        out = dict(render(*args, **kwargs))
        out.pop("createdAt", None)
        return out

    monkeypatch.setattr(hubspot_sim.app.crm, "render", render_without_created_at)
    response = requests.get(f"{hubspot_sim.url}/crm/objects/2026-03/deals/{deal.id}", timeout=10,
                            headers={"Authorization": f"Bearer {hubspot_sim.static_token(portal)}"})
    assert response.status_code == 200 and "createdAt" not in response.json()
    flagged = hubspot_sim.control("GET", "openapi-violations")
    assert any(v["kind"] == "response" and "createdAt" in v["message"] for v in flagged["violations"]), flagged
    hubspot_sim.control("DELETE", "openapi-violations")
