"""Approval rules with fakes: who may decide, two approvers at once (one invoice, a clear 409 for the other), a
failed create leaving the request pending, a lost answer leaving the claim for a retry, tasks opened once, the
requester's withdrawal, and each decision noted once on the deal's timeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from hubbooks.adapters.hubspot.errors import HubSpotAnswerLostError, HubSpotUnavailableError
from hubbooks.domain.errors import ConflictError
from hubbooks.domain.finance import approvals
from hubbooks.domain.finance.approvals import StaleRequestError
from hubbooks.domain.finance.reminders import TaskToOpen
from hubbooks.domain.finance.roles import NotAllowedError
from hubbooks.domain.invoicing.errors import FieldProblem, InvoiceRejectedError
from hubbooks.models.approvals import ApprovalEdits, ApprovalRequest, ApprovalSettings, ApprovalStatus
from hubbooks.models.finance import FinanceRoles
from hubbooks.models.invoice_wizard import InvoiceSubmission
from hubbooks.models.invoicing import InvoiceStatus
from hubbooks.models.invoicing_api import CreatedInvoice, CustomerView, InvoiceReview, InvoiceSummary, LinkedObject
from tests.unit.finance.fakes import FakeAdmins, FakeRoles
from tests.unit.finance.owner_fakes import FakeOwnerDirectory
from tests.unit.invoicing.fakes import NOW

PORTAL, DEAL, REQUESTER, APPROVER, OTHER = 1, "55", 8, 9, 10


@dataclass
class FakeRequests:
    items: dict[str, ApprovalRequest] = field(default_factory=dict)
    before_write: list[Callable[[], object]] = field(default_factory=list)  # runs once, just before the next write

    def add(self, request: ApprovalRequest) -> ApprovalRequest | None:
        if request.request_id in self.items:
            return self.items[request.request_id]
        self.items[request.request_id] = request
        return None

    def get(self, portal_id: int, deal_id: str, request_id: str) -> ApprovalRequest | None:
        return self.items.get(request_id)

    def for_deal(self, portal_id: int, deal_id: str) -> list[ApprovalRequest]:
        return list(self.items.values())

    def replace(self, request: ApprovalRequest, seen_version: int) -> None:
        while self.before_write:
            self.before_write.pop(0)()
        stored = self.items[request.request_id]
        if stored.version != seen_version:
            raise StaleRequestError(request.request_id)
        # Like the table: the decision's write leaves the tasks recorded beside it as they are.
        self.items[request.request_id] = request.model_copy(update={"approver_tasks": stored.approver_tasks,
                                                                     "followed_up": stored.followed_up})

    def claim_task(self, portal_id: int, deal_id: str, request_id: str, slot: str, now: datetime,
                   lease: timedelta) -> str | None:
        current = self.items[request_id]
        held = current.approver_tasks.get(slot)
        if held is not None and not (held.startswith("claim:") and held < f"claim:{(now - lease).isoformat()}"):
            return None
        self._slot(request_id, slot, f"claim:{now.isoformat()}")
        return held or ""

    def record_task(self, portal_id: int, deal_id: str, request_id: str, slot: str, task_id: str) -> None:
        self._slot(request_id, slot, task_id)

    def mark_followed_up(self, portal_id: int, deal_id: str, request_id: str) -> None:
        self.items[request_id] = self.items[request_id].model_copy(update={"followed_up": True})

    def _slot(self, request_id: str, slot: str, value: str) -> None:
        current = self.items[request_id]
        self.items[request_id] = current.model_copy(update={"approver_tasks": {**current.approver_tasks,
                                                                               slot: value}})


@dataclass
class FakeSettings:
    settings: ApprovalSettings = field(default_factory=lambda: ApprovalSettings(portal_id=PORTAL, realm_id="9130",
                                                                               required=True))

    def get(self, portal_id: int, realm_id: str) -> ApprovalSettings | None:
        return self.settings

    def save(self, settings: ApprovalSettings) -> None:
        self.settings = settings


@dataclass
class FakeTasks:
    created: list[TaskToOpen] = field(default_factory=list)
    completed: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # "down": the next create fails; "lost": made, answer lost

    def deal_owner(self, deal_id: str) -> str | None:
        return None

    def create_task(self, task: TaskToOpen) -> str:
        failure = self.failures.pop(0) if self.failures else None
        if failure == "down":
            raise HubSpotUnavailableError("HubSpot is down")
        self.created.append(task)
        if failure == "lost":
            raise HubSpotAnswerLostError("no answer")
        return f"task-{len(self.created)}"

    def find_task(self, marker: str) -> str | None:
        """HubSpot's CONTAINS_TOKEN: the marker as a whole token of the body."""
        return next((f"task-{i + 1}" for i, t in enumerate(self.created) if f"<p>{marker}</p>" in t.body), None)

    def open_tasks(self) -> list[TaskToOpen]:
        return [t for i, t in enumerate(self.created) if f"task-{i + 1}" not in self.completed]

    def complete_task(self, task_id: str) -> bool:
        self.completed.append(task_id)
        return True


