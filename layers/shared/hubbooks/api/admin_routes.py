"""The portal's HubBooks admins on the settings page: who they are; admins name further admins and remove them."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api.invoice_dependencies import invoicing_for
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.domain.finance import admins
from hubbooks.models.admins import AddAdminBody, AdminsView

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]
UserId = Annotated[int, Path(gt=0, lt=10**15, description="HubSpot user id")]


@router.get("/app/admins", middlewares=SIGNED, tags=["Settings"],
            summary="The portal's HubBooks admins (the installer and those added) and whether the caller is one")
def read_admins() -> AdminsView:
    ports = invoicing_for(router)
    return admins.view_admins(portal_id=ports.identity.portal_id, user_id=ports.identity.user_id,
                              admins=ports.admins)


@router.post("/app/admins", middlewares=SIGNED, tags=["Settings"],
             summary="Make a HubSpot user a HubBooks admin (admins only; naming an admin again changes nothing)")
def add(body: AddAdminBody) -> AdminsView:
    ports = invoicing_for(router)
    return admins.add_admin(portal_id=ports.identity.portal_id, user_id=ports.identity.user_id,
                            new_admin=body.user_id, admins=ports.admins)


@router.delete("/app/admins/<user_id>", middlewares=SIGNED, tags=["Settings"],
               summary="Remove an added HubBooks admin (admins only; never the installer, never the last admin)")
def remove(user_id: UserId) -> AdminsView:
    ports = invoicing_for(router)
    return admins.remove_admin(portal_id=ports.identity.portal_id, user_id=ports.identity.user_id,
                               removed=user_id, admins=ports.admins)
