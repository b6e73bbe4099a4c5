"""Money, quantities, rates and percentages cross our API as decimal strings ("12.50"): JSON numbers are binary
floats in most clients and would round amounts. Inputs may still be sent as JSON numbers; answers are always strings
in plain notation (never "1E+2"), as the pattern in the OpenAPI document says."""


from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, cast

from pydantic import WithJsonSchema
from pydantic_core import core_schema

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler

DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"


def _plain_notation(value: Decimal) -> str:
    return format(value, "f")


class _PlainNotationInJson:
    """What `PlainSerializer(_plain_notation, return_type=str, when_used="json")` does, through pydantic's core-schema
    hook: PlainSerializer's module defines several frozen dataclasses (1.6 ms), which only this type would load in
    the sync worker's first message."""

    def __get_pydantic_core_schema__(self, source: Any, handler: "GetCoreSchemaHandler") -> core_schema.CoreSchema:
        serialization = core_schema.plain_serializer_function_ser_schema(
            _plain_notation, return_schema=core_schema.str_schema(), when_used="json")
        return cast("core_schema.CoreSchema", {**handler(source), "serialization": serialization})


DecimalString = Annotated[
    Decimal,
    _PlainNotationInJson(),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_PATTERN, "examples": ["12.50"],
                    "description": "A decimal number written as a string"}),
]
