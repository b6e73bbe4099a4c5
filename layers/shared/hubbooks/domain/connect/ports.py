"""What connecting HubSpot portals and QuickBooks companies needs from the outside world, as small Protocols: the
adapters implement them over DynamoDB and HubSpot's property API, unit tests use in-memory fakes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from hubbooks.domain.errors import ConflictError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import datetime

    from hubbooks.models.connections import ConnectionRef, QboConnection
    from hubbooks.models.hubspot_install import HubSpotInstall
    from hubbooks.models.hubspot_properties import PropertyGroupSpec, PropertySpec


class ConnectionStore(Protocol):
    """The portals' QuickBooks connections (not their tokens, which the TokenStore keeps)."""

    def save(self, connection: QboConnection) -> None: ...
    def get(self, portal_id: int, realm_id: str) -> QboConnection | None: ...
    def list_for_portal(self, portal_id: int) -> list[QboConnection]: ...
    def list_connected(self, portal_id: int) -> list[QboConnection]: ...
    def iter_connected(self) -> Iterator[ConnectionRef]: ...
    def mark_needs_reconnect(self, portal_id: int, realm_id: str, at: datetime) -> bool: ...


class InstallStore(Protocol):
    """The portals' HubSpot installs (not their tokens)."""

    def save(self, install: HubSpotInstall) -> None: ...
    def get(self, portal_id: int) -> HubSpotInstall | None: ...


class PropertyExistsError(ConflictError):
    """The property or property group is already there, e.g. created by a concurrent install."""

    code = "property_exists"


class PropertyApi(Protocol):
    """A portal's property definitions; the creates raise PropertyExistsError for what is already there."""

    def find_group(self, object_type: str, group_name: str) -> PropertyGroupSpec | None: ...
    def create_group(self, object_type: str, group: PropertyGroupSpec) -> PropertyGroupSpec: ...
    def list_names(self, object_type: str) -> set[str]: ...
    def create(self, object_type: str, spec: PropertySpec) -> PropertySpec: ...
