"""The sync's appliers wired to the stack: our table, each portal's HubSpot (on the sync's smaller request budget)
and each company's QuickBooks. Built per invocation; nothing runs at import."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.aws.sqs_publisher import SqsPublisher
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.rate_budget import sync_budget
from hubbooks.adapters.hubspot.sync_crm import HubSpotSyncCrm
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.qbo.sync_catalogue import QboSyncCatalogue
from hubbooks.adapters.qbo.sync_pages import QboBackfillPages
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore, RememberedConnections
from hubbooks.adapters.storage.sync_store import (
    CompanySyncConfigs,
    DynamoBackfillRuns,
    DynamoMappingStatsStore,
    DynamoPendingDecisions,
    DynamoSyncConfigStore,
    DynamoSyncFailures,
    DynamoSyncLinks,
)
from hubbooks.config import get_settings
from hubbooks.domain.errors import ConfigurationError
from hubbooks.domain.sync.applier import SyncPorts, sync_appliers
from hubbooks.domain.sync.backfill import BackfillService
from hubbooks.domain.sync.settings import default_config
from hubbooks.models.changes import CompanyScope
from hubbooks.models.jobs import BackfillStep
from hubbooks.models.sync import SyncConfig, SyncObject

if TYPE_CHECKING:
    from hubbooks.domain.connect.ports import ConnectionStore


def sync_ports(deadline: Deadline | None = None, connections: ConnectionStore | None = None) -> SyncPorts:
    """Built per batch of changes or per backfill page: the company's settings and connection are read once each
    (`connections` may be shared with the change engine), so a change in the settings applies from the next one."""
    table = dynamodb_table(get_settings().app_table_name)
    connections = connections or RememberedConnections(DynamoConnectionStore(table))
    crms: dict[int, HubSpotSyncCrm] = {}

    def crm(portal_id: int) -> HubSpotSyncCrm:
        # One per portal and invocation: the portal's properties are read once however many batches follow.
        if portal_id not in crms:
            crms[portal_id] = HubSpotSyncCrm(hubspot_client(portal_id, deadline=deadline, budget=sync_budget()),
                                             portal_id=portal_id)
        return crms[portal_id]

    def currency(scope: CompanyScope) -> str:
        connection = connections.get(scope.portal_id, scope.realm_id)
        return connection.home_currency if connection else "USD"

    return SyncPorts(configs=CompanySyncConfigs(table), links=DynamoSyncLinks(table),
                     decisions=DynamoPendingDecisions(table), failures=DynamoSyncFailures(table),
                     stats=DynamoMappingStatsStore(table), crm=crm,
                     qbo_fields=lambda scope: QboSyncCatalogue(qbo_client(scope.portal_id, scope.realm_id,
                                                                          deadline=deadline)),
                     currency=currency, clock=lambda: datetime.now(UTC))


class _SqsSteps:
    def __init__(self, publisher: SqsPublisher) -> None:
        self._publisher = publisher

    def send(self, step: BackfillStep) -> None:
        self._publisher.send_all([step])


def backfill_service(deadline: Deadline | None = None) -> BackfillService:
    settings = get_settings()
    if not settings.sync_queue_url:
        raise ConfigurationError("SYNC_QUEUE_URL is not set: backfills run through the sync queue")
    table = dynamodb_table(settings.app_table_name)
    ports = sync_ports(deadline)
    configs = DynamoSyncConfigStore(table)

    def config_of(scope: CompanyScope, sync_object: SyncObject) -> SyncConfig:
        return configs.get(scope.portal_id, scope.realm_id, sync_object) or default_config(
            scope.portal_id, scope.realm_id, sync_object)

    return BackfillService(
        store=DynamoBackfillRuns(table),
        pages=lambda scope: QboBackfillPages(qbo_client(scope.portal_id, scope.realm_id, deadline=deadline)),
        queue=_SqsSteps(SqsPublisher(aws_client("sqs"), settings.sync_queue_url)),
        appliers={applier.entity: applier for applier in sync_appliers(ports)}, config_of=config_of,
        clock=lambda: datetime.now(UTC))
