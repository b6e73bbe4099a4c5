"""Amounts cross our API as decimal strings in plain notation (models/decimals.py), read from strings or numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel

from hubbooks.models.decimals import DECIMAL_PATTERN, DecimalString

REPO = Path(__file__).resolve().parents[2]


class Amounts(BaseModel):
    amount: DecimalString
    rate: DecimalString | None = None


def test_json_answers_are_plain_decimal_strings_and_python_dumps_keep_decimals() -> None:
    amounts = Amounts(amount=Decimal("1E+2"), rate="12.50")
    assert json.loads(amounts.model_dump_json()) == {"amount": "100", "rate": "12.50"}
    assert amounts.model_dump() == {"amount": Decimal("100"), "rate": Decimal("12.50")}
    assert Amounts.model_validate_json('{"amount": 3.5}').amount == Decimal("3.5")


def test_the_json_schema_says_string_with_the_decimal_pattern() -> None:
    schema = Amounts.model_json_schema(mode="serialization")["properties"]["amount"]
    assert schema["type"] == "string" and schema["pattern"] == DECIMAL_PATTERN


def test_decimal_strings_do_not_load_pydantics_serializer_dataclasses() -> None:
    """pydantic.functional_serializers defines frozen dataclasses (about 1.6 ms): the sync worker's first message
    would load it for this type alone."""
    probe = "import sys, hubbooks.models.invoicing; print('pydantic.functional_serializers' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", probe], env={"PYTHONPATH": str(REPO / "layers" / "shared")},
                          capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "False"
