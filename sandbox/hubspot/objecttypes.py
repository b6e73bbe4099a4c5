"""The CRM object types the simulator serves, with the names and ids HubSpot accepts for each."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.hubspot.errors import HubSpotError


@dataclass(frozen=True)
class ObjectType:
    name: str  # plural API name, e.g. "line_items"
    singular: str  # used in webhook subscription types and v3 association type names
    type_id: str  # e.g. "0-3"
    assoc_key: str  # key under `associations` in a v3 object read
    scope: str | None  # granular scope stem, None when HubSpot has no read/write pair for it
    webhook_prefix: str | None  # classic subscription prefix; None -> generic "object.*" events


OBJECT_TYPES: tuple[ObjectType, ...] = (
    ObjectType("contacts", "contact", "0-1", "contacts", "crm.objects.contacts", "contact"),
    ObjectType("companies", "company", "0-2", "companies", "crm.objects.companies", "company"),
    ObjectType("deals", "deal", "0-3", "deals", "crm.objects.deals", "deal"),
    ObjectType("products", "product", "0-7", "products", "crm.objects.products", "product"),
    # HubSpot's v3 read answers line item associations under the key "line items" (with a space).
    ObjectType("line_items", "line_item", "0-8", "line items", "crm.objects.line_items", "line_item"),
    ObjectType("quotes", "quote", "0-14", "quotes", "crm.objects.quotes", None),
    ObjectType("tasks", "task", "0-27", "tasks", None, None),
    ObjectType("notes", "note", "0-46", "notes", None, None),
    ObjectType("invoices", "invoice", "0-53", "invoices", "crm.objects.invoices", None),
)

_LOOKUP: dict[str, ObjectType] = {}
for _t in OBJECT_TYPES:
    for _alias in (_t.name, _t.singular, _t.type_id):
        _LOOKUP[_alias.lower()] = _t


def resolve(name: str) -> ObjectType:
    found = _LOOKUP.get(name.lower())
    if found is None:
        raise HubSpotError(400, "VALIDATION_ERROR", f"Unable to infer object type from: {name}")
    return found


def by_name(name: str) -> ObjectType:
    return _LOOKUP[name]
