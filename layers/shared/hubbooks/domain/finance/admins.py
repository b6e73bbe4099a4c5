"""Naming and removing the portal's HubBooks admins. The user who installed the app is always an admin and cannot be
removed; an added admin can, unless they are the last admin (an install older than the record of its installer has
only added admins)."""

from __future__ import annotations

from typing import Protocol

from hubbooks.domain.errors import ConflictError, NotFoundError
from hubbooks.domain.finance.roles import Admins, require_admin
from hubbooks.models.admins import AdminsView


class AdminList(Admins, Protocol):
    def add(self, portal_id: int, user_id: int) -> None: ...
    def remove(self, portal_id: int, user_id: int, *, keep_one: bool) -> bool:
        """Take the user off the added admins (with keep_one: only while another remains); False if refused."""
        ...


class AdminNotFoundError(NotFoundError):
    code = "admin_not_found"


class AdminKeptError(ConflictError):
    code = "admin_kept"


def view_admins(*, portal_id: int, user_id: int, admins: AdminList) -> AdminsView:
    installer = admins.installer(portal_id)
    added = admins.added(portal_id) - ({installer} if installer is not None else set())
    return AdminsView(installer_user_id=installer, added_user_ids=sorted(added),
                      you_are_admin=user_id == installer or user_id in added)


def add_admin(*, portal_id: int, user_id: int, new_admin: int, admins: AdminList) -> AdminsView:
    """Idempotent: naming someone who is an admin already changes nothing."""
    require_admin(portal_id=portal_id, user_id=user_id, admins=admins, action="add or remove admins")
    if new_admin != admins.installer(portal_id):
        admins.add(portal_id, new_admin)
    return view_admins(portal_id=portal_id, user_id=user_id, admins=admins)


def remove_admin(*, portal_id: int, user_id: int, removed: int, admins: AdminList) -> AdminsView:
    require_admin(portal_id=portal_id, user_id=user_id, admins=admins, action="add or remove admins")
    installer = admins.installer(portal_id)
    if removed == installer:
        raise AdminKeptError(f"User {removed} installed HubBooks in this HubSpot account, so they are always an admin "
                             "and cannot be removed.")
    if removed not in admins.added(portal_id):
        raise AdminNotFoundError(f"User {removed} is not a HubBooks admin here; reload the list.")
    if not admins.remove(portal_id, removed, keep_one=installer is None):
        raise AdminKeptError(f"User {removed} is the last HubBooks admin of this HubSpot account; add another admin "
                             "first, then remove them.")
    return view_admins(portal_id=portal_id, user_id=user_id, admins=admins)
