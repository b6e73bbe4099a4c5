"""The overdue check wired to the stack: links from our table, the company's QuickBooks, the portal's HubSpot."""

from __future__ import annotations

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.business_clock import business_clock
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.timeline import HubSpotLiveCrm
from hubbooks.adapters.qbo.invoicing import QboInvoicingCompanies
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.currency_cache import DynamoCurrencyCache
from hubbooks.adapters.storage.invoice_link_store import DynamoInvoiceLinks
from hubbooks.config import get_settings
from hubbooks.domain.invoicing.overdue import check_company
from hubbooks.models.connections import ConnectionRef


def run_overdue_check(ref: ConnectionRef) -> str:
    table = dynamodb_table(get_settings().app_table_name)
    return check_company(portal_id=ref.portal_id, realm_id=ref.realm_id, links=DynamoInvoiceLinks(table),
                         companies=QboInvoicingCompanies(DynamoConnectionStore(table)),
                         crm=lambda: HubSpotLiveCrm(hubspot_client(ref.portal_id), ref.portal_id,
                                                    DynamoCurrencyCache(table)),
                         clock=business_clock())
