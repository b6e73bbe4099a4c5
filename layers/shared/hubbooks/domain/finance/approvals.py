"""Approval before QuickBooks: with a company's approval turned on, the wizard's "Create invoice" stores a request
(the validated submission and the review the requester saw) and opens a HubSpot task for the approvers; an approver
approves (possibly after editing terms, dates and message) or rejects it with a reason; until then its requester
(or an admin) may withdraw it. Each approver gets a task (approval_tasks.py); every decision closes them all and is
written on the deal's timeline (approval_notes.py).

One invoice per request, however many approvers click: every write to a request is conditional on the version it
read, so of two approvers approving at once one claims the request and the other is told. The claimed request is
created through the same path as a direct create, under the request's submission id, so a lost answer is recovered
by the pending-submission machinery and a retried approval gets the invoice QuickBooks already made. A claim whose
create failed without an answer stays "approving": its approver (or anyone after CLAIM_LEASE) approves again.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from hubbooks.domain.errors import ConflictError, HubBooksError, NotFoundError
from hubbooks.domain.finance.approval_notes import NOTE_NOT_WRITTEN, DealTimeline, ensure_decision_note
from hubbooks.domain.finance.approval_tasks import RequestTasks, close_tasks, open_tasks
from hubbooks.domain.finance.owners import OwnerDirectory
from hubbooks.domain.finance.reminders import TaskCrm
from hubbooks.domain.finance.roles import Admins, FinanceRolesStore, NotAllowedError, require_admin, roles_of
from hubbooks.domain.invoicing.errors import InvoiceRejectedError, QuickBooksRejectedError
from hubbooks.models.approvals import (
    ApprovalDecision,
    ApprovalEdits,
    ApprovalRequest,
    ApprovalRequestView,
    ApprovalSettings,
    ApprovalSettingsBody,
    ApprovalStatus,
)
from hubbooks.models.invoice_wizard import InvoiceSubmission
from hubbooks.models.invoicing_api import CreatedInvoice, InvoiceReview

CATCH_UP_PER_LISTING = 2  # decided requests whose HubSpot follow-up is retried when the card lists them
CLAIM_LEASE = timedelta(minutes=2)  # longer than a create can run (the card's request gives up after 15 s)
_LABELS = {ApprovalStatus.PENDING: "Awaiting approval", ApprovalStatus.APPROVING: "Being approved",
           ApprovalStatus.APPROVED: "Approved", ApprovalStatus.REJECTED: "Rejected",
           ApprovalStatus.WITHDRAWN: "Withdrawn"}
_DECIDED = (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED, ApprovalStatus.WITHDRAWN)


class ApprovalSettingsStore(Protocol):
    def get(self, portal_id: int, realm_id: str) -> ApprovalSettings | None: ...
    def save(self, settings: ApprovalSettings) -> None: ...


class ApprovalRequests(RequestTasks, Protocol):
    def add(self, request: ApprovalRequest) -> ApprovalRequest | None:
        """Store a new request; when one with its id exists already, store nothing and return that one."""
        ...
    def get(self, portal_id: int, deal_id: str, request_id: str) -> ApprovalRequest | None: ...
    def mark_followed_up(self, portal_id: int, deal_id: str, request_id: str) -> None:
        """The decision's tasks are closed and its timeline note written: nothing is left to catch up."""
        ...
    def for_deal(self, portal_id: int, deal_id: str) -> list[ApprovalRequest]: ...
    def replace(self, request: ApprovalRequest, seen_version: int) -> None:
        """Write `request` (whose version is seen_version + 1) only if the stored version is still seen_version,
        else raise StaleRequestError."""
        ...


class StaleRequestError(Exception):
    """Someone changed the request since it was read."""


class ApprovalRequiredError(ConflictError):
    code = "approval_required"


class RequestNotFoundError(NotFoundError):
    code = "approval_request_not_found"


def settings_of(portal_id: int, realm_id: str, store: ApprovalSettingsStore) -> ApprovalSettings:
    return store.get(portal_id, realm_id) or ApprovalSettings(portal_id=portal_id, realm_id=realm_id)


def require_direct_create_allowed(*, portal_id: int, realm_id: str, store: ApprovalSettingsStore) -> None:
    """The create route refuses what needs approval, so the card cannot skip it."""
    if settings_of(portal_id, realm_id, store).required:
        raise ApprovalRequiredError("Invoices for this QuickBooks company need an approver's yes first: submit the "
                                    "invoice for approval instead (reopen the wizard to get the button).")


