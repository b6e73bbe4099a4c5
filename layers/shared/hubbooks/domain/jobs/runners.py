"""What each scheduled job does for one connected company."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from hubbooks.models.connections import ConnectionRef

if TYPE_CHECKING:
    from hubbooks.domain.connect.ports import ConnectionStore
    from hubbooks.domain.jobs.scheduling import JobRunner
    from hubbooks.models.jobs import JobKind, JobMessage

CompanyJob = Callable[[ConnectionRef], str]
"""One job for one company, saying what happened: the token keep-alive (domain/connect/qbo_keepalive.py), the
overdue check (domain/invoicing/overdue.py), the change engine's reconciliation (domain/changes) or the profile refresh
(domain/connect/qbo_profile_refresh.py)."""

NOT_CONNECTED = "skipped: company not connected"


def build_runners(connections: ConnectionStore, jobs: Mapping[JobKind, CompanyJob]) -> dict[JobKind, JobRunner]:
    """One runner per job kind given: the token keep-alive (SYNC), the overdue check, reconciliation, the profile
    refresh; each runs only for a company still connected."""

    def for_connected(job: CompanyJob) -> JobRunner:
        # A company may have been disconnected between the fan-out and this message.
        def run(message: JobMessage) -> str:
            connection = connections.get(message.portal_id, message.realm_id)
            if connection is None or connection.status != "connected":
                return NOT_CONNECTED
            return job(ConnectionRef(portal_id=message.portal_id, realm_id=message.realm_id))

        return run

    return {kind: for_connected(job) for kind, job in jobs.items()}
