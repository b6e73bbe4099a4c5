"""The scheduled jobs wired to the stack: built per message, so nothing touches AWS or secrets at import."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.qbo.factory import keep_qbo_connection_alive, refresh_qbo_company_profile
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.wiring.invoicing_jobs import run_overdue_check
from hubbooks.adapters.wiring.reconcile import run_reconciliation
from hubbooks.domain.jobs.runners import build_runners
from hubbooks.domain.jobs.scheduling import JobRunner
from hubbooks.models.jobs import JobKind


def stack_runners(table: Any) -> dict[JobKind, JobRunner]:
    return build_runners(DynamoConnectionStore(table), keep_alive=keep_qbo_connection_alive,
                         overdue_check=run_overdue_check, reconcile=run_reconciliation,
                         profile_refresh=refresh_qbo_company_profile)
