"""The sync-health view of one QuickBooks company: reconciliation, bookmarks, and dead-lettered work in plain words."""


from datetime import datetime

from pydantic import Field

from hubbooks.models.base import Model


class DeadLetterState(Model):
    queue: str = Field(description="webhook (QuickBooks and HubSpot deliveries) or sync (scheduled jobs)")
    waiting: int = Field(description="Messages that failed every retry and wait to be re-driven")


class EntityProgress(Model):
    entity: str
    applied_up_to: datetime | None = Field(description="Every QuickBooks change before this has reached HubSpot")
    last_full_read: datetime | None = None


class LastRun(Model):
    finished_at: datetime
    succeeded: bool
    outcome: str


class SyncHealth(Model):
    realm_id: str
    healthy: bool
    summary: list[str] = Field(description="What needs attention (or that nothing does), in plain words")
    last_reconciliation: LastRun | None = None
    entities: list[EntityProgress] = Field(default_factory=list)
    dead_letters: list[DeadLetterState] = Field(default_factory=list)
