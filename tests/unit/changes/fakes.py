"""In-memory stand-ins for the change engine's ports: a QuickBooks company with a change log, and bookmarks."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any

from hubbooks.models.changes import AppliedChanges, ChangeBookmark, CompanyScope, EntityChange


class FakeCompanyChanges:
    """Entities per type, each with the time it last changed; deletions remembered as tombstones."""

    def __init__(self) -> None:
        self.entities: dict[str, dict[str, dict[str, Any]]] = {}
        self.changed_at: dict[tuple[str, str], datetime] = {}
        self.tombstones: dict[tuple[str, str], datetime] = {}
        self.calls: list[tuple[str, Any]] = []
        self.fail_reads = False

    def put(self, entity: str, entity_id: str, at: datetime, **fields: Any) -> None:
        self.entities.setdefault(entity, {})[entity_id] = {"Id": entity_id, **fields}
        self.changed_at[(entity, entity_id)] = at
        self.tombstones.pop((entity, entity_id), None)

    def delete(self, entity: str, entity_id: str, at: datetime) -> None:
        self.entities.get(entity, {}).pop(entity_id, None)
        self.tombstones[(entity, entity_id)] = at

    def _check(self) -> None:
        if self.fail_reads:
            raise RuntimeError("QuickBooks answered 503")

    def current(self, entity: str, entity_ids: Sequence[str]) -> list[EntityChange]:
        self._check()
        self.calls.append(("current", (entity, tuple(entity_ids))))
        rows = self.entities.get(entity, {})
        return [EntityChange(entity=entity, entity_id=i, current=rows.get(i)) for i in dict.fromkeys(entity_ids)]

    def changed_since(self, entities: Sequence[str], since: datetime) -> Iterator[EntityChange]:
        self._check()
        self.calls.append(("cdc", (tuple(entities), since)))
        for entity in entities:
            for (kind, entity_id), at in sorted(self.changed_at.items(), key=lambda pair: pair[1]):
                if kind == entity and at >= since and entity_id in self.entities.get(entity, {}):
                    yield EntityChange(entity=entity, entity_id=entity_id, current=self.entities[entity][entity_id])
            for (kind, entity_id), at in self.tombstones.items():
                if kind == entity and at >= since:
                    yield EntityChange(entity=entity, entity_id=entity_id, current=None)

    def every(self, entity: str) -> Iterator[EntityChange]:
        self._check()
        self.calls.append(("every", entity))
        for entity_id, row in sorted(self.entities.get(entity, {}).items()):
            yield EntityChange(entity=entity, entity_id=entity_id, current=row)


class FakeSources:
    def __init__(self, company: FakeCompanyChanges) -> None:
        self.company = company
        self.opened: list[CompanyScope] = []

    def open(self, scope: CompanyScope) -> FakeCompanyChanges:
        self.opened.append(scope)
        return self.company


class FakeBookmarks:
    def __init__(self) -> None:
        self.items: dict[tuple[int, str, str], ChangeBookmark] = {}

    def get(self, scope: CompanyScope, entity: str) -> ChangeBookmark | None:
        return self.items.get((scope.portal_id, scope.realm_id, entity))

    def save(self, bookmark: ChangeBookmark) -> None:
        self.items[(bookmark.portal_id, bookmark.realm_id, bookmark.entity)] = bookmark


class RecordingApplier:
    """Keeps what it was told as its 'HubSpot': the current state by id; deleted ids removed."""

    def __init__(self, entity: str, fail: bool = False) -> None:
        self.entity = entity
        self.fail = fail
        self.state: dict[str, dict[str, Any]] = {}
        self.batches: list[list[str]] = []

    def apply(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> AppliedChanges:
        if self.fail:
            raise RuntimeError("HubSpot answered 429")
        self.batches.append([c.entity_id for c in changes])
        for change in changes:
            if change.current is None:
                self.state.pop(change.entity_id, None)
            else:
                self.state[change.entity_id] = dict(change.current)
        return AppliedChanges(entity=self.entity, received=len(changes), outcome=f"{len(changes)} applied")

    def after_full_read(self, scope: CompanyScope, seen_ids: AbstractSet[str]) -> AppliedChanges:
        gone = [i for i in self.state if i not in seen_ids]
        for entity_id in gone:
            del self.state[entity_id]
        return AppliedChanges(entity=self.entity, received=0, outcome=f"{len(gone)} removed" if gone else "")
