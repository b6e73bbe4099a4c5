"""Turning a QuickBooks value into the string HubSpot stores for a property, following a mapping's transform.

HubSpot takes every property value as a string: numbers as plain decimals, dates as YYYY-MM-DD (midnight UTC),
datetimes as ISO instants, booleans as "true"/"false", options by their internal value.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from hubbooks.domain.sync.qbo_fields import QboField, as_decimal
from hubbooks.models.sync import FieldKind, HubSpotField, TextCase, Transform

# ISO 4217 minor units for the currencies that differ from 2 (QuickBooks amounts carry at most this many).
_CURRENCY_DECIMALS = {"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "HUF": 2, "BHD": 3, "KWD": 3, "OMR": 3,
                      "JOD": 3, "TND": 3}
_SPACES = re.compile(r"\s+")


class ValueRejectedError(ValueError):
    """This record's value cannot become the property's value; the record is kept with this reason."""


def currency_decimals(currency: str) -> int:
    return _CURRENCY_DECIMALS.get(currency.upper(), 2)


def _text(value: Any, transform: Transform) -> str:
    text = str(value)
    if transform.trim:
        text = _SPACES.sub(" ", text).strip()
    if transform.case is TextCase.UPPER:
        text = text.upper()
    elif transform.case is TextCase.LOWER:
        text = text.lower()
    elif transform.case is TextCase.TITLE:
        text = text.title()
    return text


def _number(value: Any, field: QboField, transform: Transform, currency: str) -> Decimal:
    number = as_decimal(value)
    if number is None:
        raise ValueRejectedError(f"{field.label} is not a number ({value!r})")
    places = transform.decimals
    if places is None and field.kind is FieldKind.MONEY:
        places = currency_decimals(currency)
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number


def _plain(number: Decimal) -> str:
    return format(number, "f")


def _boolean(value: Any, field: QboField) -> bool:
    if isinstance(value, bool):
        return value
    lowered = str(value).strip().lower()
    if lowered in ("true", "1", "yes"):
        return True
    if lowered in ("false", "0", "no"):
        return False
    raise ValueRejectedError(f"{field.label} is not yes or no ({value!r})")


def _moment(value: Any, field: QboField) -> datetime:
    text = str(value).strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), datetime.min.time(), tzinfo=UTC)
        parsed = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueRejectedError(f"{field.label} is not a date ({value!r})") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _option(text: str, field: QboField, prop: HubSpotField, transform: Transform) -> str:
    mapped = transform.value_map.get(text, text)
    if prop.options and mapped not in prop.options:
        raise ValueRejectedError(f"{field.label} '{text}' has no option in the HubSpot property {prop.label}; "
                                 "add it to the mapping's value map")
    return mapped


def convert(value: Any, field: QboField, prop: HubSpotField, transform: Transform, *, currency: str) -> str | None:
    """The HubSpot value for a QuickBooks value, or None to leave the property empty (no value in QuickBooks)."""
    if value is None or (isinstance(value, str) and not value.strip() and transform.trim):
        return None
    if field.kind is FieldKind.BOOLEAN:
        flag = _boolean(value, field)
        if prop.type == "bool":
            return "true" if flag else "false"
        text = (transform.true_value or "true") if flag else (transform.false_value or "false")
        return _option(text, field, prop, transform) if prop.type == "enumeration" else text
    if field.kind in (FieldKind.NUMBER, FieldKind.MONEY):
        return _plain(_number(value, field, transform, currency))
    if field.kind is FieldKind.DATE:
        raw = str(value).strip()
        moment = _moment(raw, field)
        if prop.type == "date":  # the calendar day QuickBooks shows, not the UTC one
            return moment.date().isoformat()
        if prop.type == "datetime":
            return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        return raw
    text = _text(value, transform)
    if not text:
        return None
    if prop.type == "enumeration":
        return _option(text, field, prop, transform)
    if prop.type == "number":
        number = as_decimal(text)
        if number is None:
            raise ValueRejectedError(f"{field.label} '{text}' is not a number")
        return _plain(number)
    return text
