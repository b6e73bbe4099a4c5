"""The sync's HubSpot field catalogue against the simulator: types, options, read-only and calculated flags, and
the properties HubBooks adds when sync is turned on (every exchange checked against HubSpot's OpenAPI files)."""

from __future__ import annotations

from hubbooks.adapters.hubspot.sync_catalogue import HubSpotSyncCatalogue
from hubbooks.domain.sync.defaults import (
    DEFAULT_MAPPINGS,
    HUBBOOKS_PROPERTIES,
    QBO_REFERENCE_PROPERTY,
    SYNC_GROUP,
    SYNC_GROUP_LABEL,
)
from hubbooks.domain.sync.mapping_rules import mapping_problems
from hubbooks.models.sync import SyncObject


def test_properties_come_with_what_mapping_needs(hubspot_sim) -> None:
    portal = hubspot_sim.new_portal()
    catalogue = HubSpotSyncCatalogue(hubspot_sim.client(portal).properties)
    contacts = catalogue.fields("contacts")
    assert contacts["email"].type == "string" and contacts["email"].unique
    assert contacts["hs_object_id"].read_only
    assert contacts["lifecyclestage"].type == "enumeration" and "customer" in contacts["lifecyclestage"].options
    companies = catalogue.fields("companies")
    assert companies["num_associated_contacts"].calculated
    catalogue.fields("contacts")
    assert hubspot_sim.calls("GET /crm/properties/2026-03/<object_type>") == 2  # contacts once, companies once


def test_turning_sync_on_makes_every_default_mapping_valid_on_a_fresh_portal(hubspot_sim) -> None:
    portal = hubspot_sim.new_portal()
    catalogue = HubSpotSyncCatalogue(hubspot_sim.client(portal).properties)
    for sync_object in SyncObject:
        created = catalogue.ensure(sync_object.hubspot_type, SYNC_GROUP, SYNC_GROUP_LABEL,
                                   HUBBOOKS_PROPERTIES[sync_object])
        assert QBO_REFERENCE_PROPERTY in created
        assert catalogue.ensure(sync_object.hubspot_type, SYNC_GROUP, SYNC_GROUP_LABEL,
                                HUBBOOKS_PROPERTIES[sync_object]) == []
        properties = catalogue.fields(sync_object.hubspot_type)
        assert properties[QBO_REFERENCE_PROPERTY].unique
        for mapping in DEFAULT_MAPPINGS[sync_object]:
            assert mapping_problems(sync_object, mapping, properties) == [], (sync_object, mapping.id)
