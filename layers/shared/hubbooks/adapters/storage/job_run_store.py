"""Remembers the last run of each scheduled job per connection, so people (and the demo) can see it ran."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.storage import table_keys
from hubbooks.models.jobs import JobKind, JobRun


class DynamoJobRunStore:
    def __init__(self, table: Any) -> None:
        self._table = table

    def record(self, run: JobRun) -> None:
        self._table.put_item(Item={**table_keys.job_run_key(run.portal_id, run.job, run.realm_id),
                                   "type": "job_run", **run.model_dump(mode="json")})

    def last(self, portal_id: int, job: JobKind, realm_id: str) -> JobRun | None:
        item = self._table.get_item(Key=table_keys.job_run_key(portal_id, job, realm_id)).get("Item")
        return JobRun.model_validate(item) if item else None
