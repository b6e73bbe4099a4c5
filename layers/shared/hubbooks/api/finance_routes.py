"""Finance actions on a linked invoice (send, void) and the portal's finance roles (admins, approvers)."""

from datetime import UTC, datetime

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer
from pydantic import BaseModel

from hubbooks.adapters.aws.idempotency import idempotent
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.api.invoice_dependencies import Invoicing, invoicing_for
from hubbooks.api.path_params import InvoiceId, RealmId
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.domain.errors import ConflictError
from hubbooks.domain.finance import delivery, owners, roles
from hubbooks.domain.invoicing.errors import FieldProblem, InvoiceRejectedError
from hubbooks.models.finance import (
    FinanceRolesBody,
    FinanceRolesView,
    InvoiceActionResult,
    ReminderSettingsBody,
    SendInvoiceBody,
    VoidInvoiceBody,
)
from hubbooks.models.reminders import ReminderSettings

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]
_ONE_DAY = 24 * 3600
_REMINDER_FIELDS = set(ReminderSettingsBody.model_fields)


class SendRequest(BaseModel):
    """The idempotency record's input: portal, company, invoice and the card's send id decide "same send"."""

    portal_id: int
    user_id: int
    user_email: str | None
    realm_id: str
    invoice_id: str
    body: SendInvoiceBody


@idempotent(data_keyword_argument="request", key_jmespath="[portal_id, realm_id, invoice_id, body.send_id]",
            expires_after_seconds=_ONE_DAY, output_serializer=PydanticSerializer(InvoiceActionResult))
def send_once(*, request: SendRequest, invoicing: Invoicing) -> InvoiceActionResult:
    # QuickBooks e-mails again on every send call, so a retried click must be answered from the record.
    return delivery.send_invoice(portal_id=request.portal_id,
                                 actor=delivery.Actor(request.user_id, request.user_email),
                                 realm_id=request.realm_id, invoice_id=request.invoice_id, to=request.body.to,
                                 companies=invoicing.companies, links=invoicing.links, crm=invoicing.crm)


@router.post("/app/qbo/<realm_id>/invoices/<invoice_id>/send", middlewares=SIGNED, tags=["Invoices"],
             summary="E-mail a linked invoice through QuickBooks (to its billing e-mail or another address)")
def send(realm_id: RealmId, invoice_id: InvoiceId, body: SendInvoiceBody) -> InvoiceActionResult:
    invoicing = invoicing_for(router)
    identity = invoicing.identity
    request = SendRequest(portal_id=identity.portal_id, user_id=identity.user_id, user_email=identity.user_email,
                          realm_id=realm_id, invoice_id=invoice_id, body=body)
    try:
        return send_once(request=request, invoicing=invoicing)
    except IdempotencyAlreadyInProgressError as error:
        raise ConflictError("This invoice is being sent right now; wait a moment and refresh the card.") from error


@router.post("/app/qbo/<realm_id>/invoices/<invoice_id>/void", middlewares=SIGNED, tags=["Invoices"],
             summary="Void a linked invoice in QuickBooks (approvers and admins only)")
def void(realm_id: RealmId, invoice_id: InvoiceId, body: VoidInvoiceBody) -> InvoiceActionResult:
    if not body.confirm:
        raise InvoiceRejectedError([FieldProblem("confirm", "Confirm that the invoice is to be voided.")],
                                   "Voiding needs a confirmation: it cannot be undone.")
    invoicing = invoicing_for(router)
    identity = invoicing.identity
    roles.require_void_permission(portal_id=identity.portal_id, user_id=identity.user_id, store=invoicing.roles,
                                  admins=invoicing.admins)
    return delivery.void_invoice(portal_id=identity.portal_id, actor=delivery.Actor(identity.user_id,
                                                                                    identity.user_email),
                                 realm_id=realm_id, invoice_id=invoice_id, companies=invoicing.companies,
                                 links=invoicing.links, crm=invoicing.crm)


@router.get("/app/finance-roles", middlewares=SIGNED, tags=["Settings"],
            summary="The portal's HubBooks admins and approvers, and what the caller may do")
def read_roles() -> FinanceRolesView:
    invoicing = invoicing_for(router)
    return roles.view_roles(portal_id=invoicing.identity.portal_id, user_id=invoicing.identity.user_id,
                            store=invoicing.roles, admins=invoicing.admins)


@router.put("/app/finance-roles", middlewares=SIGNED, tags=["Settings"],
            summary="Choose the portal's HubBooks admins and approvers (admins only)")
def write_roles(body: FinanceRolesBody) -> FinanceRolesView:
    invoicing = invoicing_for(router)
    return roles.change_roles(portal_id=invoicing.identity.portal_id, user_id=invoicing.identity.user_id, body=body,
                              store=invoicing.roles, admins=invoicing.admins, now=lambda: datetime.now(UTC))


@router.get("/app/qbo/<realm_id>/reminder-settings", middlewares=SIGNED, tags=["Settings"],
            summary="Which reminders become HubSpot tasks for a company, and when")
def read_reminder_settings(realm_id: RealmId) -> ReminderSettingsBody:
    invoicing = invoicing_for(router)
    invoicing.company(realm_id)  # only a connected company has settings
    found = invoicing.reminder_settings.get(invoicing.identity.portal_id, realm_id)
    return ReminderSettingsBody.model_validate((found or ReminderSettings(
        portal_id=invoicing.identity.portal_id, realm_id=realm_id)).model_dump(include=_REMINDER_FIELDS))


@router.put("/app/qbo/<realm_id>/reminder-settings", middlewares=SIGNED, tags=["Settings"],
            summary="Turn reminders on or off and set their timing (admins only)")
def write_reminder_settings(realm_id: RealmId, body: ReminderSettingsBody) -> ReminderSettingsBody:
    invoicing = invoicing_for(router)
    identity = invoicing.identity
    roles.require_admin(portal_id=identity.portal_id, user_id=identity.user_id, admins=invoicing.admins,
                        action="change the reminders")
    if (body.deposit.enabled or body.pay_vendor.enabled) and not body.finance_owner_id:
        raise InvoiceRejectedError([FieldProblem("finance_owner_id", "Choose the finance user who gets these tasks.")],
                                   "The bank deposit and pay-a-vendor reminders need a finance user: choose one.")
    invoicing.company(realm_id)
    saved = invoicing.reminder_settings.get(identity.portal_id, realm_id)
    if body.finance_owner_id and body.finance_owner_id != (saved.finance_owner_id if saved else None):
        owners.require_active_owner(hubspot_client(identity.portal_id, deadline=invoicing.deadline).owners,
                                    body.finance_owner_id, "finance_owner_id", "finance user")
    invoicing.reminder_settings.save(ReminderSettings(portal_id=identity.portal_id, realm_id=realm_id,
                                                      updated_by_user_id=identity.user_id, **body.model_dump()))
    return body