@dataclass
class FakeTimeline:
    """A deal's notes; `failures` make the next creates fail, before ("down") or after ("lost") HubSpot made it."""

    notes: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def notes_on_deals(self, deal_ids: Sequence[str]) -> dict[str, str]:
        if self.failures and self.failures[0] == "down":
            self.failures.pop(0)
            raise HubSpotUnavailableError("HubSpot is down")
        return dict(self.notes)

    def create_note(self, body: str, timestamp: datetime, deal_ids: Sequence[str]) -> str:
        failure = self.failures.pop(0) if self.failures else None
        if failure == "down":
            raise HubSpotUnavailableError("HubSpot is down")
        self.notes[str(100 + len(self.notes))] = body
        if failure == "lost":
            raise HubSpotAnswerLostError("no answer")
        return str(99 + len(self.notes))


SUBMISSION = InvoiceSubmission.model_validate({"realm_id": "9130", "customer_id": "1", "submission_id": "sub-0001",
                                               "lines": [{"item_id": "1", "quantity": "1", "rate": "100"}]})
def review() -> InvoiceReview:
    return InvoiceReview(realm_id="9130", customer=CustomerView(customer_id="1", display_name="Birds"), lines=[],
                         invoice_date=date(2026, 9, 15), due_date=date(2026, 10, 15), term_id=None, term_name=None,
                         customer_message=None, currency="USD", subtotal=Decimal(100), tax=Decimal(0), tax_lines=[],
                         total=Decimal(100), tax_note=None, doc_number_note=None)


def created_invoice(submission: InvoiceSubmission) -> CreatedInvoice:
    summary = InvoiceSummary(realm_id="9130", company_name="Acme US", invoice_id="77", number="1077", customer="Birds",
                             invoice_date=date(2026, 9, 15), due_date=submission.due_date, amount=Decimal(100),
                             balance=Decimal(100), currency="USD", status=InvoiceStatus.WAITING_TO_BE_SENT,
                             status_label="Draft", qbo_url="https://qbo.example/77", writes_deal_properties=True)
    return CreatedInvoice(invoice=summary, linked_to=LinkedObject(object_type="deal", object_id=DEAL),
                          deal_properties_updated=True, warnings=[])


