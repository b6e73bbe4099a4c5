"""Pydantic's validation errors in words a salesperson can act on: the field named as the card names it, what to do.

Pydantic's own messages quote regular expressions and dotted paths ("lines.0.quantity: Input should be greater than
0", "String should match pattern '^[0-9]{1,20}$'", "invalid character in year"); none of that reaches a person.
Each problem keeps its machine path in `field` so the card can still highlight the input.
"""

from __future__ import annotations

import re
from typing import Any

# How the wizard and the settings page call each field (query aliases included).
FIELD_LABELS = {
    "realm_id": "QuickBooks company", "realmId": "QuickBooks company",
    "customer_id": "customer", "item_id": "product or service", "quantity": "quantity", "rate": "rate",
    "tax_code_id": "tax code", "term_id": "terms", "invoice_date": "invoice date", "due_date": "due date",
    "customer_message": "message to the customer", "quote_id": "quote", "quoteId": "quote",
    "submission_id": "submission id", "display_name": "customer name", "company_name": "company name",
    "given_name": "first name", "family_name": "last name", "email": "email address", "currency": "currency",
    "invoice_ids": "invoice", "invoice_id": "invoice", "object_id": "record", "object_type": "record type",
    "deal_id": "deal", "dealId": "deal", "doc_number_prefix": "invoice number prefix", "description": "description",
    "lines": "lines", "link": "preview link", "search": "search text", "assign_doc_numbers": "invoice numbering",
    "hubspot_property": "HubSpot property", "qbo_field": "QuickBooks field", "qbo_id": "QuickBooks record",
    "mapping_id": "mapping",
}
# A list's entries are numbered for people ("Line 2"), from 1.
ENTRY_NAMES = {"lines": "Line", "invoice_ids": "Invoice"}

# What each pattern the API uses asks for, in words (the pattern itself is never shown).
PATTERN_HINTS = {
    r"^[0-9]{1,20}$": "must be a number of up to 20 digits",
    r"^[0-9]+$": "must be a number (digits only)",
    r"^[0-9]{1,32}$": "must be a QuickBooks company id: a number of up to 32 digits",
    r"^[0-9A-Za-z]{1,32}$": "must be a QuickBooks company id: up to 32 letters and digits",
    r"^[A-Z]{3}$": "must be a three-letter currency code such as USD",
    r"^[^@\s]+@[^@\s]+\.[^@\s]+$": "must be an email address such as name@yourcompany.com",
    r"^[A-Za-z0-9_-]{8,64}$": "must be 8 to 64 letters, digits, dashes or underscores",
    r"^-?[0-9]+(\.[0-9]+)?$": "must be a number with a dot before any decimals, for example 12.50",
    r"^[0-9A-Za-z_-]{1,40}$": "must be a QuickBooks record id: up to 40 letters, digits, dashes or underscores",
    r"^[a-z0-9_-]{1,64}$": "must be a mapping id: up to 64 lower-case letters, digits, dashes or underscores",
    r"^[A-Za-z0-9_]+$": "must be a HubSpot property's internal name: letters, digits and underscores",
}

DATE_HINT = "must be a date written as YYYY-MM-DD, for example 2026-03-31"
NUMBER_HINT = "must be a number, for example 12.50"
_DATE_TYPES = {"date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type",
               "datetime_parsing", "datetime_from_date_parsing", "datetime_type", "date_past", "date_future"}
_NUMBER_TYPES = {"decimal_parsing", "decimal_type", "float_parsing", "float_type", "int_parsing", "int_type",
                 "int_from_float", "finite_number", "decimal_max_digits", "decimal_whole_digits"}
_LOCATIONS = ("body", "query", "path", "header")


def field_label(location: tuple[Any, ...]) -> str:
    """("body", "lines", 0, "quantity") -> "Line 1: quantity"; ("query", "realmId") -> "QuickBooks company"."""
    parts = list(location)
    if parts and parts[0] in _LOCATIONS and len(parts) > 1:
        parts = parts[1:]
    segments: list[str] = []
    previous: Any = None
    for part in parts:
        if isinstance(part, int):
            entry = ENTRY_NAMES.get(str(previous))
            if entry and segments:
                segments[-1] = f"{entry} {part + 1}"
            elif segments:
                segments[-1] = f"{segments[-1]} {part + 1}"
            else:
                segments.append(f"entry {part + 1}")
        else:
            segments.append(_name_in_words(str(part)))
        previous = part
    return ": ".join(segments) or "request"


def _name_in_words(name: str) -> str:
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    spaced = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).replace("_", " ")
    return spaced.lower()


def problem_in_words(item: dict[str, Any]) -> str:
    """What is wrong with the value and what to enter instead, without pydantic's wording."""
    kind = str(item.get("type", ""))
    ctx: dict[str, Any] = item.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return "is not accepted here; remove it"
    if kind in _DATE_TYPES:
        return DATE_HINT
    if kind == "decimal_max_places":
        return f"can have at most {ctx.get('decimal_places')} decimal places"
    if kind in _NUMBER_TYPES:
        return NUMBER_HINT
    bounds = {"greater_than": "must be greater than {gt}", "greater_than_equal": "must be {ge} or more",
              "less_than": "must be less than {lt}", "less_than_equal": "must be {le} or less"}
    if kind in bounds:
        return bounds[kind].format(**{key: _plain_number(value) for key, value in ctx.items()})
    if kind == "string_too_short":
        return "must not be empty" if ctx.get("min_length") == 1 else \
            f"must be at least {ctx.get('min_length')} characters"
    if kind == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if kind == "too_short":
        return "needs at least one entry" if ctx.get("min_length") == 1 else \
            f"needs at least {ctx.get('min_length')} entries"
    if kind == "too_long":
        return f"can have at most {ctx.get('max_length')} entries"
    if kind == "string_pattern_mismatch":
        return PATTERN_HINTS.get(str(ctx.get("pattern")), "is not in the expected format; check it for typos")
    if kind in ("enum", "literal_error"):
        return f"must be one of {ctx.get('expected')}"
    if kind in ("bool_parsing", "bool_type"):
        return "must be true or false"
    if kind in ("string_type", "string_unicode"):
        return "must be text"
    if kind == "list_type":
        return "must be a list"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "must be an object with named fields"
    if kind in ("value_error", "assertion_error") and ctx.get("error"):
        return str(ctx["error"])  # our own validators already speak in words
    return "has a value that is not accepted; check it and try again"


def _plain_number(value: Any) -> str:
    text = str(value)
    return text[:-2] if text.endswith(".0") else text


def field_problem(item: dict[str, Any]) -> dict[str, str]:
    """One validation error as {"field": machine path, "label": words, "message": sentence for a person}."""
    location = tuple(item.get("loc", ()))
    label = field_label(location)
    sentence = f"{label[:1].upper()}{label[1:]} {problem_in_words(item)}."
    return {"field": machine_path(location), "label": label, "message": sentence}


def machine_path(location: tuple[Any, ...]) -> str:
    parts = [str(part) for part in location]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:] or parts
    return ".".join(parts)
