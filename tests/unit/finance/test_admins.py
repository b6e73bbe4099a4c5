"""Naming and removing HubBooks admins with fakes: admins only, never the installer, never the last admin, and
naming an admin twice changes nothing."""

from __future__ import annotations

import pytest

from hubbooks.domain.finance.admins import AdminKeptError, AdminNotFoundError, add_admin, remove_admin, view_admins
from hubbooks.domain.finance.roles import NotAllowedError
from tests.unit.finance.fakes import FakeAdmins

PORTAL, INSTALLER, ADDED, OTHER = 1, 7, 8, 9


def test_an_admin_names_another_and_naming_again_changes_nothing() -> None:
    admins = FakeAdmins(installers={PORTAL: INSTALLER})
    view = add_admin(portal_id=PORTAL, user_id=INSTALLER, new_admin=ADDED, admins=admins)
    assert view.installer_user_id == INSTALLER and view.added_user_ids == [ADDED] and view.you_are_admin
    again = add_admin(portal_id=PORTAL, user_id=ADDED, new_admin=ADDED, admins=admins)
    assert again.added_user_ids == [ADDED]
    assert add_admin(portal_id=PORTAL, user_id=ADDED, new_admin=INSTALLER, admins=admins).added_user_ids == [ADDED]


def test_only_admins_add_or_remove() -> None:
    admins = FakeAdmins(installers={PORTAL: INSTALLER}, added_by_portal={PORTAL: {ADDED}})
    with pytest.raises(NotAllowedError, match="Only HubBooks admins can add or remove admins"):
        add_admin(portal_id=PORTAL, user_id=OTHER, new_admin=OTHER, admins=admins)
    with pytest.raises(NotAllowedError):
        remove_admin(portal_id=PORTAL, user_id=OTHER, removed=ADDED, admins=admins)
    assert admins.added(PORTAL) == {ADDED}
    assert not view_admins(portal_id=PORTAL, user_id=OTHER, admins=admins).you_are_admin


def test_an_added_admin_is_removed_but_never_the_installer() -> None:
    admins = FakeAdmins(installers={PORTAL: INSTALLER}, added_by_portal={PORTAL: {ADDED}})
    with pytest.raises(AdminKeptError, match=r"User 7 installed HubBooks .* cannot be removed"):
        remove_admin(portal_id=PORTAL, user_id=ADDED, removed=INSTALLER, admins=admins)
    view = remove_admin(portal_id=PORTAL, user_id=INSTALLER, removed=ADDED, admins=admins)
    assert view.added_user_ids == [] and view.installer_user_id == INSTALLER
    with pytest.raises(AdminNotFoundError, match="User 8 is not a HubBooks admin here"):
        remove_admin(portal_id=PORTAL, user_id=INSTALLER, removed=ADDED, admins=admins)


def test_the_last_admin_of_an_install_without_a_known_installer_stays() -> None:
    admins = FakeAdmins(added_by_portal={PORTAL: {ADDED, OTHER}})
    remove_admin(portal_id=PORTAL, user_id=ADDED, removed=OTHER, admins=admins)
    with pytest.raises(AdminKeptError, match=r"User 8 is the last HubBooks admin .* add another admin first"):
        remove_admin(portal_id=PORTAL, user_id=ADDED, removed=ADDED, admins=admins)
    assert admins.added(PORTAL) == {ADDED}


def test_an_admin_may_remove_themselves_when_others_remain() -> None:
    admins = FakeAdmins(installers={PORTAL: INSTALLER}, added_by_portal={PORTAL: {ADDED}})
    view = remove_admin(portal_id=PORTAL, user_id=ADDED, removed=ADDED, admins=admins)
    assert view.added_user_ids == [] and not view.you_are_admin
