"""The daily invoice job wired to the stack: links from our table, the company's QuickBooks, the portal's HubSpot.

For one company it first refreshes the linked invoices (statuses, record properties, roll-ups), then brings the
reminder tasks in line with the fresh snapshots, then the finance user's deposit and pay-a-vendor tasks, all using
the company's own calendar date."""

from __future__ import annotations

from datetime import UTC, datetime

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.business_clock import business_clock
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.tasks import HubSpotTasks
from hubbooks.adapters.hubspot.timeline import HubSpotLiveCrm
from hubbooks.adapters.qbo.invoicing import QboInvoicingCompanies
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.currency_cache import DynamoCurrencyCache
from hubbooks.adapters.storage.invoice_link_store import DynamoInvoiceLinks
from hubbooks.adapters.storage.reminder_store import DynamoReminderSettings, DynamoReminderTasks
from hubbooks.config import get_settings
from hubbooks.domain.finance.money_reminders import run_money_reminders
from hubbooks.domain.finance.reminders import run_reminders
from hubbooks.domain.invoicing.overdue import check_company
from hubbooks.domain.invoicing.status import today_in
from hubbooks.models.connections import ConnectionRef


def run_overdue_check(ref: ConnectionRef) -> str:
    table = dynamodb_table(get_settings().app_table_name)
    links = DynamoInvoiceLinks(table)
    companies = QboInvoicingCompanies(DynamoConnectionStore(table))
    clock = business_clock()
    outcome = check_company(portal_id=ref.portal_id, realm_id=ref.realm_id, links=links, companies=companies,
                            crm=lambda: HubSpotLiveCrm(hubspot_client(ref.portal_id), ref.portal_id,
                                                       DynamoCurrencyCache(table)),
                            clock=clock)
    company = companies.open(ref.portal_id, ref.realm_id)
    time_zone = company.profile().time_zone
    today = today_in(time_zone, clock())
    settings, tasks = DynamoReminderSettings(table), DynamoReminderTasks(table)
    reminders = run_reminders(portal_id=ref.portal_id, realm_id=ref.realm_id, time_zone=time_zone, today=today,
                              settings=settings, links=links, tasks=tasks,
                              crm=lambda: HubSpotTasks(hubspot_client(ref.portal_id)), now=lambda: datetime.now(UTC))
    reminders.add(run_money_reminders(portal_id=ref.portal_id, realm_id=ref.realm_id, time_zone=time_zone,
                                      today=today, settings=settings, books=company.money_waiting, tasks=tasks,
                                      crm=lambda: HubSpotTasks(hubspot_client(ref.portal_id)),
                                      now=lambda: datetime.now(UTC)))
    return f"{outcome}; {reminders.describe()}" if reminders.changed else outcome
