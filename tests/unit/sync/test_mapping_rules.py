"""A mapping that cannot work is refused with a 422 naming the problem; the defaults work on a fresh portal."""

from __future__ import annotations

import pytest

from hubbooks.domain.sync.defaults import DEFAULT_MAPPINGS, HUBBOOKS_PROPERTIES
from hubbooks.domain.sync.errors import MappingRejectedError
from hubbooks.domain.sync.mapping_rules import check_mapping, mapping_problems
from hubbooks.domain.sync.qbo_fields import QboField
from hubbooks.models.sync import FieldKind, FieldMapping, SyncObject, Transform
from tests.unit.sync.fakes import field_of, prop, standard_portal

CONTACTS = standard_portal()["contacts"]


def _codes(mapping: FieldMapping, properties=CONTACTS, sync_object=SyncObject.CONTACTS, **kwargs) -> list[str]:
    return [p.code for p in mapping_problems(sync_object, mapping, properties, **kwargs)]


def _m(prop_name: str, field: str, **transform) -> FieldMapping:
    return FieldMapping(id="m", hubspot_property=prop_name, qbo_field=field, transform=Transform(**transform))


@pytest.mark.parametrize("sync_object", list(SyncObject))
def test_every_default_mapping_is_valid_once_hubbooks_properties_exist(sync_object):
    properties = dict(standard_portal()[sync_object.hubspot_type])
    properties |= {s.name: field_of(s) for s in HUBBOOKS_PROPERTIES[sync_object]}
    defaults = DEFAULT_MAPPINGS[sync_object]
    assert len({m.hubspot_property for m in defaults}) == len(defaults)
    for mapping in defaults:
        assert mapping_problems(sync_object, mapping, properties, others=defaults) == [], mapping.id


def test_a_deleted_property_is_named():
    with pytest.raises(MappingRejectedError) as refused:
        check_mapping(SyncObject.CONTACTS, _m("favourite_colour", "DisplayName"), CONTACTS)
    assert refused.value.status_code == 422
    assert refused.value.details["problems"][0]["code"] == "property_missing"
    assert "favourite_colour" in refused.value.message


def test_read_only_and_calculated_properties_are_refused():
    assert _codes(_m("hs_object_id", "Id")) == ["property_read_only"]
    assert _codes(_m("hs_analytics_num_visits", "Balance")) == ["property_calculated"]
    assert _codes(_m("total_revenue", "Balance")) == ["property_calculated"]


def test_unknown_quickbooks_field_and_duplicate_property_are_refused():
    assert _codes(_m("firstname", "Nickname")) == ["field_missing"]
    other = FieldMapping(id="other", hubspot_property="firstname", qbo_field="GivenName")
    assert _codes(_m("firstname", "DisplayName"), others=[other]) == ["property_already_mapped"]


def test_types_that_cannot_convert_are_refused_with_what_would_work():
    properties = {**CONTACTS, "score": prop("score", "number"), "born": prop("born", "date"),
                  "vip": prop("vip", "bool")}
    assert _codes(_m("score", "DisplayName"), properties) == ["types_incompatible"]
    assert _codes(_m("born", "Balance"), properties) == ["types_incompatible"]
    problems = mapping_problems(SyncObject.CONTACTS, _m("vip", "Notes"), properties)
    assert problems[0].code == "types_incompatible"
    assert "it can feed these property types: option list, phone number, text" in problems[0].message
    assert _codes(_m("score", "Balance"), properties) == []


def test_option_values_without_an_option_are_refused_unless_mapped():
    products = standard_portal()["products"]
    assert _codes(_m("hs_product_type", "Type"), products, SyncObject.PRODUCTS) == ["enum_value_without_option"] * 6
    full_map = {"Inventory": "inventory", "NonInventory": "non_inventory", "Service": "service",
                "Category": "service", "Group": "service", "Bundle": "service"}
    assert _codes(_m("hs_product_type", "Type", value_map=full_map), products, SyncObject.PRODUCTS) == []
    bad_target = {**full_map, "Bundle": "bundle"}
    assert "value_map_target_not_an_option" in _codes(_m("hs_product_type", "Type", value_map=bad_target), products,
                                                      SyncObject.PRODUCTS)


def test_yes_no_fields_into_option_lists_need_both_answers_mapped():
    properties = {**CONTACTS, "status": prop("status", "enumeration", options=["active", "inactive"])}
    assert _codes(_m("status", "Active"), properties) == ["enum_value_without_option"] * 2
    assert _codes(_m("status", "Active", value_map={"true": "active", "false": "inactive"}), properties) == []


def test_custom_fields_can_be_mapped():
    custom = [QboField("CustomField:3", "Region (custom field)", FieldKind.TEXT)]
    assert _codes(_m("city", "CustomField:3"), custom_fields=custom) == []
    assert _codes(_m("city", "CustomField:4"), custom_fields=custom) == ["field_missing"]
