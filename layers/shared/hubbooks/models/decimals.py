"""Money, quantities, rates and percentages cross our API as decimal strings ("12.50"): JSON numbers are binary
floats in most clients and would round amounts. Inputs may still be sent as JSON numbers; answers are always strings
in plain notation (never "1E+2"), as the pattern in the OpenAPI document says."""


from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer, WithJsonSchema

DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"

DecimalString = Annotated[
    Decimal,
    PlainSerializer(lambda value: format(value, "f"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_PATTERN, "examples": ["12.50"],
                    "description": "A decimal number written as a string"}),
]
