"""The invoicing world (both simulators, a connected portal with three QuickBooks companies) plus the install
record that makes its user the portal's HubBooks admin."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.config import get_settings
from hubbooks.models.hubspot_install import HubSpotInstall
from tests.functional.invoicing.conftest import USER, World, world  # noqa: F401  (the fixture itself)


@pytest.fixture
def admin_world(world: World) -> World:  # noqa: F811
    DynamoInstallStore(dynamodb_table(get_settings().app_table_name)).save(HubSpotInstall(
        portal_id=world.portal_id, company_currency="USD", installed_at=datetime.now(UTC), installed_by_user_id=USER))
    return world
