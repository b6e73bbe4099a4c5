"""The scheduled reconciliation wired to the stack: the change engine over every registered applier (QuickBooks'
changes into HubSpot), then the HubSpot side for objects that sync both ways (HubSpot's changes into QuickBooks).

QuickBooks' side goes first, so what it writes to HubSpot is already there when HubSpot's side reads: those records
then hold QuickBooks' values and send nothing back."""

from __future__ import annotations

from datetime import UTC, datetime

from hubbooks.adapters.aws.clients import aws_client
from hubbooks.adapters.aws.sqs_publisher import SqsPublisher
from hubbooks.adapters.wiring.changes import change_engine
from hubbooks.adapters.wiring.hubspot_reconcile import hubspot_reconciliation
from hubbooks.config import get_settings
from hubbooks.domain.changes.engine import ReconcileFailedError
from hubbooks.domain.sync.hubspot_changes import HubSpotReconcileFailedError
from hubbooks.models.changes import CompanyScope
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.jobs import JobKind, JobMessage


def run_reconciliation(ref: ConnectionRef) -> str:
    """Raises ReconcileFailedError or HubSpotReconcileFailedError when a type or object could not be brought up to
    date (its bookmark stays for the retry); both sides are tried first."""
    scope = CompanyScope(portal_id=ref.portal_id, realm_id=ref.realm_id)
    quickbooks_failed: ReconcileFailedError | None = None
    try:
        outcome = change_engine().reconcile(scope).describe()
    except ReconcileFailedError as failed:
        quickbooks_failed, outcome = failed, str(failed)
    try:
        hubspot_report = hubspot_reconciliation().reconcile(scope)
        hubspot_outcome = hubspot_report.describe()
        if hubspot_report.unfinished:
            hubspot_outcome += "; " + _continue_soon(ref)
    except HubSpotReconcileFailedError as failed:
        if quickbooks_failed is None:
            raise
        raise BothSidesFailedError(f"{quickbooks_failed}; {failed}") from failed
    if quickbooks_failed is not None:
        raise quickbooks_failed
    return f"{outcome}; {hubspot_outcome}"


class BothSidesFailedError(Exception):
    """QuickBooks' and HubSpot's sides both left something to retry; the message names both."""


def _continue_soon(ref: ConnectionRef) -> str:
    """Queue this company's reconciliation again, so a backlog is worked off invocation after invocation."""
    queue_url = get_settings().sync_queue_url
    if not queue_url:
        return "the rest goes on at the next hourly run"
    SqsPublisher(aws_client("sqs"), queue_url).send_all([JobMessage(
        job=JobKind.RECONCILE, portal_id=ref.portal_id, realm_id=ref.realm_id, scheduled_at=datetime.now(UTC))])
    return "the rest goes on at once (queued again)"
