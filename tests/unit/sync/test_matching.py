"""Before creating, a QuickBooks record is matched to an existing HubSpot record; ambiguity is never guessed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hubbooks.domain.sync.matching import MatchKind, decide, key_values, website_domain
from hubbooks.models.sync import Candidate, RecordLink, SyncObject

ACME = {"Id": "5", "DisplayName": "Acme Ltd", "CompanyName": "Acme  Ltd",
        "PrimaryEmailAddr": {"Address": "Jo@Acme.test"}, "WebAddr": {"URI": "https://www.Acme.test/about"}}
WIDGET = {"Id": "9", "Name": "Widget", "Sku": "W-1"}


@pytest.mark.parametrize(("url", "domain"), [
    ("https://www.Acme.test/x", "acme.test"), ("acme.org", "acme.org"),
    ("http://shop.acme.co.uk:8080", "shop.acme.co.uk"), ("", None), ("not a url", None), (None, None)])
def test_website_domain(url, domain):
    assert website_domain(url) == domain


def test_keys_per_object_in_priority_order():
    assert key_values(SyncObject.CONTACTS, ACME) == [("email", "jo@acme.test")]
    assert key_values(SyncObject.COMPANIES, ACME) == [("domain", "acme.test"), ("name", "acme ltd")]
    assert key_values(SyncObject.PRODUCTS, WIDGET) == [("sku", "w-1"), ("name", "widget")]
    assert key_values(SyncObject.CONTACTS, {"DisplayName": "No email"}) == []


def test_a_stored_link_wins_over_any_match():
    link = RecordLink(portal_id=1, realm_id="r", object=SyncObject.CONTACTS, qbo_id="5", hubspot_id="77",
                      matched_by="email", linked_at=datetime(2026, 1, 1, tzinfo=UTC))
    found = {("email", "jo@acme.test"): [Candidate(hubspot_id="88", label="Jo")]}
    assert decide(SyncObject.CONTACTS, ACME, link, found).hubspot_id == "77"


def test_companies_fall_back_from_domain_to_name():
    found = {("name", "acme ltd"): [Candidate(hubspot_id="3", label="Acme Ltd")]}
    match = decide(SyncObject.COMPANIES, ACME, None, found)
    assert (match.kind, match.hubspot_id, match.by) == (MatchKind.MATCHED, "3", "name")


def test_several_candidates_wait_for_the_admin():
    found = {("sku", "w-1"): [Candidate(hubspot_id="1", label="Widget"), Candidate(hubspot_id="2", label="Widget")]}
    match = decide(SyncObject.PRODUCTS, WIDGET, None, found)
    assert match.kind is MatchKind.AMBIGUOUS and [c.hubspot_id for c in match.candidates] == ["1", "2"]


def test_records_linked_elsewhere_are_not_candidates_and_no_key_means_new():
    found = {("sku", "w-1"): [Candidate(hubspot_id="1", label="Widget"), Candidate(hubspot_id="2", label="Widget")]}
    match = decide(SyncObject.PRODUCTS, WIDGET, None, found, taken={"1"})
    assert (match.kind, match.hubspot_id, match.by) == (MatchKind.MATCHED, "2", "sku")
    assert decide(SyncObject.CONTACTS, {"DisplayName": "Nobody"}, None, found).kind is MatchKind.NEW
