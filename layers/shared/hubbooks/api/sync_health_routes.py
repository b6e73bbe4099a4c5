"""Sync health for the settings page: how far QuickBooks' changes have reached HubSpot, the last reconciliation,
and dead-lettered work, in plain words."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.aws.dead_letters import SqsDeadLetters
from hubbooks.adapters.storage.change_bookmark_store import DynamoChangeBookmarks
from hubbooks.adapters.storage.job_run_store import DynamoJobRunStore
from hubbooks.api.invoice_dependencies import invoicing_for
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.config import get_settings
from hubbooks.domain.changes.health import sync_health
from hubbooks.models.changes import CompanyScope
from hubbooks.models.sync_health import SyncHealth

router = APIGatewayHttpRouter()
RealmId = Annotated[str, Path(pattern=r"^[0-9A-Za-z]{1,32}$", description="QuickBooks company (realm) id")]
# The entity types the change engine reconciles for invoicing; the sync adds its own when it registers them.
RECONCILED = ("Invoice", "Payment", "CreditMemo")


@router.get("/app/qbo/<realm_id>/sync-health", middlewares=[require_hubspot_signature], tags=["Settings"],
            summary="Sync health: reconciliation progress and dead-lettered work, in plain words")
def read_sync_health(realm_id: RealmId) -> SyncHealth:
    invoicing = invoicing_for(router)
    invoicing.company(realm_id)  # 409 when the portal has not connected this company
    settings = get_settings()
    table = dynamodb_table(settings.app_table_name)
    return sync_health(scope=CompanyScope(portal_id=invoicing.identity.portal_id, realm_id=realm_id),
                       entities=RECONCILED, bookmarks=DynamoChangeBookmarks(table), runs=DynamoJobRunStore(table),
                       dead_letters=SqsDeadLetters(aws_client("sqs"), {
                           "webhook": settings.webhook_dead_letter_queue_url,
                           "sync": settings.sync_dead_letter_queue_url}),
                       now=datetime.now(UTC))
