"""The contact and product sync's change appliers (QuickBooks customers and items), for the change engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.wiring.sync import sync_ports
from hubbooks.domain.changes.ports import ChangeApplier
from hubbooks.domain.sync.applier import sync_appliers

if TYPE_CHECKING:
    from hubbooks.domain.connect.ports import ConnectionStore


def appliers(deadline: Deadline | None = None, connections: ConnectionStore | None = None) -> list[ChangeApplier]:
    """Over the sync's own ports (the sync's HubSpot budget); `connections` is shared with the change engine, so a
    company's connection is read once per batch."""
    return list(sync_appliers(sync_ports(deadline, connections)))
