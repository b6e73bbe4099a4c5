"""The HubSpot side of the sync's field catalogue, read from the portal (one properties call per object type and
request: the settings page asks for it several times while it renders)."""

from __future__ import annotations

from collections.abc import Sequence

from hubbooks.adapters.hubspot.properties import HubSpotProperties
from hubbooks.domain.connect.hubspot_deal_properties import ensure_properties
from hubbooks.models.hubspot_properties import PropertyGroupSpec, PropertySpec
from hubbooks.models.sync import HubSpotField


class HubSpotSyncCatalogue:
    def __init__(self, properties: HubSpotProperties) -> None:
        self._properties = properties
        self._cache: dict[str, dict[str, HubSpotField]] = {}

    def fields(self, object_type: str) -> dict[str, HubSpotField]:
        if object_type not in self._cache:
            self._cache[object_type] = {f.name: f for f in self._properties.list_fields(object_type)}
        return dict(self._cache[object_type])

    def ensure(self, object_type: str, group_name: str, group_label: str,
               specs: Sequence[PropertySpec]) -> list[str]:
        created = ensure_properties(self._properties, object_type,
                                    PropertyGroupSpec(name=group_name, label=group_label), specs)
        if created:
            self._cache.pop(object_type, None)
        return created
