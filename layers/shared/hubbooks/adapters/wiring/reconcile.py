"""The scheduled reconciliation wired to the stack: the change engine over every registered applier."""

from __future__ import annotations

from hubbooks.adapters.wiring.changes import change_engine
from hubbooks.adapters.wiring.webhooks import live_status_ports
from hubbooks.models.changes import CompanyScope
from hubbooks.models.connections import ConnectionRef


def run_reconciliation(ref: ConnectionRef) -> str:
    """Raises ReconcileFailedError when a type could not be brought up to date (its bookmark stays for the retry)."""
    ports = live_status_ports()
    report = change_engine(ports).reconcile(CompanyScope(portal_id=ref.portal_id, realm_id=ref.realm_id))
    return report.describe()
