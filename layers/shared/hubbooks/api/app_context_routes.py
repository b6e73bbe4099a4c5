"""What the app card learns first: who is calling and which QuickBooks companies the portal has connected."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.api.signed_requests import require_hubspot_signature, signed_identity
from hubbooks.config import get_settings

router = APIGatewayHttpRouter()


@router.get("/app/context", middlewares=[require_hubspot_signature])
def app_context() -> dict[str, Any]:
    identity = signed_identity(router)
    connections = DynamoConnectionStore(dynamodb_table(get_settings().app_table_name)).list_for_portal(
        identity.portal_id)
    return {
        "portal_id": identity.portal_id,
        "user_id": identity.user_id,
        "app_id": identity.app_id,
        "qbo_connections": [
            {"realm_id": c.realm_id, "company_name": c.company_name, "country": c.country,
             "home_currency": c.home_currency}
            for c in connections if c.status == "connected"
        ],
    }
