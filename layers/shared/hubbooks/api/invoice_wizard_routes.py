"""The create-invoice wizard's steps before the final submission."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api.invoice_dependencies import invoicing_for
from hubbooks.api.path_params import DealId, RealmId
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.domain.invoicing import wizard
from hubbooks.domain.invoicing.creation import settle_earlier_submissions
from hubbooks.models.invoice_wizard import InvoiceDraft
from hubbooks.models.invoicing_api import (
    CreatedCustomer,
    CustomerSuggestions,
    CustomerView,
    InvoiceOptions,
    InvoiceReview,
    ItemView,
    NewCustomerBody,
    QuoteLines,
    WizardStart,
)

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]
QuoteId = Annotated[str, Path(pattern=r"^[0-9]{1,20}$", description="HubSpot quote id")]
SearchText = Annotated[str, Query(max_length=100, description="Part of the name")]


@router.get("/app/deals/<deal_id>/invoice-wizard", middlewares=SIGNED, tags=["Wizard"],
            summary="Steps 1-2: companies to choose from and the deal's quotes (usable or why not)")
def start(deal_id: DealId) -> WizardStart:
    invoicing = invoicing_for(router)
    started = wizard.start_wizard(portal_id=invoicing.identity.portal_id, deal_id=deal_id, crm=invoicing.crm,
                                  companies=invoicing.companies, settings=invoicing.settings, clock=invoicing.clock)
    earlier = settle_earlier_submissions(portal_id=invoicing.identity.portal_id, deal_id=deal_id,
                                         submissions=invoicing.submissions, companies=invoicing.companies,
                                         links=invoicing.links, crm=invoicing.crm, now=invoicing.clock())
    return started.model_copy(update={"warnings": earlier.warnings})


@router.get("/app/deals/<deal_id>/quotes/<quote_id>/invoice-lines", middlewares=SIGNED, tags=["Wizard"],
            summary="Step 4 from a quote: its line items as QuickBooks lines, and the ones that could not be mapped")
def lines_from_quote(deal_id: DealId, quote_id: QuoteId,
                     realm_id: Annotated[str, Query(alias="realmId", pattern=r"^[0-9A-Za-z]{1,32}$")]) -> QuoteLines:
    invoicing = invoicing_for(router)
    return wizard.quote_lines(deal_id=deal_id, quote_id=quote_id, crm=invoicing.crm,
                              company=invoicing.company(realm_id), clock=invoicing.clock)


@router.get("/app/qbo/<realm_id>/customer-suggestions", middlewares=SIGNED, tags=["Wizard"],
            summary="Step 3: QuickBooks customers ranked against the deal's (or quote's) contacts and companies")
def customer_suggestions(realm_id: RealmId, deal_id: Annotated[str, Query(alias="dealId", pattern=r"^[0-9]{1,20}$")],
                         quote_id: Annotated[str | None, Query(alias="quoteId", pattern=r"^[0-9]{1,20}$")] = None,
                         ) -> CustomerSuggestions:
    invoicing = invoicing_for(router)
    return wizard.customer_suggestions(deal_id=deal_id, quote_id=quote_id, crm=invoicing.crm,
                                       company=invoicing.company(realm_id))


@router.get("/app/qbo/<realm_id>/customers", middlewares=SIGNED, tags=["Wizard"],
            summary="Step 3: search QuickBooks customers by name")
def find_customers(realm_id: RealmId, search: SearchText = "") -> list[CustomerView]:
    return wizard.search_customers(invoicing_for(router).company(realm_id), search)


@router.post("/app/qbo/<realm_id>/customers", middlewares=SIGNED, tags=["Wizard"],
             summary="Step 3: create a QuickBooks customer (a taken name gets a distinct variant, and says so)")
def new_customer(realm_id: RealmId, body: NewCustomerBody) -> CreatedCustomer:
    invoicing = invoicing_for(router)
    return wizard.create_customer(portal_id=invoicing.identity.portal_id, company=invoicing.company(realm_id),
                                  body=body)


@router.get("/app/qbo/<realm_id>/items", middlewares=SIGNED, tags=["Wizard"],
            summary="Step 4: search QuickBooks products and services")
def find_items(realm_id: RealmId, search: SearchText = "") -> list[ItemView]:
    return wizard.search_items(invoicing_for(router).company(realm_id), search)


@router.get("/app/qbo/<realm_id>/invoice-options", middlewares=SIGNED, tags=["Wizard"],
            summary="Steps 5-6: tax codes (required outside the US), payment terms, today in the company")
def options(realm_id: RealmId) -> InvoiceOptions:
    invoicing = invoicing_for(router)
    return wizard.invoice_options(portal_id=invoicing.identity.portal_id, company=invoicing.company(realm_id),
                                  settings=invoicing.settings, clock=invoicing.clock)


@router.post("/app/deals/<deal_id>/invoice-review", middlewares=SIGNED, tags=["Wizard"],
             summary="Step 7: validate the draft and compute the totals as QuickBooks will")
def review(deal_id: DealId, draft: InvoiceDraft) -> InvoiceReview:
    invoicing = invoicing_for(router)
    deal = invoicing.crm.deal(deal_id)  # the deal must exist in the signed portal
    return wizard.review_invoice(portal_id=invoicing.identity.portal_id, draft=draft,
                                 company=invoicing.company(draft.realm_id), settings=invoicing.settings,
                                 crm=invoicing.crm, deal=deal, clock=invoicing.clock)
