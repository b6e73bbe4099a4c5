"""DynamoDB storage of the company's latest invoice backfill or dry run, moved on conditionally on its version, as the
sync's backfill is (run_records.py). Apart from autolink_store.py, which every invoice batch loads."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.run_records import DynamoRunRecords
from hubbooks.models.autolink import AutoLinkRun


class DynamoAutoLinkRuns(DynamoRunRecords[AutoLinkRun]):
    """The company's latest invoice backfill or dry run."""

    def __init__(self, table: Any) -> None:
        super().__init__(table, model=AutoLinkRun, key=table_keys.autolink_run_key, item_type="autolink_run",
                         busy_message="An invoice backfill or dry run is already running for this company; wait "
                                      "for it or cancel it.")
