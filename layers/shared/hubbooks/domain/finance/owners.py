"""HubSpot owners for finance workflows: the pickers' list, and the owner id a HubSpot user's tasks are assigned to.

Signed requests and the settings name HubSpot *users*; records and tasks are assigned to *owners*. The owners API
maps one to the other (an owner's `userId`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from hubbooks.domain.invoicing.errors import FieldProblem, InvoiceRejectedError
from hubbooks.models.owners import HubSpotOwner, OwnerOption, OwnersView

_LOOKUPS_BEFORE_LISTING = 3


class OwnerDirectory(Protocol):
    """A portal's HubSpot owners (adapters/hubspot/owners.py)."""

    def active(self) -> list[HubSpotOwner]:
        """Every active owner, all pages read."""
        ...

    def by_user_id(self, user_id: int) -> HubSpotOwner | None:
        """The active owner of a HubSpot user, None when there is none (deactivated, or not a user here)."""
        ...


class OwnerById(Protocol):
    def by_id(self, owner_id: str) -> HubSpotOwner | None:
        """The active owner with this id, None when there is none."""
        ...


def require_active_owner(owners: OwnerById, owner_id: str, field: str, role: str) -> None:
    """Refuse an owner id that names no active owner of the portal: tasks assigned to it would fail every day."""
    if owners.by_id(owner_id) is None:
        raise InvoiceRejectedError([FieldProblem(field, f"Choose the {role} among the portal's HubSpot users.")],
                                   f"HubSpot has no active user with owner id {owner_id} in this portal; choose the "
                                   f"{role} again from the list.")


def owner_options(directory: OwnerDirectory) -> OwnersView:
    """Active owners for a picker, by name then id, so the list reads the same every time."""
    owners = sorted(directory.active(), key=lambda o: (o.display_name.casefold(), o.id))
    return OwnersView(owners=[OwnerOption(owner_id=o.id, user_id=o.user_id, name=o.display_name, email=o.email)
                              for o in owners if not o.archived])


def owner_ids_of_users(directory: OwnerDirectory, user_ids: Iterable[int]) -> dict[int, str]:
    """The owner id of each HubSpot user who has an active owner; users without one are left out. One call per
    user for a few users, one listing for many."""
    wanted = list(dict.fromkeys(user_ids))
    if len(wanted) <= _LOOKUPS_BEFORE_LISTING:
        found = {user_id: directory.by_user_id(user_id) for user_id in wanted}
        return {user_id: owner.id for user_id, owner in found.items() if owner is not None}
    by_user = {o.user_id: o.id for o in directory.active() if o.user_id is not None and not o.archived}
    return {user_id: by_user[user_id] for user_id in wanted if user_id in by_user}

