"""The webhook worker's fan-out: one queued delivery batch -> the change engine per connected portal, and the
dispatcher for whatever the engine has no applier for (and for HubSpot events)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.domain.errors import TenantNotConnectedError
from hubbooks.domain.invoicing.errors import CompanyNotConnectedError
from hubbooks.domain.webhooks.dispatch import WebhookDispatcher
from hubbooks.models.changes import CompanyScope
from hubbooks.models.webhooks import HubSpotEventBatch, QboChangeBatch

if TYPE_CHECKING:  # two-way sync loads only for batches that carry contact, company or product events
    from hubbooks.domain.invoicing.live_ports import RealmPortals  # and the invoicing side only for invoice batches
    from hubbooks.domain.sync.two_way import TwoWaySync


def apply_qbo_batch(batch: QboChangeBatch, *, realms: RealmPortals, engine: ChangeEngine,
                    dispatcher: WebhookDispatcher) -> str:
    """Whatever the events say happened, the engine reads each changed entity's current state (one `IN` query per
    entity type) and applies it, so duplicates and shuffled order change nothing. A failure raises: the message is
    retried, then dead-lettered, and the scheduled reconciliation applies what it carried."""
    outcomes: list[str] = []
    references = [(c.entity, c.entity_id) for c in batch.changes]
    references += [(c.entity, c.deleted_id) for c in batch.changes if c.deleted_id]  # merged away: now deleted
    if any(engine.handles(entity) for entity, _ in references):
        portals = realms.portals_connected_to(batch.realm_id)
        if not portals:
            outcomes.append(f"ignored: QuickBooks company {batch.realm_id} is not connected")
        for portal_id in portals:
            scope = CompanyScope(portal_id=portal_id, realm_id=batch.realm_id)
            try:
                applied = engine.apply_references(scope, references)
            except (CompanyNotConnectedError, TenantNotConnectedError) as gone:
                # Disconnected (or the HubSpot app uninstalled) since the lookup: nothing to keep in step any more.
                outcomes.append(f"portal {portal_id}: skipped, no longer connected ({type(gone).__name__})")
                continue
            summary = "; ".join(f"{a.entity} x{a.received}" + (f": {a.outcome}" if a.outcome else "")
                                for a in applied)
            outcomes.append(f"portal {portal_id}: {summary}")
    outcomes += [dispatcher.dispatch(change) for change in batch.changes if not engine.handles(change.entity)]
    return " | ".join(outcomes) or "nothing to do"


def apply_hubspot_batch(batch: HubSpotEventBatch, *, dispatcher: WebhookDispatcher,
                        two_way: Callable[[], TwoWaySync] | None = None) -> str:
    """Contact, company and product events go to two-way sync (which does nothing where it is off); the
    dispatcher gets every event for whatever else reacts to it."""
    from hubbooks.domain.sync.two_way import sync_object_of

    outcomes = []
    if two_way is not None and any(sync_object_of(event) is not None for event in batch.events):
        outcomes.append(two_way().apply_events(batch.portal_id, batch.events))
    outcomes += [dispatcher.dispatch(event) for event in batch.events]
    return " | ".join(outcomes) or "nothing to do"
