"""Approval before QuickBooks: a company's setting, the stored request, its decisions, and the routes' bodies."""


from datetime import date, datetime
from enum import StrEnum

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model
from hubbooks.models.invoicing import InvoiceSubmission
from hubbooks.models.invoicing_api import CreatedInvoice, InvoiceReview

MAX_REASON = 1000


class ApprovalSettings(Model):
    """Off until an admin turns it on, per QuickBooks company. Approvers are the portal's finance roles."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    required: bool = False
    requester_may_approve: bool = False
    assignee_owner_id: str | None = None  # a HubSpot owner for the approval tasks; None: unassigned
    updated_by_user_id: int | None = None


class ApprovalSettingsBody(Model):
    model_config = ConfigDict(extra="forbid")

    required: bool = Field(default=False, description="Invoices for this company need an approver's yes before "
                                                       "they are created in QuickBooks")
    requester_may_approve: bool = Field(default=False, description="An approver may approve a request they made "
                                                                    "themselves")
    assignee_owner_id: str | None = Field(default=None, pattern=r"^[0-9]{1,20}$",
                                          description="HubSpot owner id to assign approval tasks to; empty: none")


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVING = "approving"  # an approver's create is under way (or its answer was lost)
    APPROVED = "approved"
    REJECTED = "rejected"


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

    action: str = Field(description="requested, approved, rejected, or approve_failed")
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
    task_id: str | None = None
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

    @property
    def marker(self) -> str:
        """One search token for the HubSpot task (letters and digits: HubSpot search matches whole tokens)."""
        return f"hubbooksapproval{self.request_id.replace('-', '').replace('_', '')}"


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
    history: list[ApprovalDecision]
    you_can_approve: bool
    why_not: str | None = Field(default=None, description="Why the caller cannot approve, when they cannot")


class DealApprovals(Model):
    deal_id: str
    requests: list[ApprovalRequestView]


class ApprovalOutcome(Model):
    request: ApprovalRequestView
    created: CreatedInvoice | None = Field(default=None, description="The invoice, when the request was approved")
    warnings: list[str] = Field(default_factory=list)
