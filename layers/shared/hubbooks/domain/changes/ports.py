"""What the change engine needs from the outside world, and what an applier must offer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Protocol

from hubbooks.models.changes import AppliedChanges, ChangeBookmark, CompanyScope, EntityChange


class ChangeApplier(Protocol):
    """Brings HubSpot in line with the current QuickBooks state of one entity type (see the package docstring)."""

    @property
    def entity(self) -> str:
        """The QuickBooks entity name this applier handles, e.g. "Invoice"."""
        ...

    def apply(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> AppliedChanges:
        """Apply a batch (at most a few hundred) of current entities. Must be idempotent; may raise to be retried."""
        ...

    def after_full_read(self, scope: CompanyScope, seen_ids: AbstractSet[str]) -> AppliedChanges:
        """After every entity of the type was read in full and applied: handle what the applier tracks but
        QuickBooks no longer has (ids not in `seen_ids`), since a full read cannot report deletions."""
        ...


class CompanyChanges(Protocol):
    """One connected QuickBooks company, read for changes (adapters/qbo/change_reader.py)."""

    def current(self, entity: str, entity_ids: Sequence[str]) -> list[EntityChange]:
        """The entities as QuickBooks has them now: one query with an `IN` list per chunk of ids. Every requested
        id comes back; an id QuickBooks does not return comes back with `current=None` (deleted)."""
        ...

    def changed_since(self, entities: Sequence[str], since: datetime) -> Iterator[EntityChange]:
        """Change data capture: everything of these types created, changed or deleted since `since` (at most 30
        days back), streamed; deleted entities come back with `current=None`."""
        ...

    def every(self, entity: str) -> Iterator[EntityChange]:
        """Every entity of the type, page by page (a full re-read; deletions are not reported)."""
        ...


class ChangeSources(Protocol):
    def open(self, scope: CompanyScope) -> CompanyChanges:
        """CompanyNotConnectedError when the portal no longer has a live connection to the company."""
        ...


class ChangeBookmarks(Protocol):
    """Per company and entity type: up to when reconciliation has applied QuickBooks' changes."""

    def get(self, scope: CompanyScope, entity: str) -> ChangeBookmark | None: ...
    def save(self, bookmark: ChangeBookmark) -> None: ...
