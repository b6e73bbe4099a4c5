"""QuickBooks values become the strings HubSpot stores, as the mapping's transform says."""

from __future__ import annotations

import pytest

from hubbooks.domain.sync.qbo_fields import QboField
from hubbooks.domain.sync.transforms import ValueRejectedError, convert
from hubbooks.models.sync import FieldKind, TextCase, Transform
from tests.unit.sync.fakes import prop

TEXT = QboField("DisplayName", "Display name", FieldKind.TEXT)
MONEY = QboField("UnitPrice", "Sales price", FieldKind.MONEY)
DATE = QboField("MetaData.CreateTime", "Created", FieldKind.DATE)
FLAG = QboField("Active", "Active", FieldKind.BOOLEAN)
TYPE = QboField("Type", "Type", FieldKind.ENUM, ("Inventory", "Service"))


def test_text_is_trimmed_and_its_case_changed():
    assert convert("  jane   DOE ", TEXT, prop("x"), Transform(case=TextCase.TITLE), currency="USD") == "Jane Doe"
    assert convert("A@B.test", TEXT, prop("x"), Transform(case=TextCase.LOWER), currency="USD") == "a@b.test"
    assert convert("  keep  ", TEXT, prop("x"), Transform(trim=False), currency="USD") == "  keep  "
    assert convert("   ", TEXT, prop("x"), Transform(), currency="USD") is None
    assert convert(None, TEXT, prop("x"), Transform(), currency="USD") is None


def test_amounts_round_to_the_company_currency_unless_told_otherwise():
    assert convert(12.345, MONEY, prop("price", "number"), Transform(), currency="USD") == "12.35"
    assert convert("1999.5", MONEY, prop("price", "number"), Transform(), currency="JPY") == "2000"
    assert convert("3.14159", MONEY, prop("price", "number"), Transform(decimals=3), currency="USD") == "3.142"
    with pytest.raises(ValueRejectedError, match="not a number"):
        convert("abc", MONEY, prop("price", "number"), Transform(), currency="USD")


def test_dates_keep_the_quickbooks_day_or_become_utc_instants():
    stamp = "2026-03-01T20:30:00-08:00"
    assert convert(stamp, DATE, prop("d", "date"), Transform(), currency="USD") == "2026-03-01"
    assert convert(stamp, DATE, prop("d", "datetime"), Transform(), currency="USD") == "2026-03-02T04:30:00.000Z"
    assert convert("2026-03-01", DATE, prop("d", "date"), Transform(), currency="USD") == "2026-03-01"
    with pytest.raises(ValueRejectedError, match="not a date"):
        convert("yesterday", DATE, prop("d", "date"), Transform(), currency="USD")


def test_booleans_become_checkboxes_words_or_options():
    assert convert(False, FLAG, prop("b", "bool"), Transform(), currency="USD") == "false"
    assert convert(True, FLAG, prop("s"), Transform(true_value="Active", false_value="Inactive"),
                   currency="USD") == "Active"
    status = prop("status", "enumeration", options=["active", "inactive"])
    assert convert(False, FLAG, status, Transform(value_map={"true": "active", "false": "inactive"}),
                   currency="USD") == "inactive"


def test_option_values_are_mapped_and_unknown_ones_refused():
    kind = prop("kind", "enumeration", options=["inventory", "service"])
    assert convert("Service", TYPE, kind, Transform(value_map={"Service": "service"}), currency="USD") == "service"
    with pytest.raises(ValueRejectedError, match="has no option"):
        convert("Inventory", TYPE, kind, Transform(value_map={"Service": "service"}), currency="USD")
