"""QuickBooks pages for the backfill: the counts to show progress against (one batch request), then one query page
at a time."""

# ruff: noqa: S608 - QuickBooks queries, not SQL: the entity name is checked, numbers are ints.

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from hubbooks.adapters.qbo.client import MAX_QUERY_RESULTS, QboClient

_ENTITY = re.compile(r"[A-Z][A-Za-z]{1,39}")


def _checked(entity: str) -> str:
    if not _ENTITY.fullmatch(entity):
        raise ValueError(f"not a QuickBooks entity name: {entity!r}")
    return entity


class QboBackfillPages:
    def __init__(self, client: QboClient) -> None:
        self._client = client

    def counts(self, entities: Sequence[str]) -> dict[str, int]:
        """All in one request, for the progress bar."""
        return self._client.counts([_checked(entity) for entity in entities])

    def page(self, entity: str, start: int, size: int) -> list[dict[str, Any]]:
        if not 1 <= size <= MAX_QUERY_RESULTS or start < 1:
            raise ValueError("pages start at 1 and hold 1 to 1000 records")
        answer = self._client.query(f"SELECT * FROM {_checked(entity)} ORDERBY Id STARTPOSITION {int(start)} "
                                    f"MAXRESULTS {int(size)}")
        return [row for row in answer.get(entity) or [] if isinstance(row, dict)]
