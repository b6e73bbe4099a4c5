"""Reminders as HubSpot tasks, run by the daily job for one company in that company's time zone.

For every invoice linked to a deal and every reminder kind turned on, the reason either holds today or not:
overdue (unpaid N days after the due date), not sent (never sent N days after the invoice date), due soon (unpaid and
due within N days). A reason that holds gets exactly one open task; a reason that went away (paid, sent, voided,
deleted, unlinked, or the reminder turned off) gets its task completed.

Exactly one: before creating, a run claims the (invoice, kind) record with a conditional write; the task carries a
marker made from the invoice, kind and episode. A run that dies after HubSpot created the task but before the
record was saved leaves a stale claim: the next run takes it over and finds the task by its marker instead of
creating a second one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

from hubbooks.domain.invoicing.ports import InvoiceLinks
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceLink, InvoiceStatus
from hubbooks.models.reminders import (
    INVOICE_REMINDERS,
    ReminderKind,
    ReminderRule,
    ReminderSettings,
    ReminderTask,
)

CLAIM_LEASE = timedelta(minutes=5)  # longer than one company's run, so a live run's claim is never taken over
_UNPAID = (InvoiceStatus.WAITING_TO_BE_SENT, InvoiceStatus.SENT, InvoiceStatus.PARTIALLY_PAID, InvoiceStatus.OVERDUE)


class ReminderSettingsStore(Protocol):
    def get(self, portal_id: int, realm_id: str) -> ReminderSettings | None: ...
    def save(self, settings: ReminderSettings) -> None: ...


class ReminderTasks(Protocol):
    def for_realm(self, portal_id: int, realm_id: str) -> list[ReminderTask]:
        """The latest record of every (invoice, kind) of the company."""
        ...
    def claim(self, wanted: ReminderTask, now: datetime, lease: timedelta) -> ReminderTask | None:
        """Save `wanted` (task_id empty) unless the (invoice, kind) record is open with a task, or claimed by
        someone else less than `lease` ago. Returns what it replaced (None if nothing), or raises ClaimTakenError."""
        ...
    def save(self, task: ReminderTask) -> None: ...


class ClaimTakenError(Exception):
    """Another run holds the (invoice, kind) record; it will open the task."""


class TaskToOpen(NamedTuple):
    subject: str
    body: str  # includes the marker
    due: datetime
    deal_id: str | None  # None: a task for a person, on no record (the finance user's reminders)
    owner_id: str | None


class TaskCrm(Protocol):
    """HubSpot tasks on deals."""

    def deal_owner(self, deal_id: str) -> str | None: ...
    def create_task(self, task: TaskToOpen) -> str:
        """Create the task, associated with the deal and the deal's contacts (if it has a deal); returns its id."""
        ...
    def find_task(self, marker: str) -> str | None:
        """The task whose body holds the marker, if one exists."""
        ...
    def complete_task(self, task_id: str) -> bool:
        """Mark it completed; False when it no longer exists (someone deleted it)."""
        ...


def reason_holds(kind: ReminderKind, rule: ReminderRule, link: InvoiceLink, today: date) -> bool:
    if not rule.enabled or link.status is None:
        return False
    if kind is ReminderKind.OVERDUE:
        return (link.status is InvoiceStatus.OVERDUE and link.due_date is not None
                and today >= link.due_date + timedelta(days=rule.days))
    if kind is ReminderKind.NOT_SENT:
        return (link.status is InvoiceStatus.WAITING_TO_BE_SENT and link.invoice_date is not None
                and today >= link.invoice_date + timedelta(days=rule.days))
    return (link.status in _UNPAID and link.status is not InvoiceStatus.OVERDUE and link.due_date is not None
            and timedelta(0) <= link.due_date - today <= timedelta(days=rule.days))


_SUBJECTS = {
    ReminderKind.OVERDUE: "Invoice {number} is overdue: follow up on payment",
    ReminderKind.NOT_SENT: "Invoice {number} has not been sent yet",
    ReminderKind.DUE_SOON: "Invoice {number} is due on {due}",
}


def task_for(record: ReminderTask, link: InvoiceLink, owner_id: str | None, time_zone: str,
             today: date) -> TaskToOpen:
    number = link.doc_number or f"id {link.invoice_id}"
    due = link.due_date.isoformat() if link.due_date else "(no due date)"
    amount = f"{link.balance:.2f} {link.currency}" if link.balance is not None and link.currency else "the balance"
    body = (f"<p>{_SUBJECTS[record.kind].format(number=number, due=due)}. {link.customer_name or 'The customer'} "
            f"owes {amount}. HubBooks completes this task by itself once the invoice is "
            f"{'sent' if record.kind is ReminderKind.NOT_SENT else 'paid'}.</p><p>{record.marker}</p>")
    # Due at 09:00 on the company's today, so it shows among today's tasks in the company's zone.
    due_at = datetime.combine(today, time(9, 0), tzinfo=ZoneInfo(time_zone))
    return TaskToOpen(subject=_SUBJECTS[record.kind].format(number=number, due=due), body=body, due=due_at,
                      deal_id=record.deal_id or link.object_id, owner_id=owner_id)


