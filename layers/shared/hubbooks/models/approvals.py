"""Approval before QuickBooks: a company's setting, the stored request, its decisions, and the routes' bodies."""


from datetime import date, datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model
from hubbooks.models.invoice_wizard import InvoiceSubmission
from hubbooks.models.invoicing_api import CreatedInvoice, InvoiceReview

MAX_REASON = 1000


class ApprovalSettings(Model):
    """Off until an admin turns it on, per QuickBooks company. Approvers are the portal's finance roles."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    required: bool = False
    requester_may_approve: bool = False
    assignee_owner_id: str | None = None  # the task's owner when no approver has one; None: unassigned
    updated_by_user_id: int | None = None


class ApprovalSettingsBody(Model):
    model_config = ConfigDict(extra="forbid")

    required: bool = Field(default=False, description="Invoices for this company need an approver's yes before "
                                                       "they are created in QuickBooks")
    requester_may_approve: bool = Field(default=False, description="An approver may approve a request they made "
                                                                    "themselves")
    assignee_owner_id: str | None = Field(default=None, pattern=r"^[0-9]{1,20}$",
                                          description="HubSpot owner id for the approval task when no "
                                                      "approver has a HubSpot owner (each approver's own task goes "
                                                      "to their owner); empty: unassigned")


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVING = "approving"  # an approver's create is under way (or its answer was lost)
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # its requester (or an admin) took it back before anyone decided it


class ApprovalEdits(Model):
    """What an approver may change before approving; a field left out keeps the requested value."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    term_id: str | None = Field(default=None, max_length=40)
    invoice_date: date | None = None
    due_date: date | None = None
    customer_message: str | None = Field(default=None, max_length=1000)


class ApprovalDecision(Model):
    """One entry of a request's history: who did what, when, and which fields they changed."""

    model_config = ConfigDict(frozen=True)

    action: str = Field(description="requested, approved, rejected, withdrawn, or approve_failed")
    user_id: int
    at: datetime
    changes: dict[str, list[str | None]] = Field(default_factory=dict,
                                                 description="field -> [before, after], for edits made on approval")
    reason: str | None = None


class ApprovalRequest(Model):
    """A submitted invoice waiting for (or past) an approver's decision. `submission` is the validated draft the
    create route takes; its submission id makes the eventual create idempotent and marks the invoice's PrivateNote."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    deal_id: str
    request_id: str
    realm_id: str
    requester_user_id: int
    submission: InvoiceSubmission
    review: InvoiceReview
    status: ApprovalStatus = ApprovalStatus.PENDING
    version: int = 1
    task_id: str | None = None  # the one task of requests made before tasks went to each approver
    approver_tasks: dict[str, str] = Field(default_factory=dict, description=(
        "HubSpot owner id (or 'unassigned') -> its task id, or 'claim:<when>' while a submit is opening it"))
    requested_at: datetime
    claimed_by_user_id: int | None = None
    claimed_at: datetime | None = None
    decided_by_user_id: int | None = None
    decided_at: datetime | None = None
    rejection_reason: str | None = None
    last_error: str | None = None
    invoice_id: str | None = None
    invoice_number: str | None = None
    history: tuple[ApprovalDecision, ...] = ()
    followed_up: bool = False  # the decision's tasks closed and timeline note written (stored beside the doc)

    @property
    def marker(self) -> str:
        """One search token for the HubSpot task (letters and digits: HubSpot search matches whole tokens)."""
        return f"hubbooksapproval{self.request_id.replace('-', '').replace('_', '')}"

    def task_marker(self, slot: str) -> str:
        """The search token of the task for one approver's owner id (or the unassigned task)."""
        return f"{self.marker}o{slot}" if slot.isdigit() else self.marker

    @property
    def task_ids(self) -> list[str]:
        """Every task recorded for the request (claims still being opened left out)."""
        found = [self.task_id] if self.task_id else []
        found += [value for _slot, value in sorted(self.approver_tasks.items()) if not value.startswith("claim:")]
        return list(dict.fromkeys(found))


class ApprovalRequestBody(InvoiceSubmission):
    """The wizard's submission; its submission_id also names the request, so a retried click stores one."""


class ApproveBody(Model):
    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=1, description="The request version the approver saw; a changed request is refused")
    edits: ApprovalEdits = ApprovalEdits()


class RejectBody(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    version: int = Field(ge=1, description="The request version the approver saw")
    reason: str = Field(min_length=1, max_length=MAX_REASON, description="Shown to the requester")


class WithdrawBody(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    version: int = Field(ge=1, description="The request version the requester saw")
    reason: str | None = Field(default=None, max_length=MAX_REASON,
                               description="Why it is withdrawn (optional); kept with the decision")


class ApprovalRequestView(Model):
    request_id: str
    deal_id: str
    realm_id: str
    status: ApprovalStatus
    status_label: str
    version: int
    requester_user_id: int
    requested_at: datetime
    review: InvoiceReview
    submission: InvoiceSubmission
    rejection_reason: str | None = None
    last_error: str | None = Field(default=None, description="Why the last approval attempt did not create it")
    invoice_id: str | None = None
    invoice_number: str | None = None
    task_id: str | None = None
    task_ids: list[str] = Field(default_factory=list, description="The approvers' HubSpot tasks, one per approver")
    history: list[ApprovalDecision]
    you_can_approve: bool
    why_not: str | None = Field(default=None, description="Why the caller cannot approve, when they cannot")
    you_can_withdraw: bool = Field(default=False, description="The caller made the request (or is an admin) and "
                                                              "nobody has decided it yet")


class DealApprovals(Model):
    deal_id: str
    requests: list[ApprovalRequestView]


class ApprovalOutcome(Model):
    request: ApprovalRequestView
    created: CreatedInvoice | None = Field(default=None, description="The invoice, when the request was approved")
    warnings: list[str] = Field(default_factory=list)
