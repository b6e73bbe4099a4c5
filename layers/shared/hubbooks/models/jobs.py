"""Scheduled jobs: the schedule's input, and one queue message per connected QuickBooks company."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict

from hubbooks.models.base import Model


class JobKind(StrEnum):
    SYNC = "sync"
    OVERDUE_CHECK = "overdue_check"
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
