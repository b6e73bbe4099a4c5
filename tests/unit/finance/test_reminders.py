"""Reminder tasks: one open task per invoice and reason, completed when the reason goes away, never two, even when a
run dies half-way or two runs overlap."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from hubbooks.domain.finance.reminders import (
    CLAIM_LEASE,
    ClaimTakenError,
    TaskToOpen,
    reason_holds,
    run_reminders,
)
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceLink, InvoiceStatus
from hubbooks.models.reminders import ReminderKind, ReminderRule, ReminderSettings, ReminderTask
from tests.unit.invoicing.fakes import NOW, FakeLinks

PORTAL, REALM = 42, "9130"
TODAY = date(2026, 9, 15)
ON = ReminderRule(enabled=True, days=3)


@dataclass
class Settings:
    items: dict[tuple[int, str], ReminderSettings] = field(default_factory=dict)

    def get(self, portal_id: int, realm_id: str) -> ReminderSettings | None:
        return self.items.get((portal_id, realm_id))

    def save(self, settings: ReminderSettings) -> None:
        self.items[(settings.portal_id, settings.realm_id)] = settings


@dataclass
class Tasks:
    """Keeps the store's conditional-write rule: new, next episode of a closed one, or takeover of a stale claim."""

    items: dict[tuple[str, ReminderKind], ReminderTask] = field(default_factory=dict)
    fail_next_save: bool = False

    def for_realm(self, portal_id: int, realm_id: str) -> list[ReminderTask]:
        return [t for t in self.items.values() if (t.portal_id, t.realm_id) == (portal_id, realm_id)]

    def claim(self, wanted: ReminderTask, now: datetime, lease: timedelta) -> ReminderTask | None:
        old = self.items.get((wanted.invoice_id, wanted.kind))
        allowed = (old is None or (not old.open and old.episode == wanted.episode - 1)
                   or (old.open and old.episode == wanted.episode and old.task_id is None
                       and old.claimed_at is not None and old.claimed_at < now - lease))
        if not allowed:
            raise ClaimTakenError(wanted.marker)
        self.items[(wanted.invoice_id, wanted.kind)] = wanted
        return old

    def save(self, task: ReminderTask) -> None:
        if self.fail_next_save:
            self.fail_next_save = False
            raise RuntimeError("the run died here")
        self.items[(task.invoice_id, task.kind)] = task


@dataclass
class HubSpotTasks:
    tasks: dict[str, dict[str, str]] = field(default_factory=dict)
    owners: dict[str, str] = field(default_factory=lambda: {"900": "55"})
    _ids: itertools.count = field(default_factory=lambda: itertools.count(7000))

    def deal_owner(self, deal_id: str) -> str | None:
        return self.owners.get(deal_id)

    def create_task(self, task: TaskToOpen) -> str:
        task_id = str(next(self._ids))
        self.tasks[task_id] = {"subject": task.subject, "body": task.body, "deal": task.deal_id,
                               "owner": task.owner_id or "", "status": "NOT_STARTED", "due": task.due.isoformat()}
        return task_id

    def find_task(self, marker: str) -> str | None:
        return next((i for i, t in self.tasks.items() if marker in t["body"].split("<p>")[-1]), None)

    def complete_task(self, task_id: str) -> bool:
        if task_id not in self.tasks:
            return False
        self.tasks[task_id]["status"] = "COMPLETED"
        return True

    def open_tasks(self) -> list[dict[str, str]]:
        return [t for t in self.tasks.values() if t["status"] != "COMPLETED"]


