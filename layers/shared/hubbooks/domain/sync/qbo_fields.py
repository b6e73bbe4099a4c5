"""The QuickBooks side of the field catalogue: Customer and Item fields, with nested address parts.

Hand-written from the facts of Intuit's entity definitions (IntuitNamesTypes.xsd `NameBase`/`Customer`,
Finance.xsd `Item`, IntuitBaseTypes.xsd `PhysicalAddress`, `EmailAddress`, `TelephoneNumber`, `WebSiteAddress`,
`CustomField`; see tests/unit/sync/test_qbo_fields.py, which checks every path against the XSD copies in
tests/unit/sync/xsd_facts.json). Only fields an accountant would map are listed: references (accounts, tax
codes) and internal flags are left out. Custom fields are not in the definitions' fixed shape: a company's
custom fields are discovered from its records (`CustomField[]` with `DefinitionId`, `Name`, `Type`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from hubbooks.models.sync import FieldKind, SyncObject

CUSTOM_FIELD_PREFIX = "CustomField:"
ITEM_TYPES = ("Inventory", "NonInventory", "Service", "Category", "Group", "Bundle")  # ItemTypeEnum values QBO
# returns for sellable items; Finance.xsd lists more (Assembly, Fixed Asset, ...) that QuickBooks Online never
# returns for items in a product list.
DELIVERY_METHODS = ("Print", "Email", "None")


@dataclass(frozen=True)
class QboField:
    path: str  # dotted path into the entity's JSON, e.g. "BillAddr.City"
    label: str
    kind: FieldKind
    options: tuple[str, ...] = ()  # for ENUM
    calculated: bool = False  # QuickBooks computes it (balances): readable, never written back

    def to_view(self) -> dict[str, Any]:
        return {"path": self.path, "label": self.label, "kind": self.kind.value, "options": list(self.options),
                "calculated": self.calculated}


def _address(prefix: str, label: str) -> list[QboField]:
    parts = [("Line1", "street"), ("Line2", "street line 2"), ("Line3", "street line 3"), ("City", "city"),
             ("CountrySubDivisionCode", "state/region"), ("PostalCode", "postal code"), ("Country", "country")]
    return [QboField(f"{prefix}.{part}", f"{label} {words}", FieldKind.TEXT) for part, words in parts]


_NAME_BASE = [
    QboField("DisplayName", "Display name", FieldKind.TEXT),
    QboField("Title", "Title", FieldKind.TEXT),
    QboField("GivenName", "First name", FieldKind.TEXT),
    QboField("MiddleName", "Middle name", FieldKind.TEXT),
    QboField("FamilyName", "Last name", FieldKind.TEXT),
    QboField("Suffix", "Suffix", FieldKind.TEXT),
    QboField("CompanyName", "Company name", FieldKind.TEXT),
    QboField("PrintOnCheckName", "Name on cheques", FieldKind.TEXT),
    QboField("Active", "Active", FieldKind.BOOLEAN),
    QboField("PrimaryEmailAddr.Address", "Email", FieldKind.EMAIL),
    QboField("PrimaryPhone.FreeFormNumber", "Phone", FieldKind.PHONE),
    QboField("AlternatePhone.FreeFormNumber", "Other phone", FieldKind.PHONE),
    QboField("Mobile.FreeFormNumber", "Mobile", FieldKind.PHONE),
    QboField("Fax.FreeFormNumber", "Fax", FieldKind.PHONE),
    QboField("WebAddr.URI", "Website", FieldKind.URL),
]

CUSTOMER_FIELDS: tuple[QboField, ...] = (
    *_NAME_BASE,
    *_address("BillAddr", "Billing"),
    *_address("ShipAddr", "Shipping"),
    QboField("Notes", "Notes", FieldKind.TEXT),
    QboField("Taxable", "Taxable", FieldKind.BOOLEAN),
    QboField("Balance", "Open balance", FieldKind.MONEY, calculated=True),
    QboField("BalanceWithJobs", "Open balance with sub-customers", FieldKind.MONEY, calculated=True),
    QboField("OpenBalanceDate", "Opening balance date", FieldKind.DATE),
    QboField("CurrencyRef.value", "Currency", FieldKind.TEXT),
    QboField("PreferredDeliveryMethod", "Preferred delivery", FieldKind.ENUM, DELIVERY_METHODS),
    QboField("ResaleNum", "Resale number", FieldKind.TEXT),
    QboField("BusinessNumber", "Business number", FieldKind.TEXT),
    QboField("MetaData.CreateTime", "Created in QuickBooks", FieldKind.DATE, calculated=True),
    QboField("MetaData.LastUpdatedTime", "Last changed in QuickBooks", FieldKind.DATE, calculated=True),
    QboField("Id", "QuickBooks customer id", FieldKind.TEXT, calculated=True),
)

ITEM_FIELDS: tuple[QboField, ...] = (
    QboField("Name", "Name", FieldKind.TEXT),
    QboField("Sku", "SKU", FieldKind.TEXT),
    QboField("Description", "Sales description", FieldKind.TEXT),
    QboField("PurchaseDesc", "Purchase description", FieldKind.TEXT),
    QboField("UnitPrice", "Sales price", FieldKind.MONEY),
    QboField("PurchaseCost", "Purchase cost", FieldKind.MONEY),
    QboField("Type", "Type", FieldKind.ENUM, ITEM_TYPES),
    QboField("Active", "Active", FieldKind.BOOLEAN),
    QboField("Taxable", "Taxable", FieldKind.BOOLEAN),
    QboField("QtyOnHand", "Quantity on hand", FieldKind.NUMBER, calculated=True),
    QboField("ReorderPoint", "Reorder point", FieldKind.NUMBER),
    QboField("InvStartDate", "Inventory start date", FieldKind.DATE),
    QboField("FullyQualifiedName", "Full name (with category)", FieldKind.TEXT, calculated=True),
    QboField("MetaData.CreateTime", "Created in QuickBooks", FieldKind.DATE, calculated=True),
    QboField("MetaData.LastUpdatedTime", "Last changed in QuickBooks", FieldKind.DATE, calculated=True),
    QboField("Id", "QuickBooks item id", FieldKind.TEXT, calculated=True),
)

_CUSTOM_KINDS = {"StringType": FieldKind.TEXT, "NumberType": FieldKind.NUMBER, "DateType": FieldKind.DATE,
                 "BooleanType": FieldKind.BOOLEAN}
_CUSTOM_VALUE_KEYS = ("StringValue", "NumberValue", "DateValue", "BooleanValue")


def standard_fields(sync_object: SyncObject) -> tuple[QboField, ...]:
    return ITEM_FIELDS if sync_object is SyncObject.PRODUCTS else CUSTOMER_FIELDS


def custom_fields_seen(records: Iterable[Mapping[str, Any]]) -> list[QboField]:
    """The custom fields a company's records carry, one per DefinitionId (first name seen wins)."""
    found: dict[str, QboField] = {}
    for record in records:
        for custom in record.get("CustomField") or []:
            definition = str(custom.get("DefinitionId") or "").strip()
            if not definition or definition in found:
                continue
            kind = _CUSTOM_KINDS.get(str(custom.get("Type")), FieldKind.TEXT)
            name = str(custom.get("Name") or f"Custom field {definition}")
            found[definition] = QboField(f"{CUSTOM_FIELD_PREFIX}{definition}", f"{name} (custom field)", kind)
    return sorted(found.values(), key=lambda field: field.path)


def find_field(sync_object: SyncObject, path: str, custom: Iterable[QboField] = ()) -> QboField | None:
    for field in (*standard_fields(sync_object), *custom):
        if field.path == path:
            return field
    return None


def read_value(record: Mapping[str, Any], path: str) -> Any:
    """The raw value at a catalogue path (None when absent); custom fields by their definition id."""
    if path.startswith(CUSTOM_FIELD_PREFIX):
        definition = path[len(CUSTOM_FIELD_PREFIX):]
        for custom in record.get("CustomField") or []:
            if str(custom.get("DefinitionId")) == definition:
                return next((custom[key] for key in _CUSTOM_VALUE_KEYS if custom.get(key) is not None), None)
        return None
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, Mapping):
            return None
        value = value.get(part)
    return value


def as_decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        return None
