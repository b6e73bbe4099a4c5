"""Approval before QuickBooks: a company's approval setting, requests submitted from the wizard, and approvers'
decisions on the deal's card (approve, reject, or the requester's withdrawal). Approving creates the invoice through
the create route's idempotent path; every decision closes the task and is noted on the deal's timeline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import cached_property
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.tasks import HubSpotTasks
from hubbooks.adapters.storage.approval_store import DynamoApprovalRequests, DynamoApprovalSettings
from hubbooks.api.invoice_create_routes import InvoiceRequest, create_once_or_conflict
from hubbooks.api.invoice_dependencies import Invoicing, invoicing_for
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.domain.finance import approvals
from hubbooks.domain.finance.approval_notes import DealTimeline
from hubbooks.domain.finance.owners import OwnerDirectory
from hubbooks.domain.finance.reminders import TaskCrm
from hubbooks.domain.finance.roles import roles_of
from hubbooks.domain.invoicing import wizard
from hubbooks.models.approvals import (
    ApprovalOutcome,
    ApprovalRequest,
    ApprovalRequestBody,
    ApprovalSettingsBody,
    ApproveBody,
    DealApprovals,
    RejectBody,
    WithdrawBody,
)
from hubbooks.models.invoice_wizard import InvoiceSubmission
from hubbooks.models.invoicing_api import CreatedInvoice

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]
RealmId = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,32}$", description="QuickBooks company (realm) id")]
DealId = Annotated[str, Path(pattern=r"^[0-9]{1,20}$", description="HubSpot deal id")]
RequestId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="Approval request id")]
_SETTINGS_FIELDS = set(ApprovalSettingsBody.model_fields)


class Approvals(Invoicing):
    """The invoicing ports plus the approval stores and the approvers' task list."""

    @cached_property
    def approval_settings(self) -> DynamoApprovalSettings:
        return DynamoApprovalSettings(self._table)

    @cached_property
    def requests(self) -> DynamoApprovalRequests:
        return DynamoApprovalRequests(self._table)

    def tasks(self) -> TaskCrm:
        return HubSpotTasks(hubspot_client(self.identity.portal_id, deadline=self.deadline))

    def owners(self) -> OwnerDirectory:
        """The portal's HubSpot owners: each approver's task is assigned to the approver's owner."""
        return hubspot_client(self.identity.portal_id, deadline=self.deadline).owners

    def timeline(self) -> DealTimeline:
        return self.crm

    def now(self) -> datetime:
        return self.clock()

    @cached_property
    def caller_is_admin(self) -> bool:
        return self.admins.is_admin(self.identity.portal_id, self.identity.user_id)

    def view(self, request: ApprovalRequest) -> approvals.ApprovalRequestView:
        return approvals.view_of(request, self.identity.user_id,
                                 roles_of(self.identity.portal_id, self.roles).approver_user_ids,
                                 approvals.settings_of(self.identity.portal_id, request.realm_id,
                                                       self.approval_settings), self.caller_is_admin)


def approvals_for() -> Approvals:
    invoicing = invoicing_for(router)
    return Approvals(invoicing.identity, invoicing.deadline)


def _creator(ports: Approvals, deal_id: str) -> Callable[[InvoiceSubmission], CreatedInvoice]:
    """A direct create of the approved submission, on behalf of its requester's deal (same idempotency key)."""
    def create(submission: InvoiceSubmission) -> CreatedInvoice:
        return create_once_or_conflict(InvoiceRequest(portal_id=ports.identity.portal_id,
                                                      user_id=ports.identity.user_id, deal_id=deal_id,
                                                      submission=submission), ports)
    return create


@router.get("/app/qbo/<realm_id>/approval-settings", middlewares=SIGNED, tags=["Settings"],
            summary="Whether invoices for a company need an approver's yes before QuickBooks")
def read_settings(realm_id: RealmId) -> ApprovalSettingsBody:
    ports = approvals_for()
    ports.company(realm_id)  # only a connected company has settings
    found = approvals.settings_of(ports.identity.portal_id, realm_id, ports.approval_settings)
    return ApprovalSettingsBody.model_validate(found.model_dump(include=_SETTINGS_FIELDS))


@router.put("/app/qbo/<realm_id>/approval-settings", middlewares=SIGNED, tags=["Settings"],
            summary="Turn approval before QuickBooks on or off for a company (admins only)")
