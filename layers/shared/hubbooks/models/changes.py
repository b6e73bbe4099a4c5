"""What the change engine passes around: one company's scope, a QuickBooks entity as it is now, and bookmarks."""


from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import ConfigDict

from hubbooks.models.base import Model


class CompanyScope(Model):
    """One QuickBooks company as one HubSpot portal connected it: every change is applied per scope."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str

    def describe(self) -> str:
        return f"portal {self.portal_id} / QuickBooks company {self.realm_id}"


class EntityChange(Model):
    """A QuickBooks entity as QuickBooks has it *now* (its JSON), or `current=None` when QuickBooks no longer has it.

    Appliers never trust what a webhook said happened: they get the current state and derive what HubSpot should
    show from it, so duplicated, shuffled or missed notifications all converge to the same end state."""

    model_config = ConfigDict(frozen=True)

    entity: str  # as QuickBooks spells it: Invoice, Payment, CreditMemo, Customer, Item
    entity_id: str
    current: Mapping[str, Any] | None = None

    @property
    def deleted(self) -> bool:
        return self.current is None


class ChangeBookmark(Model):
    """How far reconciliation has applied one entity type of one company: every change QuickBooks made before
    `changed_since` has been applied. `full_read_at` says when the entity type was last read in full."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    entity: str
    changed_since: datetime
    full_read_at: datetime | None = None
    updated_at: datetime


class AppliedChanges(Model):
    """What one applier did with one batch, for logs, job records and the sync-health view."""

    model_config = ConfigDict(frozen=True)

    entity: str
    received: int
    outcome: str
