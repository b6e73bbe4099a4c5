"""What each scheduled job does for one connected company."""

from __future__ import annotations

from collections.abc import Callable

from hubbooks.adapters.storage.connection_store import ConnectionStore
from hubbooks.domain.jobs.scheduling import JobRunner
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.jobs import JobKind, JobMessage

ConnectionKeeper = Callable[[ConnectionRef], str]
"""Renews one company's QuickBooks grant if due and says what happened (domain/qbo_keepalive.py)."""


def _stack_keeper(ref: ConnectionRef) -> str:
    # Built on first use, not at import: the worker's module level must not touch AWS or read secrets.
    from hubbooks.adapters.qbo.factory import keep_qbo_connection_alive

    return keep_qbo_connection_alive(ref)


OverdueChecker = Callable[[ConnectionRef], str]
"""Recomputes one company's linked invoice statuses and the affected deals' properties (domain/invoicing)."""


def _stack_overdue_check(ref: ConnectionRef) -> str:
    from hubbooks.adapters.wiring.invoicing_jobs import run_overdue_check

    return run_overdue_check(ref)


def build_runners(connections: ConnectionStore, keep_alive: ConnectionKeeper = _stack_keeper,
                  overdue: OverdueChecker = _stack_overdue_check) -> dict[JobKind, JobRunner]:
    def still_connected(message: JobMessage) -> bool:
        connection = connections.get(message.portal_id, message.realm_id)
        return connection is not None and connection.status == "connected"

    def sync(message: JobMessage) -> str:
        if not still_connected(message):
            return "skipped: company not connected"
        return keep_alive(ConnectionRef(portal_id=message.portal_id, realm_id=message.realm_id))

    def overdue_check(message: JobMessage) -> str:
        if not still_connected(message):
            return "skipped: company disconnected"
        return overdue(ConnectionRef(portal_id=message.portal_id, realm_id=message.realm_id))

    return {JobKind.SYNC: sync, JobKind.OVERDUE_CHECK: overdue_check}
