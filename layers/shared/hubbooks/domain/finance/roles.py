"""Who may do what in a portal's finance workflows.

The user who installed the app is always an admin (HubSpot's signed requests carry no role, so the install is the
one fact we hold); admins name further admins and the approvers. Voiding is for approvers and admins only.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from hubbooks.domain.errors import ForbiddenError
from hubbooks.domain.invoicing.errors import FieldProblem, InvoiceRejectedError
from hubbooks.models.finance import FinanceRoles, FinanceRolesBody, FinanceRolesView


class FinanceRolesStore(Protocol):
    def get(self, portal_id: int) -> FinanceRoles | None: ...
    def save(self, roles: FinanceRoles) -> None: ...


class Installer(Protocol):
    def installed_by(self, portal_id: int) -> int | None:
        """The HubSpot user who installed the app in the portal, if known."""
        ...


class NotAllowedError(ForbiddenError):
    code = "not_allowed"


def roles_of(portal_id: int, store: FinanceRolesStore) -> FinanceRoles:
    return store.get(portal_id) or FinanceRoles(portal_id=portal_id)


def is_admin(user_id: int, roles: FinanceRoles, installed_by: int | None) -> bool:
    return user_id == installed_by or user_id in roles.admin_user_ids


def may_void(user_id: int, roles: FinanceRoles, installed_by: int | None) -> bool:
    return is_admin(user_id, roles, installed_by) or user_id in roles.approver_user_ids


def require_void_permission(*, portal_id: int, user_id: int, store: FinanceRolesStore, installer: Installer) -> None:
    if not may_void(user_id, roles_of(portal_id, store), installer.installed_by(portal_id)):
        raise NotAllowedError("Only approvers and HubBooks admins can void invoices. Ask an admin to add you as an "
                              "approver in the HubBooks settings, or ask an approver to void it.")


def require_admin(*, portal_id: int, user_id: int, store: FinanceRolesStore, installer: Installer,
                  action: str) -> None:
    if not is_admin(user_id, roles_of(portal_id, store), installer.installed_by(portal_id)):
        raise NotAllowedError(f"Only HubBooks admins can {action}; the user who installed the app is always one.")


def view_roles(*, portal_id: int, user_id: int, store: FinanceRolesStore, installer: Installer) -> FinanceRolesView:
    roles = roles_of(portal_id, store)
    installed_by = installer.installed_by(portal_id)
    return FinanceRolesView(installed_by_user_id=installed_by, admin_user_ids=list(roles.admin_user_ids),
                            approver_user_ids=list(roles.approver_user_ids),
                            you_are_admin=is_admin(user_id, roles, installed_by),
                            you_can_void=may_void(user_id, roles, installed_by))


def change_roles(*, portal_id: int, user_id: int, body: FinanceRolesBody, store: FinanceRolesStore,
                 installer: Installer, now: Callable[[], datetime]) -> FinanceRolesView:
    require_admin(portal_id=portal_id, user_id=user_id, store=store, installer=installer,
                  action="choose admins and approvers")
    problems = [FieldProblem(name, "User ids must be positive HubSpot user ids.")
                for name, ids in (("admin_user_ids", body.admin_user_ids),
                                  ("approver_user_ids", body.approver_user_ids)) if any(i <= 0 for i in ids)]
    if problems:
        raise InvoiceRejectedError(problems, "Please fix the roles: " + "; ".join(p.message for p in problems))
    store.save(FinanceRoles(portal_id=portal_id, admin_user_ids=tuple(sorted(set(body.admin_user_ids))),
                            approver_user_ids=tuple(sorted(set(body.approver_user_ids))),
                            updated_by_user_id=user_id, updated_at=now()))
    return view_roles(portal_id=portal_id, user_id=user_id, store=store, installer=installer)
