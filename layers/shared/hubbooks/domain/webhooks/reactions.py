"""Which provider changes HubBooks reacts to outside the change engine. Features register their reactions here.

QuickBooks entity types with a change-engine applier (Invoice, Payment, CreditMemo, and what the sync registers) go
through the engine (domain/changes); the dispatcher built here handles every other QuickBooks entity and HubSpot
events. A change nothing reacts to is acknowledged with a plain outcome (the worker logs it); a provider outage
raises, so SQS retries the message and, after maxReceiveCount, moves it to the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hubbooks.domain.errors import TenantNotConnectedError
from hubbooks.domain.invoicing.errors import CompanyNotConnectedError
from hubbooks.domain.webhooks.dispatch import WebhookDispatcher
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.webhooks import QboEntityChange

if TYPE_CHECKING:  # a protocol only: the invoicing side loads with the invoice appliers
    from hubbooks.domain.invoicing.live_ports import RealmPortals


def react_to_company_settings_change(change: QboEntityChange, realms: RealmPortals,
                                     refresh_profile: Callable[[ConnectionRef], str]) -> str:
    """Preferences or CompanyInfo changed (custom numbers turned on, currency, country): the stored profile the card
    and the settings page read follows at once instead of at the next scheduled refresh."""
    portals = realms.portals_connected_to(change.realm_id)
    if not portals:
        return f"ignored {change.entity} {change.operation}: QuickBooks company {change.realm_id} is not connected"
    outcomes = []
    for portal_id in portals:
        try:
            outcome = refresh_profile(ConnectionRef(portal_id=portal_id, realm_id=change.realm_id))
        except (CompanyNotConnectedError, TenantNotConnectedError) as gone:
            # Disconnected (or the HubSpot app uninstalled) since the lookup: nothing to keep in step any more.
            outcome = f"skipped, no longer connected ({type(gone).__name__})"
        outcomes.append(f"portal {portal_id}: {outcome}")
    return f"{change.entity} {change.entity_id} {change.operation}: " + "; ".join(outcomes)


def build_dispatcher(realms: Callable[[], RealmPortals],
                     refresh_profile: Callable[[ConnectionRef], str] | None = None) -> WebhookDispatcher:
    """`realms` is called per change that needs it, so each gets a client bound to the current invocation."""
    dispatcher = WebhookDispatcher()
    if refresh_profile is not None:
        for entity in ("Preferences", "CompanyInfo"):
            dispatcher.on_qbo(entity, lambda change: react_to_company_settings_change(change, realms(),
                                                                                       refresh_profile))
    return dispatcher