@dataclass
class World:
    warnings: list[str] = field(default_factory=list)
    requests: FakeRequests = field(default_factory=FakeRequests)
    settings: FakeSettings = field(default_factory=FakeSettings)
    roles: FakeRoles = field(default_factory=lambda: FakeRoles({PORTAL: FinanceRoles(
        portal_id=PORTAL, approver_user_ids=(APPROVER, OTHER))}))
    tasks: FakeTasks = field(default_factory=FakeTasks)
    owners: FakeOwnerDirectory = field(default_factory=FakeOwnerDirectory)
    timeline: FakeTimeline = field(default_factory=FakeTimeline)
    admins: FakeAdmins = field(default_factory=lambda: FakeAdmins(installers={PORTAL: 1}))
    creates: list[InvoiceSubmission] = field(default_factory=list)

    def submit(self, user_id: int = REQUESTER, at: datetime = NOW, warned: bool = False) -> ApprovalRequest:
        request, warnings = approvals.submit_request(
            portal_id=PORTAL, user_id=user_id, deal_id=DEAL, deal_name="Birds deal", submission=SUBMISSION,
            review=review, settings=self.settings, requests=self.requests, roles=self.roles,
            tasks=lambda: self.tasks, owners=lambda: self.owners, now=at)
        assert bool(warnings) == warned, warnings
        self.warnings = warnings
        return request

    def create(self, submission: InvoiceSubmission) -> CreatedInvoice:
        self.creates.append(submission)
        return created_invoice(submission)

    def approve(self, user_id: int = APPROVER, version: int = 1, edits: ApprovalEdits = ApprovalEdits(),
                create: Callable[[InvoiceSubmission], CreatedInvoice] | None = None) -> ApprovalRequest:
        request, _, self.warnings = approvals.approve_request(
            portal_id=PORTAL, user_id=user_id, deal_id=DEAL, request_id="sub-0001", seen_version=version,
            edits=edits, settings=self.settings, requests=self.requests, roles=self.roles,
            create=create or self.create, tasks=lambda: self.tasks, timeline=lambda: self.timeline,
            now=lambda: NOW)
        return request

    def reject(self, user_id: int = APPROVER, version: int = 1, reason: str = "Wrong price") -> ApprovalRequest:
        request, self.warnings = approvals.reject_request(
            portal_id=PORTAL, user_id=user_id, deal_id=DEAL, request_id="sub-0001", seen_version=version,
            reason=reason, settings=self.settings, requests=self.requests, roles=self.roles,
            tasks=lambda: self.tasks, timeline=lambda: self.timeline, now=lambda: NOW)
        return request

    def withdraw(self, user_id: int = REQUESTER, version: int = 1, reason: str | None = None) -> ApprovalRequest:
        request, self.warnings = approvals.withdraw_request(
            portal_id=PORTAL, user_id=user_id, deal_id=DEAL, request_id="sub-0001", seen_version=version,
            reason=reason, requests=self.requests, admins=self.admins, tasks=lambda: self.tasks,
            timeline=lambda: self.timeline, now=lambda: NOW + timedelta(minutes=5))
        return request


def test_a_retried_submit_stores_one_request_with_one_task() -> None:
    world = World()
    first = world.submit()
    again = world.submit()
    assert first.request_id == again.request_id == "sub-0001" and len(world.tasks.created) == 1
    assert first.marker in world.tasks.created[0].body and "user 9, user 10" in world.tasks.created[0].body


def test_submitting_when_approval_is_off_is_refused() -> None:
    world = World(settings=FakeSettings(ApprovalSettings(portal_id=PORTAL, realm_id="9130")))
    with pytest.raises(ConflictError, match="create the invoice directly"):
        world.submit()


def test_only_approvers_and_not_the_requester_unless_allowed() -> None:
    world = World()
    world.submit(user_id=APPROVER)
    with pytest.raises(NotAllowedError, match="Only approvers"):
        world.approve(user_id=REQUESTER)
    with pytest.raises(NotAllowedError, match="another approver"):
        world.approve(user_id=APPROVER)
    world.settings.settings = world.settings.settings.model_copy(update={"requester_may_approve": True})
    assert world.approve(user_id=APPROVER).status is ApprovalStatus.APPROVED


def test_edits_are_applied_and_recorded() -> None:
    world = World()
    world.submit()
    approved = world.approve(edits=ApprovalEdits(due_date=date(2026, 11, 1), customer_message="Thanks"))
    assert world.creates[0].due_date == date(2026, 11, 1) and world.creates[0].submission_id == "sub-0001"
    assert approved.history[-1].changes == {"due_date": [None, "2026-11-01"], "customer_message": [None, "Thanks"]}
    assert approved.invoice_number == "1077" and world.tasks.completed == ["task-1"]