class ReminderRun:
    """What one run did: the tasks it opened and completed, and the reminders another run held."""

    # A plain class, not a dataclass: defining a dataclass generates and compiles its methods, about 0.4 ms of the
    # cold start of every sync worker that runs the overdue check.
    def __init__(self) -> None:
        self.opened: list[str] = []
        self.completed: list[str] = []
        self.busy = 0  # held by another run

    @property
    def changed(self) -> bool:
        return bool(self.opened or self.completed or self.busy)

    def add(self, other: ReminderRun) -> None:
        self.opened += other.opened
        self.completed += other.completed
        self.busy += other.busy

    def describe(self) -> str:
        return f"reminders: {len(self.opened)} task(s) opened, {len(self.completed)} completed" + (
            f", {self.busy} left to a concurrent run" if self.busy else "")


def _deal_links(links: Sequence[InvoiceLink]) -> dict[str, InvoiceLink]:
    """One deal link per invoice (the first deal by id when an invoice is on several)."""
    chosen: dict[str, InvoiceLink] = {}
    for link in sorted(links, key=lambda item: item.object_id):
        if link.object_type is HubSpotObjectType.DEAL:
            chosen.setdefault(link.invoice_id, link)
    return chosen


def run_reminders(*, portal_id: int, realm_id: str, time_zone: str, today: date, settings: ReminderSettingsStore,
                  links: InvoiceLinks, tasks: ReminderTasks, crm: Callable[[], TaskCrm],
                  now: Callable[[], datetime]) -> ReminderRun:
    """Open and complete tasks so exactly the reasons holding today have one open task. HubSpot is only called
    when something changes."""
    chosen = settings.get(portal_id, realm_id) or ReminderSettings(portal_id=portal_id, realm_id=realm_id)
    by_invoice = _deal_links(links.for_realm(portal_id, realm_id))
    records = {(r.invoice_id, r.kind): r for r in tasks.for_realm(portal_id, realm_id)}
    run = ReminderRun()
    hubspot: list[TaskCrm] = []

    def portal_crm() -> TaskCrm:
        if not hubspot:
            hubspot.append(crm())
        return hubspot[0]

    for kind in INVOICE_REMINDERS:
        rule = chosen.rule(kind)
        for invoice_id in sorted(set(by_invoice) | {i for (i, k) in records if k is kind}):
            link = by_invoice.get(invoice_id)
            record = records.get((invoice_id, kind))
            holds = link is not None and reason_holds(kind, rule, link, today)
            if holds and link is not None and not (record and record.open and record.task_id):
                _open(record, link, kind, chosen, time_zone, today, tasks, portal_crm, now, run)
            elif not holds and record is not None and record.open:
                close_task(record, tasks, portal_crm, now, run)
    return run


def next_episode(record: ReminderTask | None) -> int:
    """The episode a reason that holds now belongs to: the record's own while it is open, the next once closed."""
    if record is None:
        return 1
    return record.episode if record.open else record.episode + 1


def open_task(wanted: ReminderTask, tasks: ReminderTasks, crm: Callable[[], TaskCrm], now: Callable[[], datetime],
              run: ReminderRun, build: Callable[[TaskCrm], TaskToOpen]) -> None:
    """Claim the (record, kind), then create the task `build` describes, unless a stale claim of the same episode
    already created it (found by its marker)."""
    try:
        replaced = tasks.claim(wanted, now(), CLAIM_LEASE)
    except ClaimTakenError:
        run.busy += 1
        return
    hubspot = crm()
    # A stale claim of the same episode may have created the task before dying: look for it first.
    task_id = hubspot.find_task(wanted.marker) if replaced is not None and replaced.open else None
    if task_id is None:
        task_id = hubspot.create_task(build(hubspot))
    tasks.save(wanted.model_copy(update={"task_id": task_id}))
    run.opened.append(task_id)


def _open(record: ReminderTask | None, link: InvoiceLink, kind: ReminderKind, chosen: ReminderSettings,
          time_zone: str, today: date, tasks: ReminderTasks, crm: Callable[[], TaskCrm],
          now: Callable[[], datetime], run: ReminderRun) -> None:
    wanted = ReminderTask(portal_id=link.portal_id, realm_id=link.realm_id, invoice_id=link.invoice_id, kind=kind,
                          episode=next_episode(record), deal_id=link.object_id, claimed_at=now())

    def build(hubspot: TaskCrm) -> TaskToOpen:
        owner = chosen.assignee_owner_id or hubspot.deal_owner(wanted.deal_id or link.object_id)
        return task_for(wanted, link, owner, time_zone, today)

    open_task(wanted, tasks, crm, now, run, build)


def close_task(record: ReminderTask, tasks: ReminderTasks, crm: Callable[[], TaskCrm], now: Callable[[], datetime],
           run: ReminderRun) -> None:
    if record.task_id is None:
        found = crm().find_task(record.marker)
        if found is None:
            # A claim whose run died before creating anything: nothing to complete once its lease is over.
            if record.claimed_at is not None and now() - record.claimed_at < CLAIM_LEASE:
                run.busy += 1
                return
            tasks.save(record.model_copy(update={"open": False, "closed_at": now()}))
            return
        record = record.model_copy(update={"task_id": found})
    assert record.task_id is not None
    crm().complete_task(record.task_id)  # a task someone deleted needs no completing
    tasks.save(record.model_copy(update={"open": False, "closed_at": now()}))
    run.completed.append(record.task_id)
