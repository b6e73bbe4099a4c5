"""The sync's CRM writes against the simulator with HubSpot's OpenAPI contract checked: searches with IN lists,
upserts keyed by the QuickBooks reference, updates by id, archives, and refused records isolated from the rest."""

from __future__ import annotations

from hubbooks.adapters.hubspot.sync_catalogue import HubSpotSyncCatalogue
from hubbooks.adapters.hubspot.sync_crm import HubSpotSyncCrm
from hubbooks.domain.sync.defaults import HUBBOOKS_PROPERTIES, QBO_REFERENCE_PROPERTY, SYNC_GROUP, SYNC_GROUP_LABEL
from hubbooks.domain.sync.ports import CrmWrite
from hubbooks.models.sync import SyncObject


def _crm(hubspot_sim) -> tuple[HubSpotSyncCrm, int]:
    portal = hubspot_sim.new_portal()
    client = hubspot_sim.client(portal)
    HubSpotSyncCatalogue(client.properties).ensure("products", SYNC_GROUP, SYNC_GROUP_LABEL,
                                                   HUBBOOKS_PROPERTIES[SyncObject.PRODUCTS])
    return HubSpotSyncCrm(client, portal_id=portal), portal


def test_upsert_is_keyed_by_the_reference_so_a_repeat_creates_nothing(hubspot_sim) -> None:
    crm, _ = _crm(hubspot_sim)
    assert crm.any_record("products") is False
    writes = [CrmWrite(trace_id=str(n), reference=f"9130:{n}",
                       properties={"name": f"Item {n}", QBO_REFERENCE_PROPERTY: f"9130:{n}", "price": "1.50"})
              for n in range(150)]
    first = crm.upsert("products", writes, QBO_REFERENCE_PROPERTY)
    again = crm.upsert("products", writes, QBO_REFERENCE_PROPERTY)
    assert len(first.written) == 150 and first.refused == {} and again.written == first.written
    assert crm.any_record("products") is True
    assert hubspot_sim.calls("POST /crm/objects/2026-03/<object_type>/batch/upsert") == 4  # 100 + 50, twice

    found = crm.find("products", "name", ["item 7", "ITEM 8", "nothing"])
    assert sorted(value for value, _candidate in found) == ["Item 7", "Item 8"]
    searches = hubspot_sim.calls("POST /crm/objects/2026-03/<object_type>/search")
    everything = crm.find("products", "name", [f"Item {n}" for n in range(150)] + [f"x{n}" for n in range(300)])
    assert len(everything) == 150  # 450 values in 5 filter groups of IN lists: one search
    assert hubspot_sim.calls("POST /crm/objects/2026-03/<object_type>/search") == searches + 1
    updated = crm.update("products", [CrmWrite(trace_id="7", hubspot_id=first.written["7"],
                                               properties={"price": "2"})])
    assert updated.written == {"7": first.written["7"]}
    crm.archive("products", [first.written["8"]])
    assert [v for v, _c in crm.find("products", "name", ["Item 8"])] == []


def test_refused_records_are_named_and_the_others_written(hubspot_sim) -> None:
    crm, _ = _crm(hubspot_sim)
    writes = [CrmWrite(trace_id=str(n), reference=f"9130:{n}",
                       properties={"name": f"Item {n}", QBO_REFERENCE_PROPERTY: f"9130:{n}",
                                   "price": "lots" if n in (3, 17) else "5"}) for n in range(20)]
    outcome = crm.upsert("products", writes, QBO_REFERENCE_PROPERTY)
    assert set(outcome.refused) == {"3", "17"} and len(outcome.written) == 18
    assert "price" in outcome.refused["3"]



def test_a_contact_whose_email_another_holds_is_a_conflict_not_a_refusal(hubspot_sim) -> None:
    portal = hubspot_sim.new_portal()
    client = hubspot_sim.client(portal)
    HubSpotSyncCatalogue(client.properties).ensure("contacts", SYNC_GROUP, SYNC_GROUP_LABEL,
                                                   HUBBOOKS_PROPERTIES[SyncObject.CONTACTS])
    crm = HubSpotSyncCrm(client, portal_id=portal)

    def write(n: int, email: str) -> CrmWrite:
        return CrmWrite(trace_id=str(n), reference=f"9130:{n}",
                        properties={"email": email, QBO_REFERENCE_PROPERTY: f"9130:{n}"})

    crm.upsert("contacts", [write(1, "ann@x.test")], QBO_REFERENCE_PROPERTY)
    outcome = crm.upsert("contacts", [write(2, "ANN@x.test"), write(3, "bob@x.test"), write(4, "cy@x.test")],
                         QBO_REFERENCE_PROPERTY)
    assert set(outcome.conflicts) == {"2"} and "already exists" in outcome.conflicts["2"]
    assert set(outcome.written) == {"3", "4"} and outcome.refused == {}
