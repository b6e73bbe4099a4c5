"""HubSpot values back into QuickBooks fields (two-way sync): the reverse of transforms.py, with QuickBooks' own
limits checked first so a value QuickBooks would refuse is kept with a plain reason instead of a fault.

Values are compared the way they travel forward: a HubSpot value is sent only when, turned into a QuickBooks value and
back, it differs from what QuickBooks holds now. So case and spacing rules (say a lower-cased e-mail) or number
formatting never cause a write, and a value we wrote ourselves never goes back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from hubbooks.domain.sync.qbo_fields import QboField, as_decimal, read_value
from hubbooks.domain.sync.transforms import ValueRejectedError, convert
from hubbooks.models.sync import FieldKind, FieldMapping, HubSpotField, Transform

# Lengths from Intuit's API reference for Customer (NameBase) and Item: longer values are refused by QuickBooks.
MAX_LENGTHS = {"DisplayName": 500, "Title": 16, "GivenName": 100, "MiddleName": 100, "FamilyName": 100,
               "Suffix": 16, "CompanyName": 100, "PrintOnCheckName": 110, "PrimaryEmailAddr.Address": 100,
               "Notes": 2000, "Name": 100, "Sku": 100, "Description": 4000, "PurchaseDesc": 1000,
               "WebAddr.URI": 1000, "ResaleNum": 16, "BusinessNumber": 10}
_ADDRESS_LIMITS = {"Line1": 500, "Line2": 500, "Line3": 500, "City": 255, "CountrySubDivisionCode": 255,
                   "PostalCode": 30, "Country": 255}
_PHONE_LIMIT = 30
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
Usable = Sequence[tuple[FieldMapping, QboField, HubSpotField]]


def _limit(path: str) -> int | None:
    if path in MAX_LENGTHS:
        return MAX_LENGTHS[path]
    head, _, part = path.partition(".")
    if head.endswith("Addr") and part in _ADDRESS_LIMITS:
        return _ADDRESS_LIMITS[part]
    return _PHONE_LIMIT if path.endswith(".FreeFormNumber") else None


def _unmapped(text: str, transform: Transform) -> str:
    reverse = {target: source for source, target in transform.value_map.items()}
    return reverse.get(text, text)


def to_qbo_value(text: str, field: QboField, prop: HubSpotField, transform: Transform) -> Any:
    """The QuickBooks value for a HubSpot property value. Raises ValueRejectedError, naming the field and the rule."""
    value = text.strip() if transform.trim else text
    if field.kind is FieldKind.BOOLEAN:
        if prop.type == "bool":
            return value.lower() == "true"
        source = _unmapped(value, transform)
        if source == (transform.true_value or "true"):
            return True
        if source == (transform.false_value or "false"):
            return False
        raise ValueRejectedError(f"HubSpot value '{value}' is neither the yes nor the no value of {field.label}")
    if field.kind in (FieldKind.NUMBER, FieldKind.MONEY):
        number = as_decimal(value)
        if number is None or not number.is_finite():
            raise ValueRejectedError(f"{field.label} must be a number, and HubSpot has '{value}'")
        return int(number) if number == number.to_integral_value() and field.kind is FieldKind.NUMBER \
            else float(number)
    if field.kind is FieldKind.DATE:
        try:
            return (date.fromisoformat(value) if len(value) == 10
                    else datetime.fromisoformat(value.replace("Z", "+00:00")).date()).isoformat()
        except ValueError as exc:
            raise ValueRejectedError(f"{field.label} must be a date, and HubSpot has '{value}'") from exc
    value = _unmapped(value, transform)
    if field.kind is FieldKind.ENUM and value not in field.options:
        raise ValueRejectedError(f"QuickBooks {field.label} accepts only {', '.join(field.options)}; HubSpot has "
                                 f"'{value}' (add it to the mapping's value map)")
    if field.kind is FieldKind.EMAIL and not _EMAIL.fullmatch(value):
        raise ValueRejectedError(f"'{value}' is not an e-mail address QuickBooks accepts ({field.label})")
    if field.path == "DisplayName" and ":" in value:
        raise ValueRejectedError("QuickBooks display names cannot contain ':' (it separates sub-customers)")
    limit = _limit(field.path)
    if limit is not None and len(value) > limit:
        raise ValueRejectedError(f"{field.label} may be at most {limit} characters in QuickBooks; HubSpot has "
                                 f"{len(value)}")
    return value


def forward(value: Any, field: QboField, prop: HubSpotField, transform: Transform, currency: str) -> str | None:
    """A QuickBooks value as the HubSpot value it syncs to (None when it has none or cannot convert)."""
    try:
        return convert(value, field, prop, transform, currency=currency)
    except ValueRejectedError:
        return None


def set_path(changes: dict[str, Any], current: Mapping[str, Any], path: str, value: Any) -> None:
    """Put a value at a dotted path of a sparse update. A nested aggregate (an address, an e-mail) is sent whole,
    starting from QuickBooks' current one, so its other parts are kept."""
    head, _, part = path.partition(".")
    if not part:
        changes[head] = value
        return
    base = changes.get(head) or dict(current.get(head) or {})
    base[part] = value
    changes[head] = base


def changes_for(properties: Mapping[str, str | None], current: Mapping[str, Any], usable: Usable,
                currency: str) -> dict[str, Any]:
    """The sparse update that brings QuickBooks to HubSpot's values for `usable` mappings ({} when it has them).

    An empty HubSpot value never blanks QuickBooks (as an empty QuickBooks value never blanks HubSpot)."""
    changes: dict[str, Any] = {}
    for mapping, field, prop in usable:
        text = properties.get(mapping.hubspot_property)
        if text is None or not str(text).strip():
            continue
        wanted = to_qbo_value(str(text), field, prop, mapping.transform)
        if forward(wanted, field, prop, mapping.transform, currency) == forward(
                read_value(current, field.path), field, prop, mapping.transform, currency):
            continue
        set_path(changes, current, field.path, wanted)
    return changes
