"""The invoice backfill wired to the stack: pages through the sync queue, over the live-status ports (links,
QuickBooks companies, each portal's HubSpot). Built per invocation; nothing runs at import."""

from __future__ import annotations

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.aws.sqs_publisher import SqsPublisher
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.qbo.invoice_pages import QboInvoicePages
from hubbooks.adapters.storage.autolink_run_store import DynamoAutoLinkRuns
from hubbooks.adapters.storage.autolink_store import DynamoAutoLinkState
from hubbooks.adapters.storage.sync_link_store import DynamoSyncLinks
from hubbooks.adapters.wiring.live_status import live_status_ports
from hubbooks.config import get_settings
from hubbooks.domain.errors import ConfigurationError
from hubbooks.domain.invoicing.autolink_backfill import AutoLinkBackfill
from hubbooks.models.changes import CompanyScope


def autolink_backfill(deadline: Deadline | None = None) -> AutoLinkBackfill:
    settings = get_settings()
    if not settings.sync_queue_url:
        raise ConfigurationError("SYNC_QUEUE_URL is not set: invoice backfills run through the sync queue")
    table = dynamodb_table(settings.app_table_name)
    ports = live_status_ports(deadline)
    publisher = SqsPublisher(aws_client("sqs"), settings.sync_queue_url)

    def pages(scope: CompanyScope) -> QboInvoicePages:
        home = ports.companies.open(scope.portal_id, scope.realm_id).profile().home_currency
        return QboInvoicePages(qbo_client(scope.portal_id, scope.realm_id, deadline=deadline), home)

    return AutoLinkBackfill(store=DynamoAutoLinkRuns(table), pages=pages,
                            send=lambda step: publisher.send_all([step]), links=ports.links,
                            sync_links=DynamoSyncLinks(table), state=DynamoAutoLinkState(table),
                            companies=ports.companies, crm=ports.crm, clock=ports.clock)
