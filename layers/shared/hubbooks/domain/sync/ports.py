"""What the sync settings and engine need from the outside world, as small Protocols (fakes in tests)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hubbooks.domain.sync.qbo_fields import QboField
from hubbooks.models.hubspot import PropertySpec
from hubbooks.models.sync import HubSpotField, MappingStats, SyncConfig, SyncObject


class SyncConfigStore(Protocol):
    def get(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> SyncConfig | None: ...

    def save(self, config: SyncConfig) -> SyncConfig:
        """Store `config` if the stored version still equals config.version; return it with the next version.

        Raises SyncConfigChangedError when someone saved in between."""
        ...


class MappingStatsStore(Protocol):
    def stats(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> dict[str, MappingStats]: ...


class HubSpotPropertyCatalogue(Protocol):
    """The portal's properties of one object type (HubSpot answers them all in one call)."""

    def fields(self, object_type: str) -> dict[str, HubSpotField]: ...

    def ensure(self, object_type: str, group_name: str, group_label: str,
               specs: Sequence[PropertySpec]) -> list[str]:
        """Create the group and whichever of `specs` the portal lacks; return the names created."""
        ...


class QboFieldCatalogue(Protocol):
    def custom_fields(self, sync_object: SyncObject) -> list[QboField]:
        """The custom fields this company's records of the object's entity carry."""
        ...


class AdminDirectory(Protocol):
    def is_admin(self, portal_id: int, user_id: int) -> bool: ...
