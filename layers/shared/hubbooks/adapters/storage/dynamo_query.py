"""Follows DynamoDB query pages to the end (each page holds at most 1 MB), and batch reads to the last key."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import Any

BATCH_GET_LIMIT = 100  # DynamoDB's BatchGetItem maximum
_BATCH_GET_ATTEMPTS = 5


def query_all(table: Any, **query: Any) -> Iterator[dict[str, Any]]:
    while True:
        page = table.query(**query)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def batch_get(table: Any, keys: Sequence[dict[str, str]]) -> list[dict[str, Any]]:
    """Consistent reads of up to BATCH_GET_LIMIT keys, asking again for keys DynamoDB left unprocessed."""
    client = table.meta.client  # a resource's client converts between Python and DynamoDB types itself
    request = {table.name: {"Keys": list(keys), "ConsistentRead": True}}
    items: list[dict[str, Any]] = []
    for attempt in range(_BATCH_GET_ATTEMPTS):
        answer = client.batch_get_item(RequestItems=request)
        items += answer.get("Responses", {}).get(table.name, [])
        request = answer.get("UnprocessedKeys") or {}
        if not request:
            return items
        time.sleep(0.05 * 2 ** attempt)  # DynamoDB throttled part of the batch: back off and ask again
    raise RuntimeError("DynamoDB left batch reads unprocessed after several attempts")
