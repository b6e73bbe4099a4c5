"""Scheduled jobs: the schedule's input, and one queue message per connected QuickBooks company."""


from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict

from hubbooks.models.base import Model


class JobKind(StrEnum):
    SYNC = "sync"
    OVERDUE_CHECK = "overdue_check"
    RECONCILE = "reconcile"  # the change engine's catch-up from QuickBooks change data capture
    PROFILE_REFRESH = "profile_refresh"


class ScheduledJobInput(Model):
    """What EventBridge Scheduler delivers: the schedule's Input, verbatim."""

    model_config = ConfigDict(extra="forbid")

    job: JobKind


class JobMessage(Model):
    model_config = ConfigDict(frozen=True)

    job: JobKind
    portal_id: int
    realm_id: str
    scheduled_at: datetime


class FanOutSummary(Model):
    job: JobKind
    enqueued: int


class JobRun(Model):
    job: JobKind
    portal_id: int
    realm_id: str
    scheduled_at: datetime
    finished_at: datetime
    outcome: str
    succeeded: bool = True


class BackfillStep(Model):
    """One page of a backfill (or its dry run) for one company, on the sync queue."""

    model_config = ConfigDict(frozen=True)

    job: Literal["backfill_page"] = "backfill_page"
    portal_id: int
    realm_id: str
    run_id: str
    entity_index: int
    start: int