def change_settings(*, portal_id: int, realm_id: str, user_id: int, body: ApprovalSettingsBody,
                    store: ApprovalSettingsStore, admins: Admins) -> ApprovalSettingsBody:
    require_admin(portal_id=portal_id, user_id=user_id, admins=admins, action="change approvals")
    store.save(ApprovalSettings(portal_id=portal_id, realm_id=realm_id, updated_by_user_id=user_id,
                                **body.model_dump()))
    return body


def submit_request(*, portal_id: int, user_id: int, deal_id: str, deal_name: str | None,
                   submission: InvoiceSubmission, review: Callable[[], InvoiceReview],
                   settings: ApprovalSettingsStore, requests: ApprovalRequests, roles: FinanceRolesStore,
                   tasks: Callable[[], TaskCrm], owners: Callable[[], OwnerDirectory],
                   now: datetime) -> tuple[ApprovalRequest, list[str]]:
    """Store the request (once per submission id) and open each approver's task (once; a retry opens only what is
    missing)."""
    chosen = settings_of(portal_id, submission.realm_id, settings)
    if not chosen.required:
        raise ConflictError("Approval is off for this QuickBooks company: create the invoice directly.")
    stored = requests.add(ApprovalRequest(
        portal_id=portal_id, deal_id=deal_id, request_id=submission.submission_id, realm_id=submission.realm_id,
        requester_user_id=user_id, submission=submission, review=review(), requested_at=now,
        history=(ApprovalDecision(action="requested", user_id=user_id, at=now),)))
    request = stored or requests.get(portal_id, deal_id, submission.submission_id)
    assert request is not None
    if stored is not None and stored.requester_user_id != user_id:
        raise ConflictError("That request was made by someone else; reopen the wizard to start a new one.")
    return open_tasks(request, deal_name=deal_name, approvers=roles_of(portal_id, roles).approver_user_ids,
                      assignee=chosen.assignee_owner_id, requests=requests, tasks=tasks, owners=owners, now=now)


def may_approve(request: ApprovalRequest, user_id: int, approvers: tuple[int, ...],
                chosen: ApprovalSettings) -> str | None:
    """None when `user_id` may decide the request, else why not."""
    if user_id not in approvers:
        return "Only approvers can approve or reject requests; an admin chooses them in the HubBooks settings."
    if user_id == request.requester_user_id and not chosen.requester_may_approve:
        return "You made this request, so another approver must decide it (an admin can allow otherwise)."
    return None


def may_withdraw(request: ApprovalRequest, user_id: int, is_admin: bool) -> bool:
    return request.status is ApprovalStatus.PENDING and (user_id == request.requester_user_id or is_admin)


def view_of(request: ApprovalRequest, user_id: int, approvers: tuple[int, ...],
            chosen: ApprovalSettings, is_admin: bool = False) -> ApprovalRequestView:
    why_not = may_approve(request, user_id, approvers, chosen)
    open_ = request.status in (ApprovalStatus.PENDING, ApprovalStatus.APPROVING)
    return ApprovalRequestView(
        request_id=request.request_id, deal_id=request.deal_id, realm_id=request.realm_id, status=request.status,
        status_label=_LABELS[request.status], version=request.version, requester_user_id=request.requester_user_id,
        requested_at=request.requested_at, review=request.review, submission=request.submission,
        rejection_reason=request.rejection_reason, last_error=request.last_error, invoice_id=request.invoice_id,
        invoice_number=request.invoice_number, task_id=next(iter(request.task_ids), None),
        task_ids=request.task_ids, history=list(request.history),
        you_can_approve=open_ and why_not is None, why_not=why_not if open_ else None,
        you_can_withdraw=may_withdraw(request, user_id, is_admin))


def _load(requests: ApprovalRequests, portal_id: int, deal_id: str, request_id: str) -> ApprovalRequest:
    found = requests.get(portal_id, deal_id, request_id)
    if found is None:
        raise RequestNotFoundError("That approval request does not exist on this deal; refresh the card.")
    return found


def _require_decider(request: ApprovalRequest, user_id: int, roles: FinanceRolesStore,
                     chosen: ApprovalSettings) -> None:
    why_not = may_approve(request, user_id, roles_of(request.portal_id, roles).approver_user_ids, chosen)
    if why_not:
        raise NotAllowedError(why_not)


def _decided_message(request: ApprovalRequest) -> str:
    if request.status is ApprovalStatus.APPROVED:
        return (f"This request was already approved by user {request.decided_by_user_id}: invoice "
                f"{request.invoice_number or request.invoice_id} exists.")
    if request.status is ApprovalStatus.REJECTED:
        return f"This request was already rejected by user {request.decided_by_user_id}."
    return f"This request was already withdrawn by user {request.decided_by_user_id}."


