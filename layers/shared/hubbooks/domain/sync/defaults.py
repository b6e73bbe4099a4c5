"""What an accountant expects before touching anything: default mappings per object, and the few HubSpot
properties HubBooks adds where HubSpot has none (display name, notes, active, the QuickBooks reference).

Defaults are an ordinary starting set: the admin may edit, disable or delete each one. They are built the first
time they are asked for: building them validates a few dozen models (and builds those models' validators), which
a cold start handling anything but a company's first sync settings would pay for nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hubbooks.models.hubspot_properties import PropertyOption, PropertySpec
from hubbooks.models.sync import FieldMapping, SyncBehaviour, SyncObject, TextCase, Transform

SYNC_GROUP = "hubbooks_sync"
SYNC_GROUP_LABEL = "HubBooks (QuickBooks)"
QBO_REFERENCE_PROPERTY = "hubbooks_qbo_ref"  # "<realm>:<id>", unique: the key of upserts and echo checks
ACTIVE_PROPERTY = "hubbooks_qbo_active"
DISPLAY_NAME_PROPERTY = "hubbooks_qbo_display_name"
NOTES_PROPERTY = "hubbooks_qbo_notes"
ITEM_TYPE_PROPERTY = "hubbooks_qbo_item_type"


def _m(mapping_id: str, prop: str, field: str, transform: Transform | None = None) -> FieldMapping:
    return FieldMapping(id=mapping_id, hubspot_property=prop, qbo_field=field, transform=transform or Transform(),
                        is_default=True)


_BILLING_ADDRESS = (("address", "BillAddr.Line1"), ("city", "BillAddr.City"),
                    ("state", "BillAddr.CountrySubDivisionCode"), ("zip", "BillAddr.PostalCode"),
                    ("country", "BillAddr.Country"))


@cache
def _default_mappings() -> dict[SyncObject, tuple[FieldMapping, ...]]:
    email = Transform(case=TextCase.LOWER)
    return {
        SyncObject.CONTACTS: (
            _m("first-name", "firstname", "GivenName"),
            _m("last-name", "lastname", "FamilyName"),
            _m("display-name", DISPLAY_NAME_PROPERTY, "DisplayName"),
            _m("company-name", "company", "CompanyName"),
            _m("email", "email", "PrimaryEmailAddr.Address", email),
            _m("phone", "phone", "PrimaryPhone.FreeFormNumber"),
            _m("mobile", "mobilephone", "Mobile.FreeFormNumber"),
            *(_m(f"billing-{prop}", prop, field) for prop, field in _BILLING_ADDRESS),
            _m("website", "website", "WebAddr.URI"),
            _m("notes", NOTES_PROPERTY, "Notes"),
        ),
        SyncObject.COMPANIES: (
            _m("company-name", "name", "CompanyName"),
            _m("website", "website", "WebAddr.URI"),
            *(_m(f"billing-{prop}", prop, field) for prop, field in _BILLING_ADDRESS),
            _m("phone", "phone", "PrimaryPhone.FreeFormNumber"),
        ),
        SyncObject.PRODUCTS: (
            _m("name", "name", "Name"),
            _m("sku", "hs_sku", "Sku"),
            _m("description", "description", "Description"),
            _m("unit-price", "price", "UnitPrice"),
            _m("purchase-cost", "hs_cost_of_goods_sold", "PurchaseCost"),
            _m("type", ITEM_TYPE_PROPERTY, "Type", Transform(value_map={
                "Inventory": "inventory", "NonInventory": "non_inventory", "Service": "service",
                "Category": "category", "Group": "group", "Bundle": "bundle"})),
            _m("active", ACTIVE_PROPERTY, "Active"),
        ),
    }


def default_mappings(sync_object: SyncObject) -> tuple[FieldMapping, ...]:
    return _default_mappings()[sync_object]


@cache
def default_behaviour() -> SyncBehaviour:
    return SyncBehaviour(inactive_property=ACTIVE_PROPERTY)


def _bool_property(object_type: str) -> PropertySpec:
    return PropertySpec(name=ACTIVE_PROPERTY, label="Active in QuickBooks", type="bool",
                        field_type="booleancheckbox", group_name=SYNC_GROUP,
                        description=f"False once the QuickBooks record behind this {object_type} is deleted or "
                                    "made inactive",
                        options=(PropertyOption(label="Yes", value="true"), PropertyOption(label="No", value="false")))


def _reference_property() -> PropertySpec:
    return PropertySpec(name=QBO_REFERENCE_PROPERTY, label="QuickBooks record", type="string", field_type="text",
                        group_name=SYNC_GROUP, has_unique_value=True,
                        description="The QuickBooks company and record this syncs from (set by HubBooks)")


def _text(name: str, label: str, field_type: str = "text") -> PropertySpec:
    return PropertySpec(name=name, label=label, type="string", field_type=field_type, group_name=SYNC_GROUP)


@cache
def _hubbooks_properties() -> dict[SyncObject, tuple[PropertySpec, ...]]:
    return {
        SyncObject.CONTACTS: (_reference_property(), _bool_property("contact"),
                              _text(DISPLAY_NAME_PROPERTY, "QuickBooks display name"),
                              _text(NOTES_PROPERTY, "QuickBooks notes", "textarea")),
        SyncObject.COMPANIES: (_reference_property(), _bool_property("company")),
        SyncObject.PRODUCTS: (
            _reference_property(), _bool_property("product"),
            PropertySpec(name=ITEM_TYPE_PROPERTY, label="QuickBooks item type", type="enumeration", field_type="select",
                         group_name=SYNC_GROUP, options=tuple(
                             PropertyOption(label=label, value=value) for value, label in (
                                 ("inventory", "Inventory"), ("non_inventory", "Non-inventory"), ("service", "Service"),
                                 ("category", "Category"), ("group", "Group"), ("bundle", "Bundle"))))),
    }


def hubbooks_properties(sync_object: SyncObject) -> tuple[PropertySpec, ...]:
    return _hubbooks_properties()[sync_object]


def __getattr__(name: str) -> Any:
    """The defaults as constants (DEFAULT_MAPPINGS, DEFAULT_BEHAVIOUR, HUBBOOKS_PROPERTIES), built on first access."""
    if name == "DEFAULT_MAPPINGS":
        return _default_mappings()
    if name == "DEFAULT_BEHAVIOUR":
        return default_behaviour()
    if name == "HUBBOOKS_PROPERTIES":
        return _hubbooks_properties()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
