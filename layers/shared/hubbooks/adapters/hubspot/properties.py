"""Property definitions and groups at /crm/properties/2026-03/{type}."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hubbooks.adapters.hubspot.errors import HubSpotConflictError, HubSpotNotFoundError
from hubbooks.adapters.hubspot.transport import HubSpotTransport, segment, versioned
from hubbooks.domain.connect.ports import PropertyExistsError
from hubbooks.models.hubspot_properties import PropertyGroupSpec, PropertySpec

if TYPE_CHECKING:
    from hubbooks.models.sync import HubSpotField


def _properties_path(object_type: str, rest: str = "") -> str:
    return versioned("crm/properties", segment(object_type) + (f"/{rest}" if rest else ""))


class HubSpotProperties:
    def __init__(self, transport: HubSpotTransport) -> None:
        self._transport = transport

    def find_group(self, object_type: str, group_name: str) -> PropertyGroupSpec | None:
        try:
            raw = self._transport.json("GET", _properties_path(object_type, f"groups/{segment(group_name)}"),
                                       action=f"reading the {object_type} property group {group_name}")
        except HubSpotNotFoundError:
            return None
        return PropertyGroupSpec.model_validate(raw)

    def create_group(self, object_type: str, group: PropertyGroupSpec) -> PropertyGroupSpec:
        try:
            raw = self._transport.json("POST", _properties_path(object_type, "groups"),
                                       action=f"creating the {object_type} property group {group.name}",
                                       json=group.model_dump(by_alias=True))
        except HubSpotConflictError as exists:
            raise PropertyExistsError(f"The {object_type} property group {group.name} already exists.") from exists
        return PropertyGroupSpec.model_validate(raw)

    def list_names(self, object_type: str) -> set[str]:
        """Names of the live properties of a type (one call; HubSpot answers every property at once)."""
        raw: dict[str, Any] = self._transport.json("GET", _properties_path(object_type),
                                                   action=f"listing {object_type} properties")
        return {str(p["name"]) for p in raw.get("results") or [] if p.get("name")}

    def list_fields(self, object_type: str) -> list[HubSpotField]:
        """Every live property of a type with what mapping needs: type, options, read-only or calculated."""
        raw: dict[str, Any] = self._transport.json("GET", _properties_path(object_type),
                                                   action=f"listing {object_type} properties")
        return [_field_of(p) for p in raw.get("results") or [] if p.get("name") and not p.get("archived")]

    def find(self, object_type: str, name: str) -> PropertySpec | None:
        try:
            raw = self._transport.json("GET", _properties_path(object_type, segment(name)),
                                       action=f"reading the {object_type} property {name}")
        except HubSpotNotFoundError:
            return None
        return PropertySpec.model_validate(raw)

    def create(self, object_type: str, spec: PropertySpec) -> PropertySpec:
        try:
            raw = self._transport.json("POST", _properties_path(object_type), json=spec.to_wire(),
                                       action=f"creating the {object_type} property {spec.name}")
        except HubSpotConflictError as exists:
            raise PropertyExistsError(f"The {object_type} property {spec.name} already exists.") from exists
        return PropertySpec.model_validate(raw)


def _field_of(raw: dict[str, Any]) -> HubSpotField:
    """Spec `Property`: modificationMetadata.readOnlyValue says HubSpot refuses writes; `calculated` (default
    properties) and fieldType calculation_equation (custom ones) that HubSpot computes the value."""
    from hubbooks.models.sync import HubSpotField  # the sync's catalogue alone reads fields: no cold start pays for it

    metadata = raw.get("modificationMetadata") or {}
    return HubSpotField(
        name=str(raw["name"]), label=str(raw.get("label") or raw["name"]), type=str(raw.get("type") or "string"),
        field_type=str(raw.get("fieldType") or "text"),
        options=tuple(str(o["value"]) for o in raw.get("options") or [] if o.get("value") is not None),
        read_only=bool(metadata.get("readOnlyValue")), calculated=bool(raw.get("calculated")),
        unique=bool(raw.get("hasUniqueValue")), number_display_hint=raw.get("numberDisplayHint"))
