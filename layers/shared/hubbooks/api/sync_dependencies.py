"""What the sync routes work with, built per request from the signed identity (nothing at import time)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.sync_catalogue import HubSpotSyncCatalogue
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.qbo.invoicing import NOT_CONNECTED
from hubbooks.adapters.qbo.sync_catalogue import QboSyncCatalogue
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.sync_store import DynamoMappingStatsStore, DynamoSyncAdmins, DynamoSyncConfigStore
from hubbooks.api.signed_requests import signed_identity
from hubbooks.config import get_settings
from hubbooks.domain.invoicing.errors import CompanyNotConnectedError
from hubbooks.domain.sync.settings import SyncSettingsService


def sync_settings_for(router: APIGatewayHttpRouter, realm_id: str) -> SyncSettingsService:
    """The settings of one connected company of the signed portal; a company not connected to it is a 404."""
    identity = signed_identity(router)
    deadline = Deadline.from_lambda_context(router.lambda_context)
    table = dynamodb_table(get_settings().app_table_name)
    connection = DynamoConnectionStore(table).get(identity.portal_id, realm_id)
    if connection is None or connection.status != "connected":
        raise CompanyNotConnectedError(NOT_CONNECTED, details={"realm_id": realm_id})
    return SyncSettingsService(
        portal_id=identity.portal_id, realm_id=realm_id, configs=DynamoSyncConfigStore(table),
        hubspot=HubSpotSyncCatalogue(hubspot_client(identity.portal_id, deadline=deadline).properties),
        qbo=QboSyncCatalogue(qbo_client(identity.portal_id, realm_id, deadline=deadline)),
        stats=DynamoMappingStatsStore(table), admins=DynamoSyncAdmins(table))
