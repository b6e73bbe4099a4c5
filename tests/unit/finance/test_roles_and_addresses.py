"""Who may void and choose roles; which e-mail addresses QuickBooks can send to."""

from __future__ import annotations

import pytest

from hubbooks.domain.errors import ConflictError
from hubbooks.domain.finance.email_address import email_problem
from hubbooks.domain.finance.roles import NotAllowedError, change_roles, require_void_permission, view_roles
from hubbooks.domain.invoicing.errors import InvoiceRejectedError
from hubbooks.models.finance import FinanceRolesBody
from tests.unit.finance.fakes import FakeAdmins, FakeRoles, clock

PORTAL = 42
INSTALLER = 7


def test_the_installer_is_admin_and_chooses_approvers_who_may_then_void() -> None:
    store, installer = FakeRoles(), FakeAdmins({PORTAL: INSTALLER})
    with pytest.raises(NotAllowedError, match="approvers and HubBooks admins"):
        require_void_permission(portal_id=PORTAL, user_id=8, store=store, admins=installer)
    require_void_permission(portal_id=PORTAL, user_id=INSTALLER, store=store, admins=installer)

    view = change_roles(portal_id=PORTAL, user_id=INSTALLER, body=FinanceRolesBody(approver_user_ids=[8, 8, 9],
                                                                                  admin_user_ids=[10]),
                        store=store, admins=installer, now=clock)
    assert view.approver_user_ids == [8, 9] and view.admin_user_ids == [10] and view.you_are_admin
    require_void_permission(portal_id=PORTAL, user_id=8, store=store, admins=installer)
    require_void_permission(portal_id=PORTAL, user_id=10, store=store, admins=installer)
    assert store.items[PORTAL].updated_by_user_id == INSTALLER

    approver_view = view_roles(portal_id=PORTAL, user_id=8, store=store, admins=installer)
    assert approver_view.you_can_void and not approver_view.you_are_admin


def test_approvers_cannot_change_roles_and_nothing_is_saved() -> None:
    store, installer = FakeRoles(), FakeAdmins({PORTAL: INSTALLER})
    change_roles(portal_id=PORTAL, user_id=INSTALLER, body=FinanceRolesBody(approver_user_ids=[8]), store=store,
                 admins=installer, now=clock)
    with pytest.raises(NotAllowedError, match="Only HubBooks admins"):
        change_roles(portal_id=PORTAL, user_id=8, body=FinanceRolesBody(approver_user_ids=[8, 11]), store=store,
                     admins=installer, now=clock)
    assert store.items[PORTAL].approver_user_ids == (8,)


def test_without_a_known_installer_nobody_is_admin_until_added() -> None:
    store, installer = FakeRoles(), FakeAdmins()
    with pytest.raises(NotAllowedError):
        change_roles(portal_id=PORTAL, user_id=INSTALLER, body=FinanceRolesBody(), store=store, admins=installer,
                     now=clock)


def test_user_ids_must_be_positive() -> None:
    store, installer = FakeRoles(), FakeAdmins({PORTAL: INSTALLER})
    with pytest.raises(InvoiceRejectedError, match="positive"):
        change_roles(portal_id=PORTAL, user_id=INSTALLER, body=FinanceRolesBody(approver_user_ids=[0]),
                     store=store, admins=installer, now=clock)


@pytest.mark.parametrize("address", ["ap@birds.example", "first.last+tag@mail.example.co.uk", "o'neil@example.com"])
def test_usable_addresses(address: str) -> None:
    assert email_problem(address) is None


@pytest.mark.parametrize(("address", "words"), [("", "one e-mail address"), ("a@b@c.com", "one e-mail address"),
                                                 (".lead@example.com", "before the @"),
                                                 ("name@localhost", "domain name"),
                                                 ("n@" + "a" * 95 + ".com", "longer than QuickBooks allows")])
def test_unusable_addresses_say_what_is_wrong(address: str, words: str) -> None:
    problem = email_problem(address)
    assert problem is not None and words in problem


def test_roles_cannot_leave_an_account_without_a_known_installer_with_no_admin() -> None:
    store, admins = FakeRoles(), FakeAdmins(added_by_portal={PORTAL: {8}})
    with pytest.raises(ConflictError, match="no HubBooks admin left"):
        change_roles(portal_id=PORTAL, user_id=8, body=FinanceRolesBody(approver_user_ids=[9]), store=store,
                     admins=admins, now=clock)
    assert admins.added(PORTAL) == {8} and PORTAL not in store.items
