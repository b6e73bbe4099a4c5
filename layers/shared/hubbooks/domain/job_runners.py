"""What each scheduled job does for one connected company."""

from __future__ import annotations

from hubbooks.adapters.connection_store import ConnectionStore
from hubbooks.domain.jobs import JobRunner
from hubbooks.models.jobs import JobKind, JobMessage


def build_runners(connections: ConnectionStore) -> dict[JobKind, JobRunner]:
    def still_connected(message: JobMessage) -> bool:
        connection = connections.get(message.portal_id, message.realm_id)
        return connection is not None and connection.status == "connected"

    def sync(message: JobMessage) -> str:
        if not still_connected(message):
            return "skipped: company disconnected"
        return "checked connection"

    def overdue_check(message: JobMessage) -> str:
        if not still_connected(message):
            return "skipped: company disconnected"
        return "checked connection"

    return {JobKind.SYNC: sync, JobKind.OVERDUE_CHECK: overdue_check}