@dataclass
class Desk:
    settings: Settings = field(default_factory=Settings)
    links: FakeLinks = field(default_factory=FakeLinks)
    tasks: Tasks = field(default_factory=Tasks)
    hubspot: HubSpotTasks = field(default_factory=HubSpotTasks)
    now: datetime = NOW
    crm_builds: int = 0

    def configure(self, **rules: ReminderRule) -> None:
        self.settings.save(ReminderSettings(portal_id=PORTAL, realm_id=REALM, **rules))

    def link(self, invoice_id: str, status: InvoiceStatus, *, due: date = date(2026, 9, 10),
             issued: date = date(2026, 9, 1), deal: str = "900") -> None:
        self.links.save(InvoiceLink(portal_id=PORTAL, realm_id=REALM, invoice_id=invoice_id,
                                    object_type=HubSpotObjectType.DEAL, object_id=deal, linked_at=NOW,
                                    doc_number=f"10{invoice_id}", customer_name="Amy", currency="USD",
                                    total=Decimal("100.00"), balance=Decimal("100.00"), due_date=due,
                                    invoice_date=issued, status=status, last_updated=NOW))

    def run(self, today: date = TODAY) -> str:
        def crm() -> HubSpotTasks:
            self.crm_builds += 1
            return self.hubspot

        return run_reminders(portal_id=PORTAL, realm_id=REALM, time_zone="America/Los_Angeles", today=today,
                             settings=self.settings, links=self.links, tasks=self.tasks, crm=crm,
                             now=lambda: self.now).describe()


def test_an_overdue_invoice_gets_one_task_for_the_deal_owner_completed_once_paid() -> None:
    desk = Desk()
    desk.configure(overdue=ON)
    desk.link("1", InvoiceStatus.OVERDUE, due=date(2026, 9, 10))  # 5 days overdue, N = 3
    assert desk.run() == "reminders: 1 task(s) opened, 0 completed"
    [task] = desk.hubspot.open_tasks()
    assert task["owner"] == "55" and task["deal"] == "900" and "101 is overdue" in task["subject"]
    assert task["due"].startswith("2026-09-15T09:00:00-07:00")  # the company's morning
    assert desk.run() == "reminders: 0 task(s) opened, 0 completed" and len(desk.hubspot.tasks) == 1

    desk.link("1", InvoiceStatus.PAID)
    assert desk.run() == "reminders: 0 task(s) opened, 1 completed"
    assert desk.hubspot.open_tasks() == []


def test_nothing_is_asked_of_hubspot_when_nothing_changes() -> None:
    desk = Desk()
    desk.configure(overdue=ON)
    desk.link("1", InvoiceStatus.SENT, due=date(2026, 10, 1))
    assert desk.run() == "reminders: 0 task(s) opened, 0 completed" and desk.crm_builds == 0


@pytest.mark.parametrize(("kind", "status", "due", "issued", "today", "holds"), [
    (ReminderKind.OVERDUE, InvoiceStatus.OVERDUE, date(2026, 9, 13), date(2026, 9, 1), TODAY, False),  # 2 < 3 days
    (ReminderKind.OVERDUE, InvoiceStatus.OVERDUE, date(2026, 9, 12), date(2026, 9, 1), TODAY, True),
    (ReminderKind.NOT_SENT, InvoiceStatus.WAITING_TO_BE_SENT, date(2026, 10, 1), date(2026, 9, 12), TODAY, True),
    (ReminderKind.NOT_SENT, InvoiceStatus.WAITING_TO_BE_SENT, date(2026, 10, 1), date(2026, 9, 13), TODAY, False),
    (ReminderKind.NOT_SENT, InvoiceStatus.SENT, date(2026, 10, 1), date(2026, 9, 1), TODAY, False),
    (ReminderKind.DUE_SOON, InvoiceStatus.SENT, date(2026, 9, 18), date(2026, 9, 1), TODAY, True),
    (ReminderKind.DUE_SOON, InvoiceStatus.PARTIALLY_PAID, date(2026, 9, 15), date(2026, 9, 1), TODAY, True),
    (ReminderKind.DUE_SOON, InvoiceStatus.SENT, date(2026, 9, 19), date(2026, 9, 1), TODAY, False),
    (ReminderKind.DUE_SOON, InvoiceStatus.PAID, date(2026, 9, 16), date(2026, 9, 1), TODAY, False),
    (ReminderKind.DUE_SOON, InvoiceStatus.VOIDED, date(2026, 9, 16), date(2026, 9, 1), TODAY, False),
])
def test_when_each_reason_holds(kind: ReminderKind, status: InvoiceStatus, due: date, issued: date, today: date,
                                holds: bool) -> None:
    link = InvoiceLink(portal_id=PORTAL, realm_id=REALM, invoice_id="1", object_type=HubSpotObjectType.DEAL,
                       object_id="900", linked_at=NOW, status=status, due_date=due, invoice_date=issued)
    assert reason_holds(kind, ON, link, today) is holds
    assert reason_holds(kind, ReminderRule(enabled=False, days=3), link, today) is False


