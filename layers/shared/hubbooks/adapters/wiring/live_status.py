"""The live-status ports wired to the stack: our table, each portal's QuickBooks and HubSpot, for the invoicing side's
change appliers and the invoice backfill.

This module loads the invoicing stack (QuickBooks invoicing, the HubSpot client): only what builds those ports imports
it, so a webhook batch of customers, items or HubSpot events never does. Nothing here runs at import; each call binds
the clients to one invocation's deadline."""

from __future__ import annotations

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
from hubbooks.adapters.wiring.invocation import current_deadline
from hubbooks.config import get_settings
from hubbooks.domain.invoicing.live_ports import LiveStatusPorts


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
