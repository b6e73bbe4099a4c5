"""The QuickBooks field catalogue agrees with Intuit's entity definitions, and values are read from real shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hubbooks.domain.sync.qbo_fields import (
    CUSTOMER_FIELDS,
    ITEM_FIELDS,
    ITEM_TYPES,
    custom_fields_seen,
    find_field,
    read_value,
)
from hubbooks.models.sync import FieldKind, SyncObject

FACTS = json.loads((Path(__file__).parent / "xsd_facts.json").read_text())["types"]
_XSD_KINDS = {"xs:string": {FieldKind.TEXT, FieldKind.EMAIL, FieldKind.PHONE, FieldKind.ENUM},
              "xs:anyURI": {FieldKind.URL}, "xs:decimal": {FieldKind.MONEY, FieldKind.NUMBER},
              "xs:boolean": {FieldKind.BOOLEAN}, "xs:date": {FieldKind.DATE}, "xs:dateTime": {FieldKind.DATE},
              "xs:int": {FieldKind.NUMBER}, "ItemTypeEnum": {FieldKind.ENUM}, "id": {FieldKind.TEXT}}


def _elements(type_name: str) -> dict[str, str]:
    """Every element of a type, following its extension chain (Customer -> NameBase -> IntuitEntity)."""
    info = FACTS[type_name]
    inherited = _elements(info["base"]) if info.get("base") in FACTS else {}
    return {**inherited, **info["elements"]}


def _xsd_type(entity: str, path: str) -> str:
    current = entity
    parts = path.split(".")
    for part in parts[:-1]:
        current = _elements(current)[part]
    last = parts[-1]
    if current == "ReferenceType":
        assert last == "value"
        return "id"
    return _elements(current)[last]


@pytest.mark.parametrize(("entity", "fields"), [("Customer", CUSTOMER_FIELDS), ("Item", ITEM_FIELDS)])
def test_every_catalogue_path_exists_in_the_entity_definition_with_a_matching_type(entity, fields):
    for field in fields:
        xsd_type = _xsd_type(entity, field.path)
        assert field.kind in _XSD_KINDS[xsd_type], f"{entity}.{field.path} is {xsd_type} in the XSD"


def test_item_types_are_values_of_the_xsd_enumeration():
    assert set(ITEM_TYPES) <= set(FACTS["ItemTypeEnum"]["enumeration"])


def test_custom_field_types_known_to_the_xsd_are_all_handled():
    assert set(FACTS["CustomFieldTypeEnum"]["enumeration"]) == {"StringType", "BooleanType", "NumberType", "DateType"}


def test_nested_and_custom_values_are_read_from_a_customer():
    customer = {"DisplayName": "Acme", "BillAddr": {"City": "Leeds", "PostalCode": "LS1"},
                "PrimaryEmailAddr": {"Address": "a@acme.test"},
                "CustomField": [{"DefinitionId": "1", "Name": "Region", "Type": "StringType", "StringValue": "North"},
                                {"DefinitionId": "2", "Name": "Tier", "Type": "NumberType", "NumberValue": 3}]}
    assert read_value(customer, "BillAddr.City") == "Leeds"
    assert read_value(customer, "ShipAddr.City") is None
    assert read_value(customer, "PrimaryEmailAddr.Address") == "a@acme.test"
    assert read_value(customer, "CustomField:1") == "North"
    assert read_value(customer, "CustomField:2") == 3
    assert read_value(customer, "CustomField:9") is None
    custom = custom_fields_seen([customer, {"CustomField": [{"DefinitionId": "1", "Name": "Other name"}]}])
    assert [(f.path, f.label, f.kind) for f in custom] == [
        ("CustomField:1", "Region (custom field)", FieldKind.TEXT),
        ("CustomField:2", "Tier (custom field)", FieldKind.NUMBER)]
    assert find_field(SyncObject.CONTACTS, "CustomField:2", custom) == custom[1]
    assert find_field(SyncObject.PRODUCTS, "BillAddr.City") is None
