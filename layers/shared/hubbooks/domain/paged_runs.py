"""Page-by-page runs through the sync queue (the sync's backfill, the invoice backfill): one message per company and
page, the run's record says which page is next.

A message for any other page, for a replaced run or for a run no longer active is a duplicate and does nothing; a
page that fails or times out is delivered again and redone (the caller's page work must be safe to repeat); the
run moves on only by a save conditional on the version it read, so a cancel or a duplicate that got there first
wins, and a cancelled run stops at the next page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeVar

from hubbooks.domain.errors import ConflictError
from hubbooks.models.paged_runs import BackfillStatus, PagedRun

RunT = TypeVar("RunT", bound=PagedRun)


class BackfillBusyError(ConflictError):
    code = "backfill_running"


class BackfillChangedError(Exception):
    """The run's record changed since it was read (cancelled, or a duplicate message got there first)."""


class PagedRunStore(Protocol[RunT]):
    def current(self, portal_id: int, realm_id: str) -> RunT | None: ...

    def start(self, run: RunT) -> None:
        """Store a new run unless an active one exists (BackfillBusyError)."""
        ...

    def save(self, run: RunT) -> RunT:
        """Store if the stored version equals run.version (else BackfillChangedError); returns the next version."""
        ...


@dataclass(frozen=True)
class PageDone:
    """What one page did: how many records it read, the run's fields that move on, and a line for the logs."""

    records: int
    finished: bool
    changes: Mapping[str, Any] = field(default_factory=dict)  # counts, examples, the next position...
    summary: str = ""


def add_counts(counts: Mapping[str, int], more: Mapping[str, int]) -> dict[str, int]:
    merged = dict(counts)
    for kind, n in more.items():
        merged[kind] = merged.get(kind, 0) + n
    return merged


def run_page(store: PagedRunStore[RunT], *, portal_id: int, realm_id: str, run_id: str,
             is_next: Callable[[RunT], bool], page: Callable[[RunT], PageDone],
             send_next: Callable[[RunT], object], clock: Callable[[], datetime]) -> str:
    """Do the page `is_next` recognises as the run's next one, save the run moved on, and queue the page after."""
    run = store.current(portal_id, realm_id)
    if run is None or run.run_id != run_id:
        return "skipped: a newer run replaced this one"
    if not run.status.active:
        return f"skipped: the run is {run.status.value}"
    if not is_next(run):
        return "skipped: this page was already done"
    done = page(run)
    now = clock()
    try:
        saved = store.save(run.model_copy(update={
            **done.changes, "status": BackfillStatus.DONE if done.finished else BackfillStatus.RUNNING,
            "processed": run.processed + done.records, "pages_done": run.pages_done + 1, "updated_at": now,
            "finished_at": now if done.finished else None}))
    except BackfillChangedError:
        return "stopped: the run was cancelled or moved on meanwhile"
    if not done.finished:
        send_next(saved)
    return done.summary


def cancel_run(progress: Callable[[], RunT], save: Callable[[RunT], RunT], clock: Callable[[], datetime]) -> RunT:
    """Mark the active run cancelled (its next page then stops); a run already over is answered as it is."""
    for _attempt in range(3):
        run = progress()
        if not run.status.active:
            return run
        try:
            return save(run.model_copy(update={"status": BackfillStatus.CANCELLED, "finished_at": clock(),
                                               "updated_at": clock()}))
        except BackfillChangedError:
            continue  # a page finished meanwhile: read again
    raise ConflictError("The backfill changed while cancelling; try again.")
