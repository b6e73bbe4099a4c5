"""Two-way sync (HubSpot -> QuickBooks) wired to the stack: our table, each portal's HubSpot on the sync's request
budget, each company's QuickBooks. Built per queued batch (clients carry the invocation's deadline)."""

from __future__ import annotations

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.qbo.sync_records import QboSyncRecords
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.wiring.sync import sync_ports
from hubbooks.config import get_settings
from hubbooks.domain.sync.applier import SyncPorts
from hubbooks.domain.sync.two_way import TwoWayPorts, TwoWaySync
from hubbooks.models.changes import CompanyScope


def two_way_sync(deadline: Deadline | None = None, ports: SyncPorts | None = None) -> TwoWaySync:
    """`ports`: the sync's ports when the caller wraps some (the HubSpot-side reconciliation's prefetched reads)."""
    settings = get_settings()
    connections = DynamoConnectionStore(dynamodb_table(settings.app_table_name))
    ports = ports or sync_ports(deadline)

    def realms(portal_id: int) -> list[str]:
        return [c.realm_id for c in connections.list_for_portal(portal_id) if c.status == "connected"]

    def qbo(scope: CompanyScope) -> QboSyncRecords:
        return QboSyncRecords(qbo_client(scope.portal_id, scope.realm_id, deadline=deadline))

    return TwoWaySync(TwoWayPorts(configs=ports.configs, links=ports.links, failures=ports.failures,
                                  decisions=ports.decisions, crm=ports.crm, qbo=qbo, realms=realms,
                                  currency=ports.currency, clock=ports.clock,
                                  app_id=settings.hubspot_app_id))
