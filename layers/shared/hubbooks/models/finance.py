"""Finance workflow records and the bodies of their routes."""


from datetime import datetime

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model
from hubbooks.models.invoicing_api import InvoiceSummary, LinkedObject
from hubbooks.models.reminders import ReminderRule, rule_off

MAX_ROLE_MEMBERS = 100


class FinanceRoles(Model):
    """Who approves finance actions in a portal (voiding now; invoice approvals later). HubSpot user ids, as
    HubSpot's signed requests name users. Admins are kept with the portal's HubBooks admins."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    approver_user_ids: tuple[int, ...] = ()
    updated_by_user_id: int | None = None
    updated_at: datetime | None = None


class FinanceRolesBody(Model):
    model_config = ConfigDict(extra="forbid")

    admin_user_ids: list[int] = Field(default_factory=list, max_length=MAX_ROLE_MEMBERS,
                                      description="HubSpot user ids added as HubBooks admins (the installer always "
                                                  "is one)")
    approver_user_ids: list[int] = Field(default_factory=list, max_length=MAX_ROLE_MEMBERS,
                                         description="HubSpot user ids who may void invoices and approve requests")


class FinanceRolesView(Model):
    admin_user_ids: list[int] = Field(description="Admins added besides the user who installed the app")
    approver_user_ids: list[int]
    you_are_admin: bool
    you_can_void: bool


class SendInvoiceBody(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    send_id: str = Field(pattern=r"^[A-Za-z0-9_-]{8,64}$",
                         description="Made once per click by the card; a retry with the same id sends nothing more")
    to: str | None = Field(default=None, max_length=254,
                           description="Where to send it; leave empty for the invoice's billing e-mail")


class VoidInvoiceBody(Model):
    model_config = ConfigDict(extra="forbid")

    confirm: bool = Field(description="Must be true: the person confirmed that the invoice is to be voided")


class InvoiceActionResult(Model):
    """The invoice after a send or a void, and what followed in HubSpot."""

    invoice: InvoiceSummary
    sent_to: str | None = None
    payment_link: str | None = Field(default=None, description="Set where the company takes online payments")
    deals_updated: list[str]
    linked_to: list[LinkedObject]
    warnings: list[str] = Field(default_factory=list)


# The settings page's body for the reminders: here rather than in models/reminders.py, which the scheduled invoice
# job loads (a docstring would become the schema's description in the OpenAPI document).
class ReminderSettingsBody(Model):
    model_config = ConfigDict(extra="forbid")

    overdue: ReminderRule = rule_off()
    not_sent: ReminderRule = rule_off()
    due_soon: ReminderRule = rule_off()
    deposit: ReminderRule = rule_off("Payments waiting in Undeposited Funds longer than `days`")
    pay_vendor: ReminderRule = rule_off("Unpaid QuickBooks bills due within `days` (or overdue)")
    assignee_owner_id: str | None = Field(default=None, pattern=r"^[0-9]{1,20}$",
                                          description="HubSpot owner id to assign every task to; empty: deal owner")
    finance_owner_id: str | None = Field(default=None, pattern=r"^[0-9]{1,20}$",
                                         description="HubSpot owner id of the finance user who gets the deposit and "
                                                     "pay-a-vendor tasks (required to turn those on)")
