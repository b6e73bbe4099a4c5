"""Sync health for one company, in words a HubSpot admin can act on: how far QuickBooks' changes have reached
HubSpot, how the last reconciliation went, and work that failed every retry (dead letters)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from hubbooks.domain.changes.ports import ChangeBookmarks
from hubbooks.models.changes import CompanyScope
from hubbooks.models.jobs import JobKind, JobRun
from hubbooks.models.sync_health import DeadLetterState, EntityProgress, LastRun, SyncHealth

STALE_AFTER = timedelta(hours=3)  # three missed hourly reconciliations

_QUEUE_WORDS = {
    "webhook": ("change notification(s) from QuickBooks or HubSpot could not be applied after 5 attempts",
                "The hourly reconciliation applies what they carried from QuickBooks' own change log, so nothing is "
                "lost; your administrator can replay them with `make redrive QUEUE=webhook` once the cause is "
                "fixed."),
    "sync": ("scheduled job(s) (sync, overdue check or reconciliation) failed 3 times for a company",
             "They run again at their next scheduled time; your administrator can replay them now with "
             "`make redrive QUEUE=sync`."),
}


class JobRuns(Protocol):
    def last(self, portal_id: int, job: JobKind, realm_id: str) -> JobRun | None: ...


class DeadLetters(Protocol):
    def states(self) -> list[DeadLetterState]:
        """How many messages wait in each dead-letter queue (stack-wide: queues are shared by every company)."""
        ...


def sync_health(*, scope: CompanyScope, entities: Sequence[str], bookmarks: ChangeBookmarks, runs: JobRuns,
                dead_letters: DeadLetters, now: datetime, record_problems: Sequence[str] = ()) -> SyncHealth:
    """`record_problems` are what the contact and product sync found wrong with single records, in words."""
    summary: list[str] = list(record_problems)
    progress = []
    for entity in entities:
        bookmark = bookmarks.get(scope, entity)
        progress.append(EntityProgress(entity=entity, applied_up_to=bookmark.changed_since if bookmark else None,
                                       last_full_read=bookmark.full_read_at if bookmark else None))
    last = runs.last(scope.portal_id, JobKind.RECONCILE, scope.realm_id)
    if last is None:
        summary.append("The reconciliation has not run for this company yet; it runs every hour once schedules "
                       "are enabled.")
    elif not last.succeeded:
        summary.append(f"The last reconciliation ({last.finished_at:%Y-%m-%d %H:%M} UTC) did not finish: "
                       f"{last.outcome.removeprefix('failed: ')}. It is retried automatically.")
    behind = [p.entity for p in progress if p.applied_up_to is None or now - p.applied_up_to > STALE_AFTER]
    if last is not None and behind:
        summary.append(f"QuickBooks changes to {', '.join(behind)} have not been confirmed in HubSpot for over "
                       f"{int(STALE_AFTER.total_seconds() // 3600)} hours.")
    states = dead_letters.states()
    for state in states:
        if state.waiting and state.queue in _QUEUE_WORDS:
            what, then = _QUEUE_WORDS[state.queue]
            summary.append(f"{state.waiting} {what}. {then}")
    healthy = not summary
    if healthy:
        summary.append("Everything QuickBooks reported has reached HubSpot; nothing is waiting.")
    return SyncHealth(realm_id=scope.realm_id, healthy=healthy, summary=summary, entities=progress,
                      dead_letters=states,
                      last_reconciliation=LastRun(finished_at=last.finished_at, succeeded=last.succeeded,
                                                  outcome=last.outcome) if last else None)
