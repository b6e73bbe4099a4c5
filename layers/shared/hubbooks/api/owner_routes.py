"""The portal's HubSpot owners, for the settings page's pickers (finance user, approvers): any signed user."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.api.deadlines import card_request_deadline
from hubbooks.api.signed_requests import require_hubspot_signature, signed_identity
from hubbooks.domain.finance.owners import owner_options
from hubbooks.models.owners import OwnersView

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]


@router.get("/app/hubspot-owners", middlewares=SIGNED, tags=["Settings"],
            summary="The portal's active HubSpot owners (users tasks can be assigned to), by name")
def list_owners() -> OwnersView:
    identity = signed_identity(router)
    client = hubspot_client(identity.portal_id, deadline=card_request_deadline(router.lambda_context))
    return owner_options(client.owners)
