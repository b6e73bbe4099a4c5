"""Sync health in plain words: what needs attention, or that nothing does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hubbooks.domain.changes.health import sync_health
from hubbooks.models.changes import ChangeBookmark, CompanyScope
from hubbooks.models.jobs import JobKind, JobRun
from hubbooks.models.sync_health import DeadLetterState
from tests.unit.changes.fakes import FakeBookmarks

SCOPE = CompanyScope(portal_id=7, realm_id="9130")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


class Runs:
    def __init__(self, run: JobRun | None) -> None:
        self.run = run

    def last(self, portal_id: int, job: JobKind, realm_id: str) -> JobRun | None:
        return self.run


class Letters:
    def __init__(self, **waiting: int) -> None:
        self.waiting = waiting

    def states(self) -> list[DeadLetterState]:
        return [DeadLetterState(queue=name, waiting=n) for name, n in self.waiting.items()]


def _run(succeeded: bool, outcome: str) -> JobRun:
    return JobRun(job=JobKind.RECONCILE, portal_id=7, realm_id="9130", scheduled_at=NOW, finished_at=NOW,
                  outcome=outcome, succeeded=succeeded)


def _bookmarks(at: datetime) -> FakeBookmarks:
    bookmarks = FakeBookmarks()
    for entity in ("Invoice", "Payment"):
        bookmarks.save(ChangeBookmark(portal_id=7, realm_id="9130", entity=entity, changed_since=at, updated_at=at))
    return bookmarks


def test_all_well_says_so() -> None:
    health = sync_health(scope=SCOPE, entities=["Invoice", "Payment"], bookmarks=_bookmarks(NOW),
                         runs=Runs(_run(True, "nothing changed")), dead_letters=Letters(webhook=0, sync=0), now=NOW)
    assert health.healthy and health.summary == [
        "Everything QuickBooks reported has reached HubSpot; nothing is waiting."]


def test_dead_letters_a_failed_run_and_stale_progress_are_explained() -> None:
    health = sync_health(scope=SCOPE, entities=["Invoice", "Payment"], bookmarks=_bookmarks(NOW - timedelta(hours=5)),
                         runs=Runs(_run(False, "failed: Payment (HubSpotRateLimitedError: ...)")),
                         dead_letters=Letters(webhook=3, sync=0), now=NOW)
    assert not health.healthy
    text = " ".join(health.summary)
    assert "did not finish: Payment (HubSpotRateLimitedError" in text
    assert "changes to Invoice, Payment have not been confirmed in HubSpot for over 3 hours" in text
    assert "3 change notification(s) from QuickBooks or HubSpot could not be applied after 5 attempts" in text
    assert "make redrive QUEUE=webhook" in text and "sync" not in [s.queue for s in health.dead_letters if s.waiting]


def test_a_company_never_reconciled_is_told_when_it_will_be() -> None:
    health = sync_health(scope=SCOPE, entities=["Invoice"], bookmarks=FakeBookmarks(), runs=Runs(None),
                         dead_letters=Letters(), now=NOW)
    assert not health.healthy and "has not run for this company yet" in health.summary[0]
