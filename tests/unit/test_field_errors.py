"""Validation errors in words: labels a person recognises, and a plain requirement for every pattern the API uses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from hubbooks.api.field_errors import PATTERN_HINTS, field_label, field_problem
from hubbooks.models.invoice_wizard import InvoiceDraft

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def _patterns(node: Any) -> set[str]:
    if isinstance(node, dict):
        found = {node["pattern"]} if isinstance(node.get("pattern"), str) else set()
        return found.union(*(_patterns(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_patterns(value) for value in node))
    return set()


def test_every_pattern_in_the_api_has_words() -> None:
    patterns = _patterns(json.loads(OPENAPI.read_text()))
    assert patterns and patterns <= set(PATTERN_HINTS), patterns - set(PATTERN_HINTS)


@pytest.mark.parametrize(("location", "label"), [
    (("body", "lines", 0, "quantity"), "Line 1: quantity"),
    (("body", "lines", 11, "tax_code_id"), "Line 12: tax code"),
    (("body", "invoice_ids", 2), "Invoice 3"),
    (("query", "realmId"), "QuickBooks company"),
    (("body", "some_new_field"), "some new field"),
])
def test_labels_read_as_the_card_names_fields(location: tuple[Any, ...], label: str) -> None:
    assert field_label(location) == label


def _problems(model: type[BaseModel], data: dict[str, Any]) -> list[dict[str, str]]:
    with pytest.raises(ValidationError) as raised:
        model.model_validate(data)
    return [field_problem(dict(error)) for error in raised.value.errors()]


def test_pydantic_wording_never_reaches_a_person() -> None:
    problems = _problems(InvoiceDraft, {"realm_id": "x'y", "customer_id": "1", "invoice_date": "2026-13-45",
                                        "lines": [{"item_id": "3", "quantity": "-1", "rate": "abc", "extra": 1}]})
    assert {p["field"]: p["message"] for p in problems} == {
        "realm_id": "QuickBooks company must be a QuickBooks company id: up to 32 letters and digits.",
        "invoice_date": "Invoice date must be a date written as YYYY-MM-DD, for example 2026-03-31.",
        "lines.0.quantity": "Line 1: quantity must be greater than 0.",
        "lines.0.rate": "Line 1: rate must be a number, for example 12.50.",
        "lines.0.extra": "Line 1: extra is not accepted here; remove it.",
    }
