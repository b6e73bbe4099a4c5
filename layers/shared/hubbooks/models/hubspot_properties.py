"""HubSpot property definitions and groups, as we create them (spec PropertyCreate) or read them back (spec Property).

Apart from models/hubspot.py: only installing the app (the deal and record properties) and the sync settings (the
mappable fields) use them, so the workers' messages never define them.
"""


from typing import Any, Literal

from pydantic import Field

from hubbooks.models.hubspot import HubSpotShape


class PropertyOption(HubSpotShape):
    label: str
    value: str
    display_order: int = Field(default=-1, alias="displayOrder")
    hidden: bool = False


class PropertyGroupSpec(HubSpotShape):
    name: str
    label: str
    display_order: int = Field(default=-1, alias="displayOrder")


class PropertySpec(HubSpotShape):
    """A property definition to create (spec PropertyCreate) or as read back (spec Property)."""

    name: str
    label: str
    type: Literal["bool", "date", "datetime", "enumeration", "number", "phone_number", "string"]
    field_type: str = Field(alias="fieldType")
    group_name: str = Field(alias="groupName")
    description: str | None = None
    options: tuple[PropertyOption, ...] = ()
    number_display_hint: str | None = Field(default=None, alias="numberDisplayHint")
    has_unique_value: bool = Field(default=False, alias="hasUniqueValue")
    display_order: int = Field(default=-1, alias="displayOrder")

    def to_wire(self) -> dict[str, Any]:
        body = self.model_dump(by_alias=True, exclude_none=True)
        if not self.options:
            body.pop("options")
        return body
