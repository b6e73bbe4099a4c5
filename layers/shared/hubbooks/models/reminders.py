"""Reminders as HubSpot tasks: per-company settings and our record of each task opened for a reason."""


from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model


class ReminderKind(StrEnum):
    OVERDUE = "overdue"  # N days after the due date, still unpaid
    NOT_SENT = "not_sent"  # N days after the invoice date, never sent
    DUE_SOON = "due_soon"  # N days or fewer before the due date, still unpaid
    DEPOSIT = "deposit"  # a customer payment in Undeposited Funds for more than N days
    PAY_VENDOR = "pay_vendor"  # a QuickBooks bill due within N days (or overdue), not paid


# Reminders about a linked invoice, on its deal; reminders for the finance user about the company's money.
INVOICE_REMINDERS = (ReminderKind.OVERDUE, ReminderKind.NOT_SENT, ReminderKind.DUE_SOON)
MONEY_REMINDERS = (ReminderKind.DEPOSIT, ReminderKind.PAY_VENDOR)


class ReminderRule(Model):
    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = False
    days: int = Field(default=3, ge=0, le=365, description="How many days after (or, for due_soon, before)")


def rule_off(description: str | None = None) -> Any:
    """A rule's default, made on first use rather than at import (an instance here would build ReminderRule's
    validator at every cold start); the schema still shows it."""
    shown = {name: field.default for name, field in ReminderRule.model_fields.items()}
    return Field(default_factory=ReminderRule, description=description, json_schema_extra={"default": shown})


class ReminderSettings(Model):
    """Off until an admin turns a reminder on, per QuickBooks company."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    overdue: ReminderRule = rule_off()
    not_sent: ReminderRule = rule_off()
    due_soon: ReminderRule = rule_off()
    deposit: ReminderRule = rule_off()
    pay_vendor: ReminderRule = rule_off()
    assignee_owner_id: str | None = None  # a HubSpot owner for every invoice task; None: the deal's owner
    finance_owner_id: str | None = None  # the HubSpot owner who gets the deposit and pay-a-vendor tasks
    updated_by_user_id: int | None = None

    def rule(self, kind: ReminderKind) -> ReminderRule:
        return {ReminderKind.OVERDUE: self.overdue, ReminderKind.NOT_SENT: self.not_sent,
                ReminderKind.DUE_SOON: self.due_soon, ReminderKind.DEPOSIT: self.deposit,
                ReminderKind.PAY_VENDOR: self.pay_vendor}[kind]


class ReminderTask(Model):
    """One task for one QuickBooks record and reason: an invoice (invoice reminders), a payment (deposit) or a bill
    (pay a vendor); `invoice_id` holds that record's id, unique per kind. `episode` counts how often the reason came
    back after its task was closed; with the kind and record it makes the marker that keeps retries from opening a
    second task."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    invoice_id: str
    kind: ReminderKind
    episode: int = 1
    task_id: str | None = None  # empty while a run holds the claim and is creating the task
    deal_id: str | None = None
    open: bool = True
    claimed_at: datetime | None = None
    closed_at: datetime | None = None

    @property
    def marker(self) -> str:
        """One search token written into the task body: letters and digits only, since HubSpot's search splits
        words on punctuation and matches whole tokens."""
        kind = self.kind.value.replace("_", "")
        return f"hubbooksreminder{kind}r{self.realm_id}i{self.invoice_id}e{self.episode}"
