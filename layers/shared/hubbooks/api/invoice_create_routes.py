"""Step 8: create the invoice. One submission makes one invoice, however often the card retries or the user clicks.

Two layers: Powertools idempotency keyed on portal + deal + submission id answers a repeated, completed submission
from its record (and refuses one still in flight), and the QuickBooks requestid derived from the same ids makes a
retry after a crash get the invoice QuickBooks already made instead of a second one.
"""

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.utilities.idempotency.exceptions import IdempotencyAlreadyInProgressError
from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.aws.idempotency import idempotent
from hubbooks.adapters.storage.approval_store import DynamoApprovalSettings
from hubbooks.api.invoice_dependencies import Invoicing, invoicing_for
from hubbooks.api.path_params import DealId
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.config import get_settings
from hubbooks.domain.errors import ConflictError
from hubbooks.domain.finance.approvals import require_direct_create_allowed
from hubbooks.domain.invoicing.creation import create_invoice
from hubbooks.models.base import Model
from hubbooks.models.invoice_wizard import InvoiceSubmission
from hubbooks.models.invoicing_api import CreatedInvoice

router = APIGatewayHttpRouter()
_SEVEN_DAYS = 7 * 24 * 3600


class InvoiceRequest(Model):
    """The idempotency record's input: only the ids in the key below decide "same submission"."""

    portal_id: int
    user_id: int
    deal_id: str
    submission: InvoiceSubmission


@idempotent(data_keyword_argument="request", key_jmespath="[portal_id, deal_id, submission.submission_id]",
            expires_after_seconds=_SEVEN_DAYS, output_serializer=PydanticSerializer(CreatedInvoice))
def create_once(*, request: InvoiceRequest, invoicing: Invoicing) -> CreatedInvoice:
    """Only `request` is keyed and recorded; `invoicing` carries this request's ports alongside."""
    return create_invoice(portal_id=request.portal_id, user_id=request.user_id, deal_id=request.deal_id,
                          submission=request.submission, crm=invoicing.crm, companies=invoicing.companies,
                          links=invoicing.links, settings=invoicing.settings, submissions=invoicing.submissions,
                          clock=invoicing.clock)


@router.post("/app/deals/<deal_id>/invoices", middlewares=[require_hubspot_signature], tags=["Wizard"],
             summary="Step 8: create the draft invoice in QuickBooks and link it to the deal (idempotent)")
def create(deal_id: DealId, submission: InvoiceSubmission) -> CreatedInvoice:
    invoicing = invoicing_for(router)
    require_direct_create_allowed(portal_id=invoicing.identity.portal_id, realm_id=submission.realm_id,
                                  store=DynamoApprovalSettings(dynamodb_table(get_settings().app_table_name)))
    request = InvoiceRequest(portal_id=invoicing.identity.portal_id, user_id=invoicing.identity.user_id,
                             deal_id=deal_id, submission=submission)
    return create_once_or_conflict(request, invoicing)


def create_once_or_conflict(request: InvoiceRequest, invoicing: Invoicing) -> CreatedInvoice:
    """The one create path: a direct create and an approved request both come here."""
    try:
        return create_once(request=request, invoicing=invoicing)
    except IdempotencyAlreadyInProgressError as error:
        raise ConflictError("This invoice is already being created; wait a moment and refresh the card.") from error
