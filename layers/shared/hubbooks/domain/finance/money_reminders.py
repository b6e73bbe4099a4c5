"""The finance user's reminders as HubSpot tasks, run by the daily job for one company in its time zone:

- bank deposit: a customer payment still in Undeposited Funds N days or more after it was received;
- pay a vendor: a QuickBooks bill not paid and due within N days (or already overdue).

Each reason that holds gets exactly one open task, assigned to the finance user's HubSpot owner; a reason that went
away (deposited, moved off Undeposited Funds, paid, deleted, the reminder turned off or no finance user chosen) gets
its task completed. Opening and closing share the invoice reminders' claim and marker (reminders.py), so a run
interrupted half-way resumes without a second task.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

from hubbooks.domain.finance.reminders import (
    ReminderRun,
    ReminderSettingsStore,
    ReminderTasks,
    TaskCrm,
    TaskToOpen,
    close_task,
    next_episode,
    open_task,
)
from hubbooks.models.money_waiting import UndepositedPayment, UnpaidBill
from hubbooks.models.reminders import MONEY_REMINDERS, ReminderKind, ReminderRule, ReminderSettings, ReminderTask


class MoneyWaiting(Protocol):
    """One QuickBooks company's money waiting for the finance user."""

    def undeposited_payments(self, received_on_or_before: date) -> list[UndepositedPayment]:
        """Payments received into Undeposited Funds on or before the date and in no deposit."""
        ...

    def unpaid_bills(self, due_on_or_before: date) -> list[UnpaidBill]:
        """Bills with a balance, due on or before the date."""
        ...


class Reason(NamedTuple):
    record_id: str
    subject: str
    body: str  # HTML, without the marker


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:.2f} {currency}"


def deposit_reasons(books: MoneyWaiting, rule: ReminderRule, today: date) -> dict[str, Reason]:
    out = {}
    for payment in books.undeposited_payments(today - timedelta(days=rule.days)):
        who = payment.customer_name or "a customer"
        amount = _money(payment.amount, payment.currency)
        ref = f" (ref. {payment.reference})" if payment.reference else ""
        out[payment.id] = Reason(
            payment.id, f"Deposit the {amount} payment from {who}",
            f"<p>The payment of {amount} from {who}{ref}, received on {payment.received_on.isoformat()}, is still in "
            "Undeposited Funds in QuickBooks. Include it in a bank deposit; HubBooks completes this task by itself "
            "once it is deposited.</p>")
    return out


def pay_vendor_reasons(books: MoneyWaiting, rule: ReminderRule, today: date) -> dict[str, Reason]:
    out = {}
    for bill in books.unpaid_bills(today + timedelta(days=rule.days)):
        vendor = bill.vendor_name or "a vendor"
        amount = _money(bill.balance, bill.currency)
        number = f" {bill.doc_number}" if bill.doc_number else ""
        when = "was due" if bill.due_date < today else "is due"
        out[bill.id] = Reason(
            bill.id, f"Pay bill{number} to {vendor}: {amount} {when} on {bill.due_date.isoformat()}",
            f"<p>Bill{number} from {vendor} {when} on {bill.due_date.isoformat()} and {amount} is still open in "
            "QuickBooks. Pay it; HubBooks completes this task by itself once the bill is paid.</p>")
    return out


_REASONS: dict[ReminderKind, Callable[[MoneyWaiting, ReminderRule, date], dict[str, Reason]]] = {
    ReminderKind.DEPOSIT: deposit_reasons, ReminderKind.PAY_VENDOR: pay_vendor_reasons}


def _task_builder(wanted: ReminderTask, reason: Reason, owner_id: str, time_zone: str,
                  today: date) -> Callable[[TaskCrm], TaskToOpen]:
    # Due at 09:00 on the company's today, so it shows among the finance user's tasks for today.
    return lambda _: TaskToOpen(subject=reason.subject, body=f"{reason.body}<p>{wanted.marker}</p>",
                      due=datetime.combine(today, time(9, 0), tzinfo=ZoneInfo(time_zone)), deal_id=None,
                      owner_id=owner_id)


def run_money_reminders(*, portal_id: int, realm_id: str, time_zone: str, today: date,
                        settings: ReminderSettingsStore, books: Callable[[], MoneyWaiting], tasks: ReminderTasks,
                        crm: Callable[[], TaskCrm], now: Callable[[], datetime]) -> ReminderRun:
    """Open and complete the finance user's tasks so exactly the reasons holding today have one open task.
    QuickBooks is read only for reminders that are on; HubSpot is called only when something changes."""
    chosen = settings.get(portal_id, realm_id) or ReminderSettings(portal_id=portal_id, realm_id=realm_id)
    records = {(r.invoice_id, r.kind): r for r in tasks.for_realm(portal_id, realm_id) if r.kind in MONEY_REMINDERS}
    run = ReminderRun()
    opened: list[MoneyWaiting] = []
    hubspot: list[TaskCrm] = []

    def company_books() -> MoneyWaiting:
        if not opened:
            opened.append(books())
        return opened[0]

    def portal_crm() -> TaskCrm:
        if not hubspot:
            hubspot.append(crm())
        return hubspot[0]

    owner = chosen.finance_owner_id
    for kind in MONEY_REMINDERS:
        rule = chosen.rule(kind)
        reasons = _REASONS[kind](company_books(), rule, today) if rule.enabled and owner else {}
        for record_id in sorted(set(reasons) | {i for (i, k) in records if k is kind}):
            record = records.get((record_id, kind))
            reason = reasons.get(record_id)
            if reason is not None and owner and not (record and record.open and record.task_id):
                wanted = ReminderTask(portal_id=portal_id, realm_id=realm_id, invoice_id=record_id, kind=kind,
                                      episode=next_episode(record), claimed_at=now())
                open_task(wanted, tasks, portal_crm, now, run, _task_builder(wanted, reason, owner, time_zone, today))
            elif reason is None and record is not None and record.open:
                close_task(record, tasks, portal_crm, now, run)
    return run
