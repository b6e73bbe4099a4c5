"""A synced QuickBooks record's HubSpot record, in a module of its own: auto-linking reads these links without the
rest of the sync's models (models/sync.py)."""


from datetime import datetime
from typing import Literal

from pydantic import ConfigDict

from hubbooks.models.base import Model
from hubbooks.models.sync_object import SyncObject


class RecordLink(Model):
    """A QuickBooks record and the HubSpot record it syncs to; every later change goes to the same record."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    object: SyncObject
    qbo_id: str
    hubspot_id: str
    matched_by: Literal["created", "link", "email", "domain", "name", "sku", "admin"]
    linked_at: datetime
    digest: str | None = None  # of the properties last written: an unchanged record is not written again
    # The HubSpot change last sent to QuickBooks (two-way): "most recent change wins" compares QuickBooks' later
    # changes with it, and the digest above is then what QuickBooks now maps to, so our own write never bounces back.
    hubspot_changed_at: datetime | None = None
