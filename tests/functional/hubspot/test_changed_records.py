"""The HubSpot-side reconciliation's reads against the simulator with HubSpot's OpenAPI contract checked: records
modified since a moment (one search a page, oldest first, with the mapped properties), one millisecond walked by id,
a whole walk past 10,000 results without an offset, and the portal's properties read again when a mapped one is
newer than the container's remembered list."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hubbooks.adapters.hubspot import sync_crm
from hubbooks.adapters.hubspot.changed_records import HubSpotChangedRecords
from hubbooks.adapters.hubspot.sync_crm import HubSpotSyncCrm
from hubbooks.domain.sync.hubspot_changes import walk
from hubbooks.models.hubspot import RecordInput
from hubbooks.models.hubspot_properties import PropertySpec

SEARCH = "POST /crm/objects/2026-03/<object_type>/search"


def _now(hubspot_sim) -> datetime:
    return datetime.fromtimestamp(hubspot_sim.app.clock.now(), tz=UTC)


def test_records_changed_since_a_moment_come_oldest_first_with_their_stamps(hubspot_sim) -> None:
    portal = hubspot_sim.new_portal()
    client = hubspot_sim.client(portal)
    made = [client.objects.create("contacts", RecordInput(properties={"email": f"c{n}@x.test",
                                                                      "firstname": f"C{n}"})).id for n in range(3)]
    hubspot_sim.app.clock.advance(60)
    since = _now(hubspot_sim)
    hubspot_sim.app.clock.advance(1)
    client.objects.update("contacts", made[2], {"firstname": "Later"})
    hubspot_sim.app.clock.advance(1)
    client.objects.update("contacts", made[0], {"firstname": "Last"})
    records = HubSpotChangedRecords(client)
    changed = records.changed_since("contacts", since, inclusive=True, properties=["firstname"], limit=200)
    assert [(r.hubspot_id, r.properties["firstname"]) for r in changed] == [(made[2], "Later"), (made[0], "Last")]
    assert changed[0].modified_at < changed[1].modified_at and changed[0].created_at is not None
    assert changed[0].created_at < since <= changed[0].modified_at
    after_first = records.changed_since("contacts", changed[0].modified_at, inclusive=False, properties=[], limit=200)
    assert [r.hubspot_id for r in after_first] == [made[0]]
    same = records.changed_at("contacts", changed[0].modified_at, after_id=None, properties=[], limit=200)
    assert [r.hubspot_id for r in same] == [made[2]]
    assert records.changed_at("contacts", changed[0].modified_at, after_id=made[2], properties=[], limit=200) == []


def test_a_walk_past_ten_thousand_results_needs_no_offset(hubspot_sim) -> None:
    portal = hubspot_sim.new_portal()
    client = hubspot_sim.client(portal)
    for start in range(0, 10_250, 100):  # 10,250 products, 100 a batch (a batch shares a millisecond or a few)
        client.objects.batch_create("products", [RecordInput(properties={"name": f"P{n}"})
                                                 for n in range(start, min(start + 100, 10_250))])
    before = hubspot_sim.calls(SEARCH)
    seen = [r.hubspot_id for page in walk(HubSpotChangedRecords(client), "products",
                                          _now(hubspot_sim) - timedelta(days=1), ["name"]) for r in page]
    assert len(seen) == len(set(seen)) == 10_250
    searches = hubspot_sim.calls(SEARCH) - before
    assert 52 <= searches <= 60, searches  # about one per 200 records, never a 400 for paging past 10,000


def test_a_mapped_property_newer_than_the_remembered_list_is_read_again(hubspot_sim) -> None:
    portal = hubspot_sim.new_portal()
    client = hubspot_sim.client(portal)
    crm = HubSpotSyncCrm(client, portal_id=portal)
    properties = "GET /crm/properties/2026-03/<object_type>"
    assert "accounting_fax" not in crm.fields("contacts")
    read = hubspot_sim.calls(properties)
    client.properties.create("contacts", PropertySpec(name="accounting_fax", label="Fax", type="string",
                                                      fieldType="text", groupName="contactinformation"))
    assert "accounting_fax" not in crm.fields("contacts")  # remembered for a few minutes...
    assert "accounting_fax" in crm.fields("contacts", expect={"accounting_fax"})  # ...unless a mapping names it
    assert hubspot_sim.calls(properties) == read + 1
    crm.fields("contacts", expect={"deleted_long_ago"})  # missing: read once more, then not again within a minute
    crm.fields("contacts", expect={"deleted_long_ago"})
    crm.fields("contacts", expect={"deleted_long_ago", "accounting_fax"})
    assert hubspot_sim.calls(properties) == read + 2
    sync_crm._FIELDS_CACHE.clear()