def _refuse_if_decided(request: ApprovalRequest, requests: ApprovalRequests, tasks: Callable[[], TaskCrm],
                       timeline: Callable[[], DealTimeline], tail: str = "") -> None:
    """A decided request is told as such; a retry after a lost answer first finishes what the decision left
    (its tasks closed, its timeline note), both idempotent."""
    if request.status in _DECIDED:
        _finish(request, requests, tasks, timeline)
        raise ConflictError(_decided_message(request) + tail)


def _require_open(request: ApprovalRequest, user_id: int, seen_version: int, now: datetime) -> None:
    if (request.status is ApprovalStatus.APPROVING and request.claimed_by_user_id != user_id
            and request.claimed_at is not None and now - request.claimed_at < CLAIM_LEASE):
        raise ConflictError(f"User {request.claimed_by_user_id} is approving this request right now; refresh the "
                            "card in a moment.")
    if request.version != seen_version:
        raise ConflictError("This request changed since you opened it; refresh the card and check it again.")


def _write(requests: ApprovalRequests, request: ApprovalRequest, seen_version: int) -> ApprovalRequest:
    try:
        requests.replace(request, seen_version)
    except StaleRequestError as error:
        raise ConflictError("Another approver decided or is approving this request at this moment; refresh the "
                            "card to see what happened.") from error
    return request


def _apply(submission: InvoiceSubmission, edits: ApprovalEdits) -> tuple[InvoiceSubmission,
                                                                         dict[str, list[str | None]]]:
    wanted = edits.model_dump(exclude_unset=True)
    changes = {name: [None if getattr(submission, name) is None else str(getattr(submission, name)),
                      None if value is None else str(value)]
               for name, value in wanted.items() if getattr(submission, name) != value}
    return submission.model_copy(update={name: wanted[name] for name in changes}), changes


def approve_request(*, portal_id: int, user_id: int, deal_id: str, request_id: str, seen_version: int,
                    edits: ApprovalEdits, settings: ApprovalSettingsStore, requests: ApprovalRequests,
                    roles: FinanceRolesStore, create: Callable[[InvoiceSubmission], CreatedInvoice],
                    tasks: Callable[[], TaskCrm], timeline: Callable[[], DealTimeline], now: Callable[[], datetime]
                    ) -> tuple[ApprovalRequest, CreatedInvoice, list[str]]:
    request = _load(requests, portal_id, deal_id, request_id)
    chosen = settings_of(portal_id, request.realm_id, settings)
    _require_decider(request, user_id, roles, chosen)
    _refuse_if_decided(request, requests, tasks, timeline)
    _require_open(request, user_id, seen_version, now())
    # Edits are checked by the create itself (the same validation a direct create gets).
    submission, changes = _apply(request.submission, edits)
    claimed = _write(requests, request.model_copy(update={
        "status": ApprovalStatus.APPROVING, "version": request.version + 1, "submission": submission,
        "claimed_by_user_id": user_id, "claimed_at": now(), "last_error": None}), request.version)
    try:
        created = create(submission)
    except (InvoiceRejectedError, QuickBooksRejectedError, ConflictError, NotFoundError) as error:
        # Nothing was made (the customer or an item went, numbering refused...): the request stays pending.
        _write(requests, claimed.model_copy(update={
            "status": ApprovalStatus.PENDING, "version": claimed.version + 1, "claimed_by_user_id": None,
            "claimed_at": None, "last_error": error.message, "history": (*claimed.history, ApprovalDecision(
                action="approve_failed", user_id=user_id, at=now(), changes=changes, reason=error.message))}),
            claimed.version)
        raise _not_approved(error) from error
    except Exception:
        # Unknown outcome: the claim stays; approving again (same submission id) finds or finishes the invoice.
        with contextlib.suppress(ConflictError):
            _write(requests, claimed.model_copy(update={
                "version": claimed.version + 1,
                "last_error": "QuickBooks did not answer; approve again to finish (no second invoice is made)."}),
                claimed.version)
        raise
    approved = _write(requests, claimed.model_copy(update={
        "status": ApprovalStatus.APPROVED, "version": claimed.version + 1, "decided_by_user_id": user_id,
        "decided_at": now(), "invoice_id": created.invoice.invoice_id, "invoice_number": created.invoice.number,
        "last_error": None, "history": (*claimed.history, ApprovalDecision(action="approved", user_id=user_id,
                                                                           at=now(), changes=changes))}),
        claimed.version)
    return approved, created, _finish(approved, requests, tasks, timeline)


