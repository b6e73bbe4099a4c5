"""The page-by-page runner both backfills use: duplicates and stale messages do nothing, a page moves the run on
only by a save on the version it read, and only a saved page queues the next."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from hubbooks.domain.paged_runs import BackfillChangedError, PageDone, add_counts, run_page
from hubbooks.models.sync import BackfillStatus, PagedRun

NOW = datetime(2026, 11, 30, 9, tzinfo=UTC)


@dataclass
class Runs:
    run: PagedRun | None = None
    cancel_before_save: bool = False

    def current(self, portal_id: int, realm_id: str) -> PagedRun | None:
        return self.run

    def start(self, run: PagedRun) -> None:
        self.run = run

    def save(self, run: PagedRun) -> PagedRun:
        assert self.run is not None
        if self.cancel_before_save:  # someone cancelled while the page ran
            self.run = self.run.model_copy(update={"status": BackfillStatus.CANCELLED, "version": self.run.version + 1})
        if self.run.version != run.version:
            raise BackfillChangedError()
        self.run = run.model_copy(update={"version": run.version + 1})
        return self.run


@dataclass
class Pages:
    total: int
    size: int = 10
    sent: list[int] = field(default_factory=list)
    done: list[int] = field(default_factory=list)

    def step(self, runs: Runs, start: int, run_id: str = "r1") -> str:
        def page(run: PagedRun) -> PageDone:
            self.done.append(start)
            records = max(0, min(self.size, self.total - start + 1))
            changes = {"next_start": start + self.size, "counts": add_counts(run.counts, {"seen": records})}
            return PageDone(records=records, finished=records < self.size, changes=changes, summary=f"page {start}")

        return run_page(runs, portal_id=1, realm_id="9130", run_id=run_id, is_next=lambda run: run.next_start == start,
                        page=page, send_next=lambda saved: self.sent.append(saved.next_start), clock=lambda: NOW)


def _run() -> PagedRun:
    return PagedRun(run_id="r1", portal_id=1, realm_id="9130", dry_run=False, started_at=NOW, updated_at=NOW)


def test_pages_move_the_run_on_and_duplicates_or_stale_messages_do_nothing() -> None:
    runs, pages = Runs(_run()), Pages(total=25)
    assert pages.step(runs, 1) == "page 1" and pages.sent == [11]
    assert pages.step(runs, 1) == "skipped: this page was already done"
    assert pages.step(runs, 11, run_id="older") == "skipped: a newer run replaced this one"
    assert [pages.step(runs, 11), pages.step(runs, 21)] == ["page 11", "page 21"]
    assert runs.run is not None and runs.run.status is BackfillStatus.DONE and runs.run.finished_at == NOW
    assert runs.run.processed == 25 and runs.run.pages_done == 3 and runs.run.counts == {"seen": 25}
    assert pages.sent == [11, 21] and pages.done == [1, 11, 21]  # the last page queues nothing
    assert pages.step(runs, 31) == "skipped: the run is done"


def test_a_run_cancelled_while_its_page_ran_stops_there() -> None:
    runs, pages = Runs(_run(), cancel_before_save=True), Pages(total=25)
    assert pages.step(runs, 1) == "stopped: the run was cancelled or moved on meanwhile"
    assert pages.sent == [] and runs.run is not None and runs.run.status is BackfillStatus.CANCELLED
    assert runs.run.processed == 0
