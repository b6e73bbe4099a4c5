"""What the sync routes work with, built per request from the signed identity (nothing at import time)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.aws.dead_letters import SqsDeadLetters
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.sync_catalogue import HubSpotSyncCatalogue
from hubbooks.adapters.qbo.change_reader import QboChangeSources
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.qbo.invoicing import NOT_CONNECTED
from hubbooks.adapters.qbo.sync_catalogue import QboSyncCatalogue
from hubbooks.adapters.storage.change_bookmark_store import DynamoChangeBookmarks
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.hubspot_bookmark_store import DynamoHubSpotBookmarks
from hubbooks.adapters.storage.job_run_store import DynamoJobRunStore
from hubbooks.adapters.storage.sync_store import (
    DynamoMappingStatsStore,
    DynamoPendingDecisions,
    DynamoSyncAdmins,
    DynamoSyncConfigStore,
    DynamoSyncFailures,
    DynamoSyncLinks,
)
from hubbooks.adapters.wiring.changes import change_engine
from hubbooks.adapters.wiring.sync import backfill_service, sync_ports
from hubbooks.adapters.wiring.two_way import two_way_sync
from hubbooks.api.deadlines import card_request_deadline
from hubbooks.api.signed_requests import signed_identity
from hubbooks.config import get_settings
from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.domain.changes.health import sync_health
from hubbooks.domain.invoicing.errors import CompanyNotConnectedError
from hubbooks.domain.sync.applier import SyncApplier, sync_appliers
from hubbooks.domain.sync.backfill import BackfillService
from hubbooks.domain.sync.errors import AdminOnlyError
from hubbooks.domain.sync.settings import SyncSettingsService
from hubbooks.domain.sync.two_way import TwoWaySync
from hubbooks.models.changes import CompanyScope
from hubbooks.models.sync import SyncObject
from hubbooks.models.sync_health import SyncHealth


def sync_settings_for(router: APIGatewayHttpRouter, realm_id: str) -> SyncSettingsService:
    """The settings of one connected company of the signed portal; a company not connected to it is a 404."""
    identity = signed_identity(router)
    deadline = card_request_deadline(router.lambda_context)
    table = dynamodb_table(get_settings().app_table_name)
    connection = DynamoConnectionStore(table).get(identity.portal_id, realm_id)
    if connection is None or connection.status != "connected":
        raise CompanyNotConnectedError(NOT_CONNECTED, details={"realm_id": realm_id})
    qbo = QboSyncCatalogue(qbo_client(identity.portal_id, realm_id, deadline=deadline))
    return SyncSettingsService(
        portal_id=identity.portal_id, realm_id=realm_id, configs=DynamoSyncConfigStore(table),
        hubspot=HubSpotSyncCatalogue(hubspot_client(identity.portal_id, deadline=deadline).properties),
        qbo=qbo, accounts=qbo, stats=DynamoMappingStatsStore(table), admins=DynamoSyncAdmins(table))


@dataclass
class SyncRuns:
    """What the backfill and sync-health routes use for one connected company of the signed portal."""

    scope: CompanyScope
    user_id: int
    deadline: Deadline
    table: Any

    @cached_property
    def backfill(self) -> BackfillService:
        return backfill_service(self.deadline)

    @cached_property
    def configs(self) -> DynamoSyncConfigStore:
        return DynamoSyncConfigStore(self.table)

    @cached_property
    def failures(self) -> DynamoSyncFailures:
        return DynamoSyncFailures(self.table)

    @cached_property
    def decisions(self) -> DynamoPendingDecisions:
        return DynamoPendingDecisions(self.table)

    @cached_property
    def links(self) -> DynamoSyncLinks:
        return DynamoSyncLinks(self.table)

    @cached_property
    def job_runs(self) -> DynamoJobRunStore:
        return DynamoJobRunStore(self.table)

    @cached_property
    def hubspot_bookmarks(self) -> DynamoHubSpotBookmarks:
        return DynamoHubSpotBookmarks(self.table)

    def pipeline_health(self, *, entities: Sequence[str], record_problems: Sequence[str]) -> SyncHealth:
        settings = get_settings()
        dead_letters = SqsDeadLetters(aws_client("sqs"), {"webhook": settings.webhook_dead_letter_queue_url,
                                                          "sync": settings.sync_dead_letter_queue_url})
        return sync_health(scope=self.scope, entities=entities, bookmarks=DynamoChangeBookmarks(self.table),
                           runs=self.job_runs, dead_letters=dead_letters, now=datetime.now(UTC),
                           record_problems=record_problems)

    def engine(self) -> ChangeEngine:
        return change_engine(self.deadline)

    def two_way(self) -> TwoWaySync:
        return two_way_sync(self.deadline)

    def writer(self, sync_object: SyncObject) -> SyncApplier:
        """The sync applier that plans and writes the object (for a decision answered "create a new record")."""
        return next(applier for applier in sync_appliers(sync_ports(self.deadline))
                    if applier.entity == sync_object.qbo_entity)

    def qbo_record(self, sync_object: SyncObject, qbo_id: str) -> Mapping[str, Any] | None:
        """The record as QuickBooks has it now; None when it was deleted."""
        company = QboChangeSources(DynamoConnectionStore(self.table), deadline=self.deadline).open(self.scope)
        return next((change.current for change in company.current(sync_object.qbo_entity, [qbo_id])), None)


def sync_runs_for(router: APIGatewayHttpRouter, realm_id: str, *, admin: bool = False) -> SyncRuns:
    identity = signed_identity(router)
    table = dynamodb_table(get_settings().app_table_name)
    connection = DynamoConnectionStore(table).get(identity.portal_id, realm_id)
    if connection is None or connection.status != "connected":
        raise CompanyNotConnectedError(NOT_CONNECTED, details={"realm_id": realm_id})
    if admin and not DynamoSyncAdmins(table).is_admin(identity.portal_id, identity.user_id):
        raise AdminOnlyError("Only a HubBooks admin of this HubSpot account can run or change the sync; ask the "
                             "person who installed HubBooks.")
    return SyncRuns(scope=CompanyScope(portal_id=identity.portal_id, realm_id=realm_id), user_id=identity.user_id,
                    deadline=card_request_deadline(router.lambda_context), table=table)
