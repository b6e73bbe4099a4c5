"""Follows DynamoDB query pages to the end (each page holds at most 1 MB)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def query_all(table: Any, **query: Any) -> Iterator[dict[str, Any]]:
    while True:
        page = table.query(**query)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
