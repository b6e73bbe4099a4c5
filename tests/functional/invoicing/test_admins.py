"""HubBooks admins through the invoice function on moto: the installer names and removes admins; the installer and
the last admin stay; non-admins are refused; bad ids get a 422."""

from __future__ import annotations

from datetime import UTC, datetime

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.adapters.storage.sync_store import DynamoSyncAdmins
from hubbooks.config import get_settings
from hubbooks.models.hubspot_install import HubSpotInstall
from tests.functional.invoicing.conftest import USER, World

ADDED, SALESPERSON, LATER = 8, 9, 10


def _install(world: World) -> None:
    DynamoInstallStore(dynamodb_table(get_settings().app_table_name)).save(HubSpotInstall(
        portal_id=world.portal_id, company_currency="USD", installed_at=datetime.now(UTC), installed_by_user_id=USER))


def test_the_installer_names_and_removes_admins(world: World) -> None:
    _install(world)
    status, view, _ = world.call("GET", "/app/admins", user_id=SALESPERSON)
    assert status == 200 and view == {"installer_user_id": USER, "added_user_ids": [], "you_are_admin": False}
    status, refused, _ = world.call("POST", "/app/admins", body={"user_id": SALESPERSON}, user_id=SALESPERSON)
    assert status == 403 and "Only HubBooks admins can add or remove admins" in refused["message"]

    status, view, _ = world.call("POST", "/app/admins", body={"user_id": ADDED})
    assert status == 200 and view["added_user_ids"] == [ADDED], view
    status, view, _ = world.call("POST", "/app/admins", body={"user_id": LATER}, user_id=ADDED)  # a new admin acts
    assert status == 200 and view["added_user_ids"] == [ADDED, LATER]
    status, invalid, _ = world.call("POST", "/app/admins", body={"user_id": 0})
    assert status == 422, invalid

    status, kept, _ = world.call("DELETE", f"/app/admins/{USER}", user_id=ADDED)
    assert status == 409 and "always an admin" in kept["message"]
    status, view, _ = world.call("DELETE", f"/app/admins/{LATER}", user_id=ADDED)
    assert status == 200 and view["added_user_ids"] == [ADDED]
    status, missing, _ = world.call("DELETE", f"/app/admins/{LATER}")
    assert status == 404 and "is not a HubBooks admin here" in missing["message"]
    status, bad, _ = world.call("DELETE", "/app/admins/someone")
    assert status == 422, bad
    status, roles, _ = world.call("GET", "/app/finance-roles", user_id=ADDED)
    assert status == 200 and roles["you_are_admin"] and roles["admin_user_ids"] == [ADDED]


def test_without_a_known_installer_the_last_admin_stays(world: World) -> None:
    table = dynamodb_table(get_settings().app_table_name)
    table.delete_item(Key=table_keys.hubspot_install_key(world.portal_id))
    DynamoSyncAdmins(table).replace(world.portal_id, {ADDED, LATER})
    status, view, _ = world.call("DELETE", f"/app/admins/{LATER}", user_id=ADDED)
    assert status == 200 and view == {"installer_user_id": None, "added_user_ids": [ADDED], "you_are_admin": True}
    status, kept, _ = world.call("DELETE", f"/app/admins/{ADDED}", user_id=ADDED)
    assert status == 409 and "last HubBooks admin" in kept["message"], kept
    assert DynamoSyncAdmins(table).added(world.portal_id) == {ADDED}
