"""Auto-linking's per-company switch, in a module of its own: every invoice batch reads it, and needs none of the
backfill's models (models/autolink.py)."""


from datetime import datetime

from pydantic import ConfigDict

from hubbooks.models.base import Model


class AutoLinkSettings(Model):
    """Off until an admin turns it on, per QuickBooks company."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    enabled: bool = False
    enabled_at: datetime | None = None  # invoices changed in QuickBooks since then are linked as they arrive
    updated_by_user_id: int | None = None
    updated_at: datetime | None = None
