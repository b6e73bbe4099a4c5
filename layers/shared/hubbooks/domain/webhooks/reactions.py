"""Which provider changes HubBooks reacts to. Features register their reactions here.

QuickBooks invoice and payment changes keep invoice status live: the links' snapshots, the deals' invoice
properties and the payment notes on deal timelines. A change for a company no portal has connected, or for invoices
nobody linked, is acknowledged with a plain outcome (the worker logs it); a provider outage raises, so SQS retries the
message and, after maxReceiveCount, moves it to the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Callable

from hubbooks.domain.errors import TenantNotConnectedError
from hubbooks.domain.invoicing.errors import CompanyNotConnectedError
from hubbooks.domain.invoicing.live_ports import LiveStatusPorts
from hubbooks.domain.invoicing.live_status import refresh_invoices
from hubbooks.domain.invoicing.payments import record_payment
from hubbooks.domain.webhooks.dispatch import WebhookDispatcher
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.webhooks import QboEntityChange

PortalReaction = Callable[[int, LiveStatusPorts], str]


def _for_each_portal(change: QboEntityChange, ports: LiveStatusPorts, react: PortalReaction) -> str:
    portals = ports.realms.portals_connected_to(change.realm_id)
    if not portals:
        return f"ignored {change.entity} {change.operation}: QuickBooks company {change.realm_id} is not connected"
    outcomes = []
    for portal_id in portals:
        try:
            outcome = react(portal_id, ports)
        except (CompanyNotConnectedError, TenantNotConnectedError) as gone:
            # Disconnected (or the HubSpot app uninstalled) since the lookup: nothing to keep in step any more.
            outcome = f"skipped, no longer connected ({type(gone).__name__})"
        outcomes.append(f"portal {portal_id}: {outcome}")
    return f"{change.entity} {change.entity_id} {change.operation}: " + "; ".join(outcomes)


def react_to_invoice_change(change: QboEntityChange, ports: LiveStatusPorts) -> str:
    """Create, Update, Void, Delete, Emailed alike: re-read and recompute (a void shows as voided, a delete unlinks)."""
    def react(portal_id: int, p: LiveStatusPorts) -> str:
        return refresh_invoices(portal_id=portal_id, realm_id=change.realm_id, invoice_ids=[change.entity_id],
                                links=p.links, companies=p.companies, crm=lambda: p.crm(portal_id),
                                clock=p.clock).describe()

    return _for_each_portal(change, ports, react)


def react_to_payment_change(change: QboEntityChange, ports: LiveStatusPorts) -> str:
    def react(portal_id: int, p: LiveStatusPorts) -> str:
        return record_payment(portal_id=portal_id, realm_id=change.realm_id, payment_id=change.entity_id,
                              links=p.links, companies=p.companies, crm=lambda: p.crm(portal_id),
                              notes=p.payment_notes, clock=p.clock)

    return _for_each_portal(change, ports, react)


def react_to_company_settings_change(change: QboEntityChange, ports: LiveStatusPorts,
                                     refresh_profile: Callable[[ConnectionRef], str]) -> str:
    """Preferences or CompanyInfo changed (custom numbers turned on, currency, country): the stored profile the card
    and the settings page read follows at once instead of at the next scheduled refresh."""
    def react(portal_id: int, p: LiveStatusPorts) -> str:
        return refresh_profile(ConnectionRef(portal_id=portal_id, realm_id=change.realm_id))

    return _for_each_portal(change, ports, react)


def build_dispatcher(ports: Callable[[], LiveStatusPorts],
                     refresh_profile: Callable[[ConnectionRef], str] | None = None) -> WebhookDispatcher:
    """`ports` is called once per change, so each change gets clients bound to the current invocation."""
    dispatcher = WebhookDispatcher()
    dispatcher.on_qbo("Invoice", lambda change: react_to_invoice_change(change, ports()))
    dispatcher.on_qbo("Payment", lambda change: react_to_payment_change(change, ports()))
    if refresh_profile is not None:
        for entity in ("Preferences", "CompanyInfo"):
            dispatcher.on_qbo(entity, lambda change: react_to_company_settings_change(change, ports(),
                                                                                       refresh_profile))
    return dispatcher
