"""Per-company invoicing settings: the opt-in that lets HubBooks number invoices when QuickBooks expects custom
transaction numbers."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api.invoice_dependencies import invoicing_for
from hubbooks.api.path_params import RealmId
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.domain.invoicing.doc_numbers import creation_block_reason, prefix_problems
from hubbooks.domain.invoicing.errors import InvoiceRejectedError
from hubbooks.models.invoicing import InvoicingSettings
from hubbooks.models.invoicing_api import InvoicingSettingsBody, InvoicingSettingsView

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]


def _view(realm_id: str) -> InvoicingSettingsView:
    invoicing = invoicing_for(router)
    profile = invoicing.company(realm_id).live_profile()
    settings = invoicing.settings.get(invoicing.identity.portal_id, realm_id) or InvoicingSettings(
        portal_id=invoicing.identity.portal_id, realm_id=realm_id)
    blocked = creation_block_reason(profile, settings)
    return InvoicingSettingsView(realm_id=realm_id, custom_txn_numbers=profile.custom_txn_numbers,
                                 assign_doc_numbers=settings.assign_doc_numbers,
                                 doc_number_prefix=settings.doc_number_prefix,
                                 can_create_invoices=blocked is None, blocked_reason=blocked)


@router.get("/app/qbo/<realm_id>/invoicing-settings", middlewares=SIGNED, tags=["Settings"],
            summary="Whether invoices can be created in this company, and how they are numbered")
def read_settings(realm_id: RealmId) -> InvoicingSettingsView:
    return _view(realm_id)


@router.put("/app/qbo/<realm_id>/invoicing-settings", middlewares=SIGNED, tags=["Settings"],
            summary="Opt in (or out) of HubBooks numbering invoices for a company with custom transaction numbers")
def write_settings(realm_id: RealmId, body: InvoicingSettingsBody) -> InvoicingSettingsView:
    problems = prefix_problems(body.doc_number_prefix)
    if problems:
        raise InvoiceRejectedError(problems, "Please fix the settings: " + "; ".join(p.message for p in problems))
    invoicing = invoicing_for(router)
    invoicing.company(realm_id)  # only a connected company gets settings
    invoicing.settings.save(InvoicingSettings(portal_id=invoicing.identity.portal_id, realm_id=realm_id,
                                              assign_doc_numbers=body.assign_doc_numbers,
                                              doc_number_prefix=body.doc_number_prefix,
                                              updated_by_user_id=invoicing.identity.user_id))
    return _view(realm_id)
