"""Scheduled work: fan a job out to every connected company, then run it for one company at a time.

One message per company keeps each run inside QuickBooks' per-realm limits (500 requests/minute, 10 concurrent)
and lets one failing company retry alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Protocol

from hubbooks.models.connections import ConnectionRef
from hubbooks.models.jobs import FanOutSummary, JobKind, JobMessage, JobRun


class JobQueue(Protocol):
    def send_all(self, messages: Iterable[JobMessage]) -> int: ...


class JobRunRecorder(Protocol):
    def record(self, run: JobRun) -> None: ...


JobRunner = Callable[[JobMessage], str]
"""Runs one job for one company and returns a short outcome for the run record."""


def fan_out(job: JobKind, connections: Iterable[ConnectionRef], queue: JobQueue,
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> FanOutSummary:
    scheduled_at = now()
    messages = (JobMessage(job=job, portal_id=ref.portal_id, realm_id=ref.realm_id, scheduled_at=scheduled_at)
                for ref in connections)
    return FanOutSummary(job=job, enqueued=queue.send_all(messages))


def run_job(message: JobMessage, runners: dict[JobKind, JobRunner], recorder: JobRunRecorder,
            now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> JobRun:
    """A failed run is recorded too (people see why in the sync health) and re-raised, so SQS retries it."""
    try:
        outcome = runners[message.job](message)
    except Exception as error:
        reason = getattr(error, "message", None) or str(error) or type(error).__name__
        recorder.record(JobRun(job=message.job, portal_id=message.portal_id, realm_id=message.realm_id,
                               scheduled_at=message.scheduled_at, finished_at=now(), outcome=f"failed: {reason}"[:500],
                               succeeded=False))
        raise
    run = JobRun(job=message.job, portal_id=message.portal_id, realm_id=message.realm_id,
                 scheduled_at=message.scheduled_at, finished_at=now(), outcome=outcome)
    recorder.record(run)
    return run
