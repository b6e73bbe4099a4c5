"""Who may do what in a portal's finance workflows.

HubBooks admins are the portal's one set of admins (the user who installed the app plus those an admin adds; the
same set guards the sync settings). Admins choose the approvers; voiding is for approvers and admins only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from hubbooks.domain.errors import ConflictError, ForbiddenError
from hubbooks.domain.invoicing.errors import FieldProblem, InvoiceRejectedError
from hubbooks.models.finance import FinanceRoles, FinanceRolesBody, FinanceRolesView


class FinanceRolesStore(Protocol):
    def get(self, portal_id: int) -> FinanceRoles | None: ...
    def save(self, roles: FinanceRoles) -> None: ...


class Admins(Protocol):
    def is_admin(self, portal_id: int, user_id: int) -> bool:
        """The installer, or a user an admin added."""
        ...
    def added(self, portal_id: int) -> set[int]: ...
    def installer(self, portal_id: int) -> int | None: ...
    def replace(self, portal_id: int, user_ids: set[int]) -> None:
        """The added admins become exactly `user_ids` (the installer stays an admin regardless)."""
        ...


class NotAllowedError(ForbiddenError):
    code = "not_allowed"


def roles_of(portal_id: int, store: FinanceRolesStore) -> FinanceRoles:
    return store.get(portal_id) or FinanceRoles(portal_id=portal_id)


def may_void(*, portal_id: int, user_id: int, store: FinanceRolesStore, admins: Admins) -> bool:
    return user_id in roles_of(portal_id, store).approver_user_ids or admins.is_admin(portal_id, user_id)


def require_void_permission(*, portal_id: int, user_id: int, store: FinanceRolesStore, admins: Admins) -> None:
    if not may_void(portal_id=portal_id, user_id=user_id, store=store, admins=admins):
        raise NotAllowedError("Only approvers and HubBooks admins can void invoices. Ask an admin to add you as an "
                              "approver in the HubBooks settings, or ask an approver to void it.")


def require_admin(*, portal_id: int, user_id: int, admins: Admins, action: str) -> None:
    if not admins.is_admin(portal_id, user_id):
        raise NotAllowedError(f"Only HubBooks admins can {action}; the user who installed the app is always one.")


def view_roles(*, portal_id: int, user_id: int, store: FinanceRolesStore, admins: Admins) -> FinanceRolesView:
    roles = roles_of(portal_id, store)
    is_admin = admins.is_admin(portal_id, user_id)
    return FinanceRolesView(admin_user_ids=sorted(admins.added(portal_id)),
                            approver_user_ids=list(roles.approver_user_ids), you_are_admin=is_admin,
                            you_can_void=is_admin or user_id in roles.approver_user_ids)


def change_roles(*, portal_id: int, user_id: int, body: FinanceRolesBody, store: FinanceRolesStore,
                 admins: Admins, now: Callable[[], datetime]) -> FinanceRolesView:
    require_admin(portal_id=portal_id, user_id=user_id, admins=admins, action="choose admins and approvers")
    problems = [FieldProblem(name, "User ids must be positive HubSpot user ids.")
                for name, ids in (("admin_user_ids", body.admin_user_ids),
                                  ("approver_user_ids", body.approver_user_ids)) if any(i <= 0 for i in ids)]
    if problems:
        raise InvoiceRejectedError(problems, "Please fix the roles: " + "; ".join(p.message for p in problems))
    if not body.admin_user_ids and admins.installer(portal_id) is None:
        raise ConflictError("This HubSpot account would have no HubBooks admin left: keep at least one in "
                            "admin_user_ids.")
    admins.replace(portal_id, set(body.admin_user_ids))
    store.save(FinanceRoles(portal_id=portal_id, approver_user_ids=tuple(sorted(set(body.approver_user_ids))),
                            updated_by_user_id=user_id, updated_at=now()))
    return view_roles(portal_id=portal_id, user_id=user_id, store=store, admins=admins)
