"""Chunking for batch endpoints and `after`-cursor paging."""

from __future__ import annotations

from typing import Any

import pytest

from hubbooks.adapters.hubspot.paging import chunks, follow_pages, next_after


def test_chunks_of_at_most_100() -> None:
    assert [len(c) for c in chunks(list(range(250)))] == [100, 100, 50]
    assert list(chunks([])) == []
    with pytest.raises(ValueError):
        list(chunks([1], 0))


def test_follows_after_cursors_lazily() -> None:
    pages = {None: {"results": [1, 2], "paging": {"next": {"after": "2", "link": "?after=2"}}},
             "2": {"results": [3], "paging": {"next": {"after": "3"}}}, "3": {"results": []}}
    asked: list[str | None] = []

    def fetch(after: str | None) -> dict[str, Any]:
        asked.append(after)
        return pages[after]

    results = follow_pages(fetch)
    assert next(results) == 1 and asked == [None]
    assert list(results) == [2, 3] and asked == [None, "2", "3"]


def test_no_next_page() -> None:
    assert next_after({"results": []}) is None and next_after({"paging": {"next": {"after": ""}}}) is None
