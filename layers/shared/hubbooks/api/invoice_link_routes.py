"""Add existing QuickBooks invoices to a deal, contact or company; take them off again."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api.invoice_dependencies import invoicing_for
from hubbooks.api.path_params import RealmId
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.domain.invoicing import linking
from hubbooks.domain.invoicing.errors import FieldProblem, InvoiceRejectedError
from hubbooks.models.invoice_wizard import InvoiceSearch
from hubbooks.models.invoicing import HubSpotObjectType
from hubbooks.models.invoicing_api import InvoiceSearchResult, LinkInvoicesBody, LinkResult, UnlinkResult

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]


@router.get("/app/qbo/<realm_id>/invoices", middlewares=SIGNED, tags=["Invoices"],
            summary="Search a company's QuickBooks invoices by number, customer and date range")
def search(realm_id: RealmId,
           number: Annotated[str | None, Query(max_length=21, description="Invoice number")] = None,
           customer_id: Annotated[str | None, Query(alias="customerId", max_length=40)] = None,
           date_from: Annotated[date | None, Query(alias="from", description="Invoice date from")] = None,
           date_to: Annotated[date | None, Query(alias="to", description="Invoice date to")] = None,
           limit: Annotated[int, Query(ge=1, le=200)] = 50) -> InvoiceSearchResult:
    if date_from and date_to and date_from > date_to:
        raise InvoiceRejectedError([FieldProblem("to", "The end of the date range is before its start.")])
    invoicing = invoicing_for(router)
    criteria = InvoiceSearch(doc_number=number, customer_id=customer_id, date_from=date_from, date_to=date_to,
                             limit=limit)
    return InvoiceSearchResult(invoices=linking.search_invoices(company=invoicing.company(realm_id),
                                                                search=criteria, crm=invoicing.crm,
                                                                clock=invoicing.clock))


@router.post("/app/invoice-links", middlewares=SIGNED, tags=["Invoices"],
             summary="Link existing QuickBooks invoices to a deal, contact or company")
def link(body: LinkInvoicesBody) -> LinkResult:
    invoicing = invoicing_for(router)
    return linking.link_invoices(portal_id=invoicing.identity.portal_id, user_id=invoicing.identity.user_id,
                                 body=body, companies=invoicing.companies, links=invoicing.links, crm=invoicing.crm,
                                 clock=invoicing.clock)


@router.delete("/app/invoice-links/<object_type>/<object_id>/<realm_id>/<invoice_id>", middlewares=SIGNED,
               tags=["Invoices"], summary="Unlink an invoice from a deal, contact or company")
def unlink(object_type: HubSpotObjectType,
           object_id: Annotated[str, Path(pattern=r"^[0-9]{1,20}$")], realm_id: RealmId,
           invoice_id: Annotated[str, Path(pattern=r"^[0-9]{1,20}$")]) -> UnlinkResult:
    invoicing = invoicing_for(router)
    return linking.unlink_invoice(portal_id=invoicing.identity.portal_id, object_type=object_type,
                                  object_id=object_id, realm_id=realm_id, invoice_id=invoice_id,
                                  links=invoicing.links, crm=invoicing.crm)