def test_a_run_that_dies_after_creating_the_task_never_leads_to_a_second_one() -> None:
    desk = Desk()
    desk.configure(not_sent=ON)
    desk.link("1", InvoiceStatus.WAITING_TO_BE_SENT, due=date(2026, 10, 1), issued=date(2026, 9, 1))
    desk.tasks.fail_next_save = True
    with pytest.raises(RuntimeError, match="died"):
        desk.run()
    assert len(desk.hubspot.tasks) == 1  # created in HubSpot, not recorded by us

    assert desk.run() == "reminders: 0 task(s) opened, 0 completed, 1 left to a concurrent run"  # claim still live
    desk.now = NOW + CLAIM_LEASE + timedelta(seconds=1)
    assert desk.run() == "reminders: 1 task(s) opened, 0 completed"  # taken over: found by its marker
    assert len(desk.hubspot.tasks) == 1
    [record] = desk.tasks.items.values()
    assert record.task_id in desk.hubspot.tasks and record.open


def test_a_reason_that_comes_back_gets_a_new_task_and_turning_a_reminder_off_completes_its_tasks() -> None:
    desk = Desk()
    desk.configure(due_soon=ON)
    desk.link("1", InvoiceStatus.SENT, due=date(2026, 9, 17))
    desk.run()
    desk.link("1", InvoiceStatus.PAID, due=date(2026, 9, 17))
    desk.run()
    desk.link("1", InvoiceStatus.PARTIALLY_PAID, due=date(2026, 9, 17))  # the payment was deleted in QuickBooks
    assert desk.run() == "reminders: 1 task(s) opened, 0 completed"
    assert [r.episode for r in desk.tasks.items.values()] == [2] and len(desk.hubspot.open_tasks()) == 1

    desk.configure()  # everything off
    assert desk.run() == "reminders: 0 task(s) opened, 1 completed" and desk.hubspot.open_tasks() == []


def test_an_unlinked_invoice_s_task_is_completed_and_a_chosen_assignee_gets_the_tasks() -> None:
    desk = Desk()
    desk.settings.save(ReminderSettings(portal_id=PORTAL, realm_id=REALM, overdue=ON, assignee_owner_id="77"))
    desk.link("1", InvoiceStatus.OVERDUE, due=date(2026, 9, 1))
    desk.link("2", InvoiceStatus.OVERDUE, due=date(2026, 9, 1), deal="901")
    assert desk.run() == "reminders: 2 task(s) opened, 0 completed"
    assert {t["owner"] for t in desk.hubspot.tasks.values()} == {"77"}
    desk.links.delete(desk.links.for_invoice(PORTAL, REALM, "2")[0])
    assert desk.run() == "reminders: 0 task(s) opened, 1 completed"


def test_two_overlapping_runs_open_one_task() -> None:
    desk = Desk()
    desk.configure(overdue=ON)
    desk.link("1", InvoiceStatus.OVERDUE, due=date(2026, 9, 1))
    real_create = desk.hubspot.create_task

    def slow_create(task: TaskToOpen) -> str:
        # The other run starts while this one is creating the task.
        assert desk.run() == "reminders: 0 task(s) opened, 0 completed, 1 left to a concurrent run"
        return real_create(task)

    desk.hubspot.create_task = slow_create  # type: ignore[method-assign]
    assert desk.run() == "reminders: 1 task(s) opened, 0 completed"
    assert len(desk.hubspot.tasks) == 1
