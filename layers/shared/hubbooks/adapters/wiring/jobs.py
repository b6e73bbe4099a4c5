"""The scheduled jobs wired to the stack: built per message, so nothing touches AWS or secrets at import.

Each job kind's code is imported when a message of that kind arrives (the hourly overdue check does not load the
change engine that reconciliation runs, nor the other way round)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.domain.jobs.runners import CompanyJob, build_runners
from hubbooks.domain.jobs.scheduling import JobRunner
from hubbooks.loading import import_on_demand
from hubbooks.models.jobs import JobKind

JOB_FUNCTIONS: dict[JobKind, str] = {  # "module:function" running the job for one connected company
    JobKind.SYNC: "hubbooks.adapters.qbo.company_jobs:keep_qbo_connection_alive",
    JobKind.OVERDUE_CHECK: "hubbooks.adapters.wiring.invoicing_jobs:run_overdue_check",
    JobKind.RECONCILE: "hubbooks.adapters.wiring.reconcile:run_reconciliation",
    JobKind.PROFILE_REFRESH: "hubbooks.adapters.qbo.company_jobs:refresh_qbo_company_profile",
}


def company_job(kind: JobKind) -> CompanyJob:
    module, function = JOB_FUNCTIONS[kind].split(":")
    job: CompanyJob = getattr(import_on_demand(module), function)
    return job


def stack_runners(table: Any, kinds: Iterable[JobKind] = tuple(JobKind)) -> dict[JobKind, JobRunner]:
    """Runners for `kinds` only (a message's own kind), each job's module imported now."""
    return build_runners(DynamoConnectionStore(table), {kind: company_job(kind) for kind in kinds})