def test_two_approvers_at_once_make_one_invoice_and_the_second_gets_a_conflict() -> None:
    world = World()
    world.submit()
    # The other approver read version 1 too; their claim lands between our read and our write.
    world.requests.before_write.append(lambda: world.approve(user_id=OTHER))
    with pytest.raises(ConflictError, match="Another approver"):
        world.approve()
    assert len(world.creates) == 1 and world.requests.items["sub-0001"].decided_by_user_id == OTHER


def test_an_approver_arriving_during_a_claim_is_told_who_is_approving() -> None:
    world = World()
    world.submit()

    def slow_create(submission: InvoiceSubmission) -> CreatedInvoice:
        with pytest.raises(ConflictError, match="User 9 is approving"):
            world.approve(user_id=OTHER, version=2)
        return world.create(submission)

    assert world.approve(create=slow_create).status is ApprovalStatus.APPROVED
    assert len(world.creates) == 1


def test_a_refused_create_leaves_the_request_pending_with_the_reason() -> None:
    world = World()
    world.submit()

    def refused(submission: InvoiceSubmission) -> CreatedInvoice:
        raise InvoiceRejectedError([FieldProblem("customer_id", "That customer no longer exists in QuickBooks.")])

    with pytest.raises(InvoiceRejectedError, match="stays pending") as raised:
        world.approve(create=refused)
    assert raised.value.problems[0].field == "customer_id"
    stored = world.requests.items["sub-0001"]
    assert stored.status is ApprovalStatus.PENDING and "no longer exists" in (stored.last_error or "")
    assert [h.action for h in stored.history] == ["requested", "approve_failed"]
    assert world.approve(version=stored.version).status is ApprovalStatus.APPROVED


def test_a_lost_answer_keeps_the_claim_and_a_retry_uses_the_same_submission() -> None:
    world = World()
    world.submit()

    def lost(submission: InvoiceSubmission) -> CreatedInvoice:
        world.creates.append(submission)
        raise TimeoutError("no answer")

    with pytest.raises(TimeoutError):
        world.approve(create=lost)
    stored = world.requests.items["sub-0001"]
    assert stored.status is ApprovalStatus.APPROVING and "approve again" in (stored.last_error or "")
    with pytest.raises(ConflictError, match="User 9 is approving"):
        approvals.approve_request(portal_id=PORTAL, user_id=OTHER, deal_id=DEAL, request_id="sub-0001",
                                  seen_version=stored.version, edits=ApprovalEdits(), settings=world.settings,
                                  requests=world.requests, roles=world.roles, create=world.create,
                                  tasks=lambda: world.tasks, timeline=lambda: world.timeline,
                                  now=lambda: NOW + timedelta(seconds=30))
    assert world.approve(version=stored.version).status is ApprovalStatus.APPROVED
    assert {s.submission_id for s in world.creates} == {"sub-0001"}


def test_reject_keeps_the_reason_and_completes_the_task() -> None:
    world = World()
    world.submit()
    rejected = world.reject()
    assert rejected.status is ApprovalStatus.REJECTED and rejected.rejection_reason == "Wrong price"
    assert world.tasks.completed == ["task-1"]
    with pytest.raises(ConflictError, match="already rejected"):
        world.approve(version=rejected.version)


def test_the_requester_withdraws_a_pending_request_kept_as_a_decision() -> None:
    world = World()
    world.submit()
    withdrawn = world.withdraw(reason="Customer changed their mind")
    assert withdrawn.status is ApprovalStatus.WITHDRAWN and withdrawn.version == 2
    assert withdrawn.decided_by_user_id == REQUESTER and withdrawn.decided_at == NOW + timedelta(minutes=5)
    assert [(h.action, h.user_id, h.reason) for h in withdrawn.history][-1] == (
        "withdrawn", REQUESTER, "Customer changed their mind")
    assert world.tasks.completed == ["task-1"] and world.warnings == []
    with pytest.raises(ConflictError, match="already withdrawn by user 8"):
        world.approve()
    assert world.creates == []


