"""Chunking for batch endpoints (at most 100 inputs a call) and `after`-cursor paging for list endpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

BATCH_LIMIT = 100

T = TypeVar("T")


def chunks(items: Sequence[T], size: int = BATCH_LIMIT) -> Iterator[Sequence[T]]:
    if size < 1:
        raise ValueError("chunk size must be positive")
    for start in range(0, len(items), size):
        yield items[start:start + size]


def next_after(page: dict[str, Any]) -> str | None:
    """The cursor of the next page, or None on the last page (spec ForwardPaging.next.after)."""
    paging = page.get("paging") or {}
    after = (paging.get("next") or {}).get("after")
    return str(after) if after not in (None, "") else None


def follow_pages(fetch: Callable[[str | None], dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Yield every result of every page, fetching the next page only when the caller gets that far."""
    after: str | None = None
    while True:
        page = fetch(after)
        yield from page.get("results") or []
        after = next_after(page)
        if after is None:
            return
