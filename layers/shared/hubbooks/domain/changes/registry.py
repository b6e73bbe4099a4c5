"""Which applier handles which QuickBooks entity type. Built by the wiring; read by the engine."""

from __future__ import annotations

from collections.abc import Iterator

from hubbooks.domain.changes.ports import ChangeApplier


class ApplierRegistry:
    def __init__(self) -> None:
        self._appliers: dict[str, ChangeApplier] = {}

    def register(self, applier: ChangeApplier) -> ApplierRegistry:
        """One applier per entity type: registering a second for the same type is a wiring mistake."""
        if applier.entity in self._appliers:
            raise ValueError(f"an applier for QuickBooks {applier.entity} changes is already registered")
        self._appliers[applier.entity] = applier
        return self

    def get(self, entity: str) -> ChangeApplier | None:
        return self._appliers.get(entity)

    def handles(self, entity: str) -> bool:
        return entity in self._appliers

    @property
    def entities(self) -> list[str]:
        """In registration order: reconciliation applies types in this order (invoices before the payments that
        refer to them)."""
        return list(self._appliers)

    def __iter__(self) -> Iterator[ChangeApplier]:
        return iter(self._appliers.values())