def test_only_the_requester_or_an_admin_may_withdraw() -> None:
    world = World()
    world.submit()
    with pytest.raises(NotAllowedError, match=r"Only the person who asked for this approval \(user 8\)"):
        world.withdraw(user_id=APPROVER)
    assert world.requests.items["sub-0001"].status is ApprovalStatus.PENDING
    assert world.withdraw(user_id=1).decided_by_user_id == 1  # the installer, an admin


@pytest.mark.parametrize(("decide", "said"), [
    (lambda w: w.approve(), "already approved by user 9: invoice 1077 exists. It can no longer be withdrawn."),
    (lambda w: w.reject(), "already rejected by user 9. It can no longer be withdrawn."),
    (lambda w: w.withdraw(), "already withdrawn by user 8. It can no longer be withdrawn."),
])
def test_a_decided_request_cannot_be_withdrawn(decide: Callable[[World], object], said: str) -> None:
    world = World()
    world.submit()
    decide(world)
    version = world.requests.items["sub-0001"].version
    with pytest.raises(ConflictError, match=said.replace(".", r"\.")):
        world.withdraw(version=version)


def test_a_request_being_approved_cannot_be_withdrawn_and_a_stale_version_is_refused() -> None:
    world = World()
    world.submit()

    def withdraw_meanwhile(submission: InvoiceSubmission) -> CreatedInvoice:
        with pytest.raises(ConflictError, match="User 9 is approving this request"):
            world.withdraw(version=2)
        return world.create(submission)

    world.approve(create=withdraw_meanwhile)
    world2 = World()
    world2.submit()
    with pytest.raises(ConflictError, match="changed since you opened it"):
        world2.withdraw(version=7)


def test_each_decision_is_noted_on_the_deal_once_with_what_changed_or_why() -> None:
    world = World()
    world.submit()
    world.approve(edits=ApprovalEdits(due_date=date(2026, 11, 1), customer_message="<b>Thanks</b>"))
    [approved] = world.timeline.notes.values()
    assert "<strong>Invoice request approved</strong>" in approved and "invoice 1077" in approved
    assert "Changed due date: (none) to 2026-11-01" in approved
    assert "message to the customer: (none) to &lt;b&gt;Thanks&lt;/b&gt;" in approved
    assert approved.endswith("<p>HubBooks reference: hubbooks-approval-sub-0001-approved</p>")

    rejecting = World()
    rejecting.submit()
    rejecting.reject(reason="Use <the> annual price")
    [rejected] = rejecting.timeline.notes.values()
    assert "Reason: Use &lt;the&gt; annual price" in rejected and "Decided by: HubSpot user 9" in rejected

    withdrawing = World()
    withdrawing.submit()
    withdrawing.withdraw()
    [withdrawn] = withdrawing.timeline.notes.values()
    assert "<strong>Invoice request withdrawn</strong>" in withdrawn
    assert "hubbooks-approval-sub-0001-withdrawn" in withdrawn


def test_a_lost_note_answer_is_found_by_its_marker_and_never_written_twice() -> None:
    world = World()
    world.submit()
    world.timeline.failures.append("lost")  # HubSpot made the note; its answer was lost
    world.withdraw()
    assert world.warnings and "timeline note could not be written" in world.warnings[0]
    with pytest.raises(ConflictError, match="already withdrawn"):
        world.withdraw(version=2)  # the card's retry: told, and the marker is found
    assert len(world.timeline.notes) == 1


def test_hubspot_down_keeps_the_decision_and_a_retry_writes_the_note() -> None:
    world = World()
    world.submit()
    world.timeline.failures.append("down")
    rejected = world.reject()
    assert rejected.status is ApprovalStatus.REJECTED and world.timeline.notes == {}
    assert world.requests.items["sub-0001"].status is ApprovalStatus.REJECTED
    with pytest.raises(ConflictError, match="already rejected"):
        world.reject(version=2)
    assert len(world.timeline.notes) == 1 and world.tasks.completed == ["task-1", "task-1"]


def _owned() -> World:
    """APPROVER and OTHER are HubSpot users with owners 501 and 502."""
    world = World()
    world.owners.add("501", APPROVER, "Ada", "Approver")
    world.owners.add("502", OTHER, "Otto", "Other")
    return world


