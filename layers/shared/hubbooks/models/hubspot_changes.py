"""How far the HubSpot-side reconciliation (HubSpot -> QuickBooks, two-way objects) has applied HubSpot's changes."""


from datetime import datetime

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model
from hubbooks.models.sync_object import SyncObject


class HubSpotChangeBookmark(Model):
    """Per portal, QuickBooks company and object: every HubSpot change stamped (last-modified date) before
    `changed_since` has been handed to the two-way engine."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    object: SyncObject
    changed_since: datetime
    # Where this bookmark began (two-way turned on, or the first run): records created before it and not linked
    # are not new, so a change to them does not create a QuickBooks record (as no webhook-era creation would).
    started_at: datetime
    # The settings' two_way_since this bookmark belongs to: two-way turned off and on again starts a new one.
    two_way_since: datetime | None = None
    # Records applied near `changed_since` (HubSpot id -> last-modified in epoch ms): the next run reads a few
    # minutes back and skips these unless they changed again.
    recent: dict[str, int] = Field(default_factory=dict)
    updated_at: datetime
