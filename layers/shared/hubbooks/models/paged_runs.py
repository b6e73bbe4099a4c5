"""What every page-by-page run keeps about itself, shared by the sync's backfill (models/sync.py) and the invoice
backfill (models/autolink.py), which loads with every invoice batch and needs nothing else of the sync's models."""


from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model


class BackfillStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def active(self) -> bool:
        return self in (BackfillStatus.QUEUED, BackfillStatus.RUNNING)


class PagedRun(Model):
    """What every page-by-page run keeps about itself (the sync's backfill, the invoice backfill): where it is, how far
    it got and who started it. `version` guards each save against a page or a cancel that ran meanwhile."""

    model_config = ConfigDict(frozen=True)

    run_id: str
    portal_id: int
    realm_id: str
    dry_run: bool
    status: BackfillStatus = BackfillStatus.QUEUED
    next_start: int = 1
    processed: int = 0
    pages_done: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    error: str | None = None
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    started_by_user_id: int | None = None
    version: int = 0