def test_each_approver_gets_one_task_assigned_to_their_owner_and_a_retry_opens_none() -> None:
    world = _owned()
    request = world.submit()
    assert sorted((t.owner_id, t.subject) for t in world.tasks.created) == [
        ("501", "Approve invoice: 100 USD for Birds"), ("502", "Approve invoice: 100 USD for Birds")]
    assert f"<p>{request.marker}o501</p>" in world.tasks.created[0].body
    assert request.approver_tasks == {"501": "task-1", "502": "task-2"} and request.task_ids == ["task-1", "task-2"]
    world.submit()
    world.submit(at=NOW + timedelta(minutes=10))
    assert len(world.tasks.created) == 2


def test_a_decision_closes_every_approvers_task() -> None:
    world = _owned()
    world.submit()
    world.approve()
    assert world.tasks.open_tasks() == [] and world.tasks.completed == ["task-1", "task-2"]


def test_approvers_without_an_owner_are_named_and_none_at_all_leaves_one_unassigned_task() -> None:
    world = World()
    world.owners.add("501", APPROVER)
    world.submit(warned=True)
    assert [t.owner_id for t in world.tasks.created] == ["501"]
    assert "No task was assigned to user 10" in world.warnings[0]

    nobody = World(settings=FakeSettings(ApprovalSettings(portal_id=PORTAL, realm_id="9130", required=True,
                                                          assignee_owner_id="777")))
    nobody.submit()
    assert [t.owner_id for t in nobody.tasks.created] == ["777"]


def test_a_task_made_before_an_interruption_is_found_by_its_marker_not_made_again() -> None:
    world = _owned()
    world.tasks.failures = ["lost"]  # HubSpot made the first approver's task; the answer never came
    world.submit(warned=True)
    assert len(world.tasks.created) == 1 and world.requests.items["sub-0001"].approver_tasks["501"].startswith(
        "claim:")
    world.submit(at=NOW + timedelta(seconds=20), warned=True)  # the claim may still be live: nothing new for 501
    assert [t.owner_id for t in world.tasks.created] == ["501", "502"]
    request = world.submit(at=NOW + timedelta(minutes=2))  # the claim is stale: found by its marker
    assert [t.owner_id for t in world.tasks.created] == ["501", "502"]
    assert request.approver_tasks == {"501": "task-1", "502": "task-2"}


def test_a_request_decided_while_a_dead_attempt_held_a_claim_still_closes_that_task() -> None:
    world = _owned()
    world.tasks.failures = ["ok", "lost"]  # the first create answers; the second is made but its answer is lost
    world.submit(warned=True)
    assert world.requests.items["sub-0001"].approver_tasks["502"].startswith("claim:")
    world.withdraw()
    assert world.tasks.open_tasks() == [] and sorted(world.tasks.completed) == ["task-1", "task-2"]


def test_hubspot_down_while_opening_keeps_the_request_and_says_to_submit_again() -> None:
    world = _owned()
    world.tasks.failures = ["down"]
    request = world.submit(warned=True)
    assert "submit again" in world.warnings[0] and request.status is ApprovalStatus.PENDING
    assert world.tasks.created == []
    world.submit(at=NOW + timedelta(minutes=2))
    assert sorted(t.owner_id or "" for t in world.tasks.created) == ["501", "502"]


def test_listing_the_deal_catches_up_what_hubspot_trouble_left_and_then_stops_calling() -> None:
    world = _owned()
    world.submit()
    world.tasks.failures = []
    world.timeline.failures.append("down")
    world.reject()
    assert world.warnings and world.timeline.notes == {} and not world.requests.items["sub-0001"].followed_up

    def listed() -> None:
        approvals.catch_up(world.requests.for_deal(PORTAL, DEAL), requests=world.requests, tasks=lambda: world.tasks,
                           timeline=lambda: world.timeline)

    listed()
    assert len(world.timeline.notes) == 1 and world.requests.items["sub-0001"].followed_up
    completed = list(world.tasks.completed)
    listed()
    assert len(world.timeline.notes) == 1 and world.tasks.completed == completed  # nothing more to do