def _not_approved(error: HubBooksError) -> HubBooksError:
    message = (f"Not approved: {error.message} The request stays pending; reject it with a reason so the "
               "requester can submit a corrected one, or fix it in QuickBooks and approve again.")
    if isinstance(error, InvoiceRejectedError):
        return InvoiceRejectedError(error.problems, message)
    error.message, error.args = message, (message,)
    return error


def reject_request(*, portal_id: int, user_id: int, deal_id: str, request_id: str, seen_version: int, reason: str,
                   settings: ApprovalSettingsStore, requests: ApprovalRequests, roles: FinanceRolesStore,
                   tasks: Callable[[], TaskCrm], timeline: Callable[[], DealTimeline],
                   now: Callable[[], datetime]) -> tuple[ApprovalRequest, list[str]]:
    request = _load(requests, portal_id, deal_id, request_id)
    chosen = settings_of(portal_id, request.realm_id, settings)
    _require_decider(request, user_id, roles, chosen)
    _refuse_if_decided(request, requests, tasks, timeline)
    _require_open(request, user_id, seen_version, now())
    if request.status is ApprovalStatus.APPROVING:
        raise ConflictError("This request is being approved (its invoice may exist in QuickBooks already); approve "
                            "it again to finish, then void the invoice if it should not exist.")
    rejected = _write(requests, request.model_copy(update={
        "status": ApprovalStatus.REJECTED, "version": request.version + 1, "decided_by_user_id": user_id,
        "decided_at": now(), "rejection_reason": reason, "history": (*request.history, ApprovalDecision(
            action="rejected", user_id=user_id, at=now(), reason=reason))}), request.version)
    return rejected, _finish(rejected, requests, tasks, timeline)


def withdraw_request(*, portal_id: int, user_id: int, deal_id: str, request_id: str, seen_version: int,
                     reason: str | None, requests: ApprovalRequests, admins: Admins, tasks: Callable[[], TaskCrm],
                     timeline: Callable[[], DealTimeline], now: Callable[[], datetime]
                     ) -> tuple[ApprovalRequest, list[str]]:
    """The requester (or an admin) takes back a request nobody has decided; kept as a decision like the others."""
    request = _load(requests, portal_id, deal_id, request_id)
    if user_id != request.requester_user_id and not admins.is_admin(portal_id, user_id):
        raise NotAllowedError(f"Only the person who asked for this approval (user {request.requester_user_id}) or "
                              "a HubBooks admin can withdraw it.")
    _refuse_if_decided(request, requests, tasks, timeline, " It can no longer be withdrawn.")
    if request.status is ApprovalStatus.APPROVING:
        raise ConflictError(f"User {request.claimed_by_user_id} is approving this request (its invoice may exist in "
                            "QuickBooks already), so it can no longer be withdrawn; void the invoice afterwards if "
                            "it should not exist.")
    if request.version != seen_version:
        raise ConflictError("This request changed since you opened it; refresh the card and check it again.")
    withdrawn = _write(requests, request.model_copy(update={
        "status": ApprovalStatus.WITHDRAWN, "version": request.version + 1, "decided_by_user_id": user_id,
        "decided_at": now(), "history": (*request.history, ApprovalDecision(
            action="withdrawn", user_id=user_id, at=now(), reason=reason or None))}), request.version)
    return withdrawn, _finish(withdrawn, requests, tasks, timeline)


def _finish(request: ApprovalRequest, requests: ApprovalRequests, tasks: Callable[[], TaskCrm],
            timeline: Callable[[], DealTimeline]) -> list[str]:
    """What follows a decision in HubSpot: the approvers' tasks closed and the note on the deal's timeline. Once
    both are done the request says so; until then every listing of the deal's requests tries again."""
    if request.followed_up:
        return []
    closed = close_tasks(request, tasks)
    noted = ensure_decision_note(request, timeline)
    if closed and noted:
        requests.mark_followed_up(request.portal_id, request.deal_id, request.request_id)
    return [] if noted else [NOTE_NOT_WRITTEN]


def catch_up(found: list[ApprovalRequest], *, requests: ApprovalRequests, tasks: Callable[[], TaskCrm],
             timeline: Callable[[], DealTimeline], limit: int = CATCH_UP_PER_LISTING) -> None:
    """Finish what HubSpot trouble left of earlier decisions (tasks open, note missing), a few per listing so the
    card stays fast; both steps find what they made before, so nothing is made twice."""
    for request in [r for r in found if r.status in _DECIDED and not r.followed_up][:limit]:
        _finish(request, requests, tasks, timeline)
