"""The card on a deal, contact or company."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api.invoice_dependencies import invoicing_for
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.domain.finance import roles
from hubbooks.domain.invoicing.card import build_card
from hubbooks.models.invoicing import HubSpotObjectType
from hubbooks.models.invoicing_api import CardData

router = APIGatewayHttpRouter()
ObjectId = Annotated[str, Path(pattern=r"^[0-9]{1,20}$", description="HubSpot record id")]


@router.get("/app/cards/<object_type>/<object_id>", middlewares=[require_hubspot_signature], tags=["Card"],
            summary="Linked invoices, connected companies and next actions for a HubSpot record")
def card_data(object_type: HubSpotObjectType, object_id: ObjectId) -> CardData:
    invoicing = invoicing_for(router)
    invoicing.read_card_context()
    identity = invoicing.identity
    may_void = roles.may_void(portal_id=identity.portal_id, user_id=identity.user_id, store=invoicing.roles,
                              admins=invoicing.admins)
    return build_card(portal_id=identity.portal_id, object_type=object_type, object_id=object_id,
                      links=invoicing.links, companies=invoicing.companies, crm=invoicing.crm,
                      settings=invoicing.settings, clock=invoicing.clock, user_may_void=may_void,
                      run_all=invoicing.run_all)
