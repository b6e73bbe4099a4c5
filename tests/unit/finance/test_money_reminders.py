"""The finance user's reminders: one task per undeposited payment and per bill coming due, assigned to the finance
user's owner, completed when the payment is deposited or the bill paid or deleted, never two even when a run dies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from hubbooks.domain.finance.money_reminders import run_money_reminders
from hubbooks.models.money_waiting import UndepositedPayment, UnpaidBill
from hubbooks.models.reminders import ReminderKind, ReminderRule, ReminderSettings
from tests.unit.finance.test_reminders import PORTAL, REALM, TODAY, HubSpotTasks, Settings, Tasks
from tests.unit.invoicing.fakes import NOW

FINANCE_OWNER = "80000002"


@dataclass
class Books:
    payments: dict[str, UndepositedPayment] = field(default_factory=dict)
    bills: dict[str, UnpaidBill] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)

    def receive(self, payment_id: str, on: date, amount: str = "250") -> None:
        self.payments[payment_id] = UndepositedPayment(id=payment_id, received_on=on, amount=Decimal(amount),
                                                       currency="USD", customer_name="Amy's Bird Sanctuary",
                                                       reference="CHK-1")

    def bill(self, bill_id: str, due: date, balance: str = "80") -> None:
        self.bills[bill_id] = UnpaidBill(id=bill_id, due_date=due, balance=Decimal(balance), currency="USD",
                                         vendor_name="Books by Bessie", doc_number=f"B-{bill_id}")

    def undeposited_payments(self, received_on_or_before: date) -> list[UndepositedPayment]:
        self.asked.append(f"payments <= {received_on_or_before}")
        return [p for p in self.payments.values() if p.received_on <= received_on_or_before]

    def unpaid_bills(self, due_on_or_before: date) -> list[UnpaidBill]:
        self.asked.append(f"bills <= {due_on_or_before}")
        return [b for b in self.bills.values() if b.due_date <= due_on_or_before]


@dataclass
class Office:
    settings: Settings = field(default_factory=Settings)
    tasks: Tasks = field(default_factory=Tasks)
    hubspot: HubSpotTasks = field(default_factory=HubSpotTasks)
    books: Books = field(default_factory=Books)

    def configure(self, owner: str | None = FINANCE_OWNER, **rules: ReminderRule) -> None:
        self.settings.save(ReminderSettings(portal_id=PORTAL, realm_id=REALM, finance_owner_id=owner, **rules))

    def run(self, today: date = TODAY) -> str:
        return run_money_reminders(portal_id=PORTAL, realm_id=REALM, time_zone="America/New_York", today=today,
                                   settings=self.settings, books=lambda: self.books, tasks=self.tasks,
                                   crm=lambda: self.hubspot, now=lambda: NOW).describe()


def test_an_undeposited_payment_gets_one_task_for_the_finance_user_until_it_is_deposited() -> None:
    office = Office()
    office.configure(deposit=ReminderRule(enabled=True, days=3))
    office.books.receive("31", date(2026, 9, 13))  # two days in Undeposited Funds: not yet
    assert office.run() == "reminders: 0 task(s) opened, 0 completed"
    assert office.books.asked == ["payments <= 2026-09-12"]
    office.books.receive("32", date(2026, 9, 10))
    assert office.run() == "reminders: 1 task(s) opened, 0 completed"
    [task] = office.hubspot.open_tasks()
    assert task["owner"] == FINANCE_OWNER and task["deal"] is None
    assert task["subject"] == "Deposit the 250.00 USD payment from Amy's Bird Sanctuary"
    assert "received on 2026-09-10" in task["body"] and f"hubbooksreminderdepositr{REALM}i32e1" in task["body"]
    assert task["due"] == "2026-09-15T09:00:00-04:00"  # 09:00 in the company's zone
    assert office.run() == "reminders: 0 task(s) opened, 0 completed"  # still one task

    del office.books.payments["32"]  # deposited (or moved off Undeposited Funds, or deleted)
    assert office.run() == "reminders: 0 task(s) opened, 1 completed"
    assert office.hubspot.open_tasks() == []


def test_a_bill_due_soon_or_overdue_gets_one_task_until_it_is_paid() -> None:
    office = Office()
    office.configure(pay_vendor=ReminderRule(enabled=True, days=5))
    office.books.bill("7", date(2026, 9, 18))
    office.books.bill("8", date(2026, 9, 1))  # overdue: still to pay
    office.books.bill("9", date(2026, 10, 1))  # not due for a while
    assert office.run() == "reminders: 2 task(s) opened, 0 completed"
    subjects = sorted(t["subject"] for t in office.hubspot.open_tasks())
    assert subjects == ["Pay bill B-7 to Books by Bessie: 80.00 USD is due on 2026-09-18",
                        "Pay bill B-8 to Books by Bessie: 80.00 USD was due on 2026-09-01"]
    del office.books.bills["7"]  # paid: Balance 0 no longer matches the query
    assert office.run() == "reminders: 0 task(s) opened, 1 completed"
    assert [t["subject"] for t in office.hubspot.open_tasks()] == [subjects[1]]


def test_off_or_without_a_finance_user_nothing_is_read_and_open_tasks_are_completed() -> None:
    office = Office()
    office.configure(deposit=ReminderRule(enabled=False), pay_vendor=ReminderRule(enabled=True, days=5), owner=None)
    office.books.bill("7", date(2026, 9, 18))
    assert office.run() == "reminders: 0 task(s) opened, 0 completed" and office.books.asked == []
    office.configure(pay_vendor=ReminderRule(enabled=True, days=5))
    assert office.run() == "reminders: 1 task(s) opened, 0 completed"
    office.configure(pay_vendor=ReminderRule(enabled=False, days=5))
    assert office.run() == "reminders: 0 task(s) opened, 1 completed"
    assert office.books.asked == ["bills <= 2026-09-20"]


def test_a_run_that_dies_after_creating_the_task_finds_it_by_its_marker() -> None:
    office = Office()
    office.configure(deposit=ReminderRule(enabled=True, days=0))
    office.books.receive("32", date(2026, 9, 10))
    office.tasks.fail_next_save = True
    with pytest.raises(RuntimeError):
        office.run()
    [record] = office.tasks.for_realm(PORTAL, REALM)
    assert record.task_id is None and record.kind is ReminderKind.DEPOSIT
    assert office.run() == "reminders: 0 task(s) opened, 0 completed, 1 left to a concurrent run"  # claim is live
    stale = record.model_copy(update={"claimed_at": NOW.replace(year=2025)})
    office.tasks.items[(stale.invoice_id, stale.kind)] = stale
    assert office.run() == "reminders: 1 task(s) opened, 0 completed"
    assert len(office.hubspot.tasks) == 1  # found by its marker, not created again


def test_a_payment_and_an_invoice_with_the_same_id_do_not_share_a_record() -> None:
    office = Office()
    office.configure(deposit=ReminderRule(enabled=True, days=0), pay_vendor=ReminderRule(enabled=True, days=30))
    office.books.receive("5", date(2026, 9, 10))
    office.books.bill("5", date(2026, 9, 20))
    assert office.run() == "reminders: 2 task(s) opened, 0 completed"
    assert {(t.invoice_id, t.kind) for t in office.tasks.for_realm(PORTAL, REALM)} == {
        ("5", ReminderKind.DEPOSIT), ("5", ReminderKind.PAY_VENDOR)}
