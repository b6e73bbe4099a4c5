"""The live-status reactions wired to the stack: our table, each portal's QuickBooks and HubSpot.

The webhook worker calls `live_status_ports` once per queued batch (nothing here runs at import), so every change gets
clients bound to the running invocation's deadline."""

from __future__ import annotations

from collections.abc import Collection

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.business_clock import business_clock
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.timeline import HubSpotLiveCrm
from hubbooks.adapters.qbo.invoicing import QboInvoicingCompanies
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.currency_cache import DynamoCurrencyCache
from hubbooks.adapters.storage.invoice_link_store import DynamoInvoiceLinks
from hubbooks.adapters.storage.payment_note_store import DynamoPaymentNotes
from hubbooks.adapters.storage.realm_portals import DynamoRealmPortals
from hubbooks.adapters.wiring.changes import change_engine
from hubbooks.adapters.wiring.invocation import current_deadline
from hubbooks.adapters.wiring.invocation import use_lambda_context as use_lambda_context
from hubbooks.config import get_settings
from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.domain.invoicing.live_ports import LiveStatusPorts
from hubbooks.models.connections import ConnectionRef


def webhook_change_engine(ports: LiveStatusPorts, entities: Collection[str]) -> ChangeEngine:
    """With the appliers for `entities` (the batch's QuickBooks entity types) only."""
    return change_engine(ports, current_deadline(), entities)


def refresh_company_profile(ref: ConnectionRef) -> str:
    """QuickBooks said a company's Preferences or CompanyInfo changed: re-read and store its profile (the job's code
    loads with the first such change, not with every batch)."""
    from hubbooks.adapters.qbo.company_jobs import refresh_qbo_company_profile

    return refresh_qbo_company_profile(ref, deadline=current_deadline())


def live_status_ports(deadline: Deadline | None = None) -> LiveStatusPorts:
    """`deadline`: the invocation's unless given (a card request's is shorter)."""
    table = dynamodb_table(get_settings().app_table_name)
    deadline = deadline or current_deadline()
    crms: dict[int, HubSpotLiveCrm] = {}

    def crm(portal_id: int) -> HubSpotLiveCrm:
        # One client per portal and change: the company currency is read once however many deals are written.
        if portal_id not in crms:
            crms[portal_id] = HubSpotLiveCrm(hubspot_client(portal_id, deadline=deadline), portal_id,
                                             DynamoCurrencyCache(table))
        return crms[portal_id]

    return LiveStatusPorts(realms=DynamoRealmPortals(table), links=DynamoInvoiceLinks(table),
                           companies=QboInvoicingCompanies(DynamoConnectionStore(table), deadline=deadline),
                           crm=crm, payment_notes=DynamoPaymentNotes(table), clock=business_clock())