def write_settings(realm_id: RealmId, body: ApprovalSettingsBody) -> ApprovalSettingsBody:
    ports = approvals_for()
    ports.company(realm_id)
    return approvals.change_settings(portal_id=ports.identity.portal_id, realm_id=realm_id,
                                     user_id=ports.identity.user_id, body=body, store=ports.approval_settings,
                                     admins=ports.admins)


@router.get("/app/deals/<deal_id>/approval-requests", middlewares=SIGNED, tags=["Approvals"],
            summary="The deal's invoice approval requests, newest first, and whether the caller may decide them")
def list_requests(deal_id: DealId) -> DealApprovals:
    ports = approvals_for()
    found = sorted(ports.requests.for_deal(ports.identity.portal_id, deal_id), key=lambda r: r.requested_at,
                   reverse=True)
    approvals.catch_up(found, requests=ports.requests, tasks=ports.tasks, timeline=ports.timeline)
    return DealApprovals(deal_id=deal_id, requests=[ports.view(request) for request in found])


@router.post("/app/deals/<deal_id>/approval-requests", middlewares=SIGNED, tags=["Approvals"],
             summary="Submit the wizard's invoice for approval instead of creating it (idempotent per submission)")
def submit(deal_id: DealId, body: ApprovalRequestBody) -> ApprovalOutcome:
    ports = approvals_for()
    identity = ports.identity
    submission = InvoiceSubmission.model_validate(body.model_dump())
    deal = ports.crm.deal(deal_id)  # the deal must exist in the signed portal
    request, warnings = approvals.submit_request(
        portal_id=identity.portal_id, user_id=identity.user_id, deal_id=deal_id, deal_name=deal.name,
        submission=submission,
        review=lambda: wizard.review_invoice(portal_id=identity.portal_id, draft=submission,
                                             company=ports.company(submission.realm_id), settings=ports.settings,
                                             crm=ports.crm, deal=deal, clock=ports.clock),
        settings=ports.approval_settings, requests=ports.requests, roles=ports.roles, tasks=ports.tasks,
        owners=ports.owners, now=ports.now())
    return ApprovalOutcome(request=ports.view(request), warnings=warnings)


@router.post("/app/deals/<deal_id>/approval-requests/<request_id>/approve", middlewares=SIGNED,
             tags=["Approvals"], summary="Approve a request (approvers only): the invoice is created in QuickBooks")
def approve(deal_id: DealId, request_id: RequestId, body: ApproveBody) -> ApprovalOutcome:
    ports = approvals_for()
    request, created, warnings = approvals.approve_request(
        portal_id=ports.identity.portal_id, user_id=ports.identity.user_id, deal_id=deal_id, request_id=request_id,
        seen_version=body.version, edits=body.edits, settings=ports.approval_settings, requests=ports.requests,
        roles=ports.roles, create=_creator(ports, deal_id), tasks=ports.tasks, timeline=ports.timeline,
        now=ports.now)
    return ApprovalOutcome(request=ports.view(request), created=created, warnings=warnings)


@router.post("/app/deals/<deal_id>/approval-requests/<request_id>/reject", middlewares=SIGNED,
             tags=["Approvals"], summary="Reject a request with a reason the requester sees (approvers only)")
def reject(deal_id: DealId, request_id: RequestId, body: RejectBody) -> ApprovalOutcome:
    ports = approvals_for()
    request, warnings = approvals.reject_request(
        portal_id=ports.identity.portal_id, user_id=ports.identity.user_id, deal_id=deal_id, request_id=request_id,
        seen_version=body.version, reason=body.reason, settings=ports.approval_settings, requests=ports.requests,
        roles=ports.roles, tasks=ports.tasks, timeline=ports.timeline, now=ports.now)
    return ApprovalOutcome(request=ports.view(request), warnings=warnings)


@router.post("/app/deals/<deal_id>/approval-requests/<request_id>/withdraw", middlewares=SIGNED,
             tags=["Approvals"], summary="Withdraw a pending request (its requester or an admin); 409 once decided")
def withdraw(deal_id: DealId, request_id: RequestId, body: WithdrawBody) -> ApprovalOutcome:
    ports = approvals_for()
    request, warnings = approvals.withdraw_request(
        portal_id=ports.identity.portal_id, user_id=ports.identity.user_id, deal_id=deal_id, request_id=request_id,
        seen_version=body.version, reason=body.reason, requests=ports.requests, admins=ports.admins,
        tasks=ports.tasks, timeline=ports.timeline, now=ports.now)
    return ApprovalOutcome(request=ports.view(request), warnings=warnings)
