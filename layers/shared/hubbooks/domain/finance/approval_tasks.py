"""The approvers' HubSpot tasks for a request: one per approver, assigned to the approver's HubSpot owner, all
completed once the request is decided or withdrawn.

Exactly one open task per request and approver, whatever retries or interruptions happen: a task is created only
by whoever claimed its slot on the request (a conditional write), so two submits at once never both create it. A
fresh claim means no task was ever made for the slot; a claim left by an attempt that died (older than TASK_LEASE)
may have made one, so its taker first looks the task up by the slot's marker. Approvers without an owner (a
deactivated user, or no approvers chosen yet) leave one task for the chosen assignee, or unassigned.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from hubbooks.domain.errors import HubBooksError
from hubbooks.domain.finance.owners import OwnerDirectory, owner_ids_of_users
from hubbooks.domain.finance.reminders import TaskCrm, TaskToOpen
from hubbooks.models.approvals import ApprovalRequest, ApprovalStatus
from hubbooks.observability import logger

TASK_LEASE = timedelta(minutes=1)  # longer than a submit can run (the card's request gives up after 15 s)
UNASSIGNED = "unassigned"
NOT_OPENED = ("The request is saved, but the HubSpot tasks for the approvers could not all be created yet; submit "
              "again in a minute or two to retry (no second request or task is made).")


class RequestTasks(Protocol):
    """Where a request's tasks are recorded (adapters/storage/approval_store.py)."""

    def get(self, portal_id: int, deal_id: str, request_id: str) -> ApprovalRequest | None: ...
    def claim_task(self, portal_id: int, deal_id: str, request_id: str, slot: str, now: datetime,
                   lease: timedelta) -> str | None:
        """Claim the slot to open its task: "" when it was empty, the stale claim taken over, None if refused."""
        ...
    def record_task(self, portal_id: int, deal_id: str, request_id: str, slot: str, task_id: str) -> None: ...


def _task(request: ApprovalRequest, slot: str, deal_name: str | None, approvers: Sequence[int],
          now: datetime) -> TaskToOpen:
    review = request.review
    what = f"{review.total} {review.currency} for {review.customer.display_name}"
    body = (f"<p>HubSpot user {request.requester_user_id} asks to create an invoice of {what} from deal "
            f"{deal_name or request.deal_id}. Open the deal's QuickBooks invoices card to approve or reject it. "
            f"Approvers: {', '.join(f'user {a}' for a in approvers) or 'none chosen yet'}. HubBooks completes this "
            f"task once the request is decided or withdrawn.</p><p>{request.task_marker(slot)}</p>")
    return TaskToOpen(subject=f"Approve invoice: {what}", body=body, due=now, deal_id=request.deal_id,
                      owner_id=None if slot == UNASSIGNED else slot)


def _slots(approvers: Sequence[int], assignee: str | None,
           owners: Callable[[], OwnerDirectory]) -> tuple[list[str], list[int]]:
    """The owner ids to open tasks for, and the approvers who have no owner."""
    owner_of = owner_ids_of_users(owners(), approvers) if approvers else {}
    slots = sorted(set(owner_of.values()), key=lambda owner: (len(owner), owner))
    return slots or [assignee or UNASSIGNED], [user for user in approvers if user not in owner_of]


def open_tasks(request: ApprovalRequest, *, deal_name: str | None, approvers: Sequence[int], assignee: str | None,
               requests: RequestTasks, tasks: Callable[[], TaskCrm], owners: Callable[[], OwnerDirectory],
               now: datetime) -> tuple[ApprovalRequest, list[str]]:
    """Open the task of every approver who has none yet; returns the request with its tasks, and warnings."""
    if request.status is not ApprovalStatus.PENDING or (request.task_id and not request.approver_tasks):
        return request, []  # decided, or made when one task served all approvers
    warnings: list[str] = []
    slots: list[str] = []
    failed = False
    try:
        slots, ownerless = _slots(approvers, assignee, owners)
        if ownerless and len(ownerless) < len(approvers):
            warnings.append(f"No task was assigned to {', '.join(f'user {u}' for u in ownerless)}: HubSpot has no "
                            "active owner for them (a deactivated user?).")
        crm: TaskCrm | None = None
        for slot in slots:
            recorded = request.approver_tasks.get(slot, "")
            if recorded and not recorded.startswith("claim:"):
                continue  # opened already
            replaced = requests.claim_task(request.portal_id, request.deal_id, request.request_id, slot, now,
                                           TASK_LEASE)
            if replaced is None:
                continue  # recorded meanwhile, or another submit is opening it right now
            crm = crm or tasks()
            task_id = (crm.find_task(request.task_marker(slot)) if replaced else None) or crm.create_task(
                _task(request, slot, deal_name, approvers, now))
            requests.record_task(request.portal_id, request.deal_id, request.request_id, slot, task_id)
    except HubBooksError as error:
        logger.warning("approval task not created", extra={"error": type(error).__name__})
        failed = True
    current = requests.get(request.portal_id, request.deal_id, request.request_id) or request
    if current.status is not ApprovalStatus.PENDING:
        close_tasks(current, tasks)  # decided while the tasks were being opened: none stays open
    elif failed or any(current.approver_tasks.get(slot, "claim:").startswith("claim:") for slot in slots):
        warnings.append(NOT_OPENED)  # failed here, or another attempt holds a slot and may have died
    return current, warnings


def close_tasks(request: ApprovalRequest, tasks: Callable[[], TaskCrm]) -> bool:
    """Complete every task of the request, including one a dead attempt made but never recorded; False when HubSpot
    could not be reached (the decision is kept whatever HubSpot answers, and the closing is tried again)."""
    try:
        crm = tasks()
        found = list(request.task_ids)
        found += [task_id for slot, value in sorted(request.approver_tasks.items()) if value.startswith("claim:")
                  for task_id in [crm.find_task(request.task_marker(slot))] if task_id]
        if not found and not request.approver_tasks:
            legacy = crm.find_task(request.marker)
            found = [legacy] if legacy else []
        for task_id in dict.fromkeys(found):
            crm.complete_task(task_id)
    except HubBooksError as error:
        logger.warning("approval task not completed", extra={"error": type(error).__name__})
        return False
    return True
