"""The change engine wired to the stack: the appliers every QuickBooks change goes through, QuickBooks as the change
source, bookmarks in our table. Built per invocation (clients carry its deadline); nothing runs at import.

Each entity type's applier lives in the module declared for it in `APPLIER_MODULES`, imported only when an engine
needs that type: a webhook batch of invoices does not load the contact and product sync, and vice versa.
Reconciliation needs them all. Add an entity type by declaring it here and building its applier in the declared
module's `appliers(deadline, connections)` (see domain/changes/__init__.py)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.change_reader import QboChangeSources
from hubbooks.adapters.storage.change_bookmark_store import DynamoChangeBookmarks
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore, RememberedConnections
from hubbooks.config import get_settings
from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.domain.changes.ports import ChangeApplier
from hubbooks.domain.changes.registry import ApplierRegistry
from hubbooks.loading import import_on_demand

if TYPE_CHECKING:
    from hubbooks.domain.connect.ports import ConnectionStore

# Declaration order is application order: invoices before the payments, credit memos and refunds that change them or
# sit beside them; then customers and items (the contact/product sync).
APPLIER_MODULES: dict[str, str] = {
    "Invoice": "hubbooks.adapters.wiring.invoice_appliers",
    "Payment": "hubbooks.adapters.wiring.invoice_appliers",
    "CreditMemo": "hubbooks.adapters.wiring.invoice_appliers",
    "RefundReceipt": "hubbooks.adapters.wiring.invoice_appliers",
    "Customer": "hubbooks.adapters.wiring.sync_appliers",
    "Item": "hubbooks.adapters.wiring.sync_appliers",
}


def change_appliers(deadline: Deadline | None = None, entities: Collection[str] | None = None,
                    connections: ConnectionStore | None = None) -> ApplierRegistry:
    """The appliers for `entities` (every declared type when None), in declaration order; types nothing is declared
    for are left out (the caller's dispatcher handles them)."""
    wanted = [e for e in APPLIER_MODULES if entities is None or e in entities]
    built: dict[str, ChangeApplier] = {}
    for module_name in dict.fromkeys(APPLIER_MODULES[e] for e in wanted):
        module = import_on_demand(module_name)
        built.update((applier.entity, applier) for applier in module.appliers(deadline, connections)
                     if applier.entity in wanted)
    registry = ApplierRegistry()
    for entity in wanted:
        registry.register(built[entity])
    return registry


def change_engine(deadline: Deadline | None = None, entities: Collection[str] | None = None) -> ChangeEngine:
    """`entities`: the QuickBooks types this engine will see (a webhook batch's); None for all (reconciliation)."""
    table = dynamodb_table(get_settings().app_table_name)
    connections = RememberedConnections(DynamoConnectionStore(table))  # one read per company for engine and sync
    return ChangeEngine(change_appliers(deadline, entities, connections),
                        QboChangeSources(connections, deadline=deadline),
                        DynamoChangeBookmarks(table), clock=lambda: datetime.now(UTC))
