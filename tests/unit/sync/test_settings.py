"""The sync settings use cases: defaults until saved, checked mappings, admin-only changes, lost-update guard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hubbooks.domain.sync.defaults import ACTIVE_PROPERTY, DEFAULT_MAPPINGS, QBO_REFERENCE_PROPERTY
from hubbooks.domain.sync.errors import (
    AdminOnlyError,
    MappingNotFoundError,
    MappingRejectedError,
    SyncConfigChangedError,
    SyncSettingsRejectedError,
)
from hubbooks.domain.sync.settings import MappingDraft, SyncSettingsService
from hubbooks.models.sync import (
    MappingStats,
    OnCreateUpdate,
    OnDelete,
    SyncBehaviour,
    SyncDirection,
    SyncObject,
    TextCase,
    Transform,
)
from tests.unit.sync.fakes import FakeAdmins, FakeConfigStore, FakePortalProperties, FakeQboFields, FakeStats

ADMIN, SALES = 7, 8
NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


@pytest.fixture
def parts():
    return FakeConfigStore(), FakePortalProperties(), FakeStats()


@pytest.fixture
def service(parts):
    configs, properties, stats = parts
    return SyncSettingsService(portal_id=1, realm_id="9130", configs=configs, hubspot=properties,
                               qbo=FakeQboFields(), accounts=FakeQboFields(), stats=stats, admins=FakeAdmins(),
                               now=lambda: NOW)


def test_defaults_until_an_admin_saves(service, parts):
    config = service.config(SyncObject.CONTACTS)
    assert config.version == 0 and not config.behaviour.enabled
    assert config.mappings == DEFAULT_MAPPINGS[SyncObject.CONTACTS]
    assert parts[0].items == {}


def test_turning_sync_on_creates_hubbooks_properties_and_makes_defaults_valid(service, parts):
    before = {s.mapping.id: s.valid for s in service.mapping_status(SyncObject.CONTACTS)}
    assert before["display-name"] is False and before["email"] is True
    saved = service.save_behaviour(SyncObject.CONTACTS, SyncBehaviour(enabled=True, inactive_property=ACTIVE_PROPERTY),
                                   user_id=ADMIN, expected_version=0)
    assert saved.version == 1 and saved.behaviour.enabled and saved.updated_by_user_id == ADMIN
    assert QBO_REFERENCE_PROPERTY in parts[1].by_type["contacts"]
    assert all(s.valid for s in service.mapping_status(SyncObject.CONTACTS))


def test_changes_are_for_admins_only(service):
    with pytest.raises(AdminOnlyError):
        service.save_behaviour(SyncObject.PRODUCTS, SyncBehaviour(enabled=True, inactive_property=ACTIVE_PROPERTY),
                               user_id=SALES)
    with pytest.raises(AdminOnlyError):
        service.add_mapping(SyncObject.PRODUCTS, MappingDraft("name", "Name"), user_id=SALES)
    with pytest.raises(AdminOnlyError):
        service.delete_mapping(SyncObject.PRODUCTS, "name", user_id=SALES)


def test_a_stale_form_is_refused(service):
    behaviour = SyncBehaviour(enabled=False, on_create_update=OnCreateUpdate.UPDATE_LINKED_ONLY,
                              inactive_property=ACTIVE_PROPERTY)
    service.save_behaviour(SyncObject.PRODUCTS, behaviour, user_id=ADMIN, expected_version=0)
    with pytest.raises(SyncConfigChangedError):
        service.save_behaviour(SyncObject.PRODUCTS, behaviour, user_id=ADMIN, expected_version=0)


def test_turning_two_way_on_records_when_and_later_saves_keep_it(service):
    clock = [NOW]
    service.now = lambda: clock[0]
    one_way = SyncBehaviour(enabled=True, inactive_property=ACTIVE_PROPERTY)
    both = one_way.model_copy(update={"direction": SyncDirection.BOTH})
    assert service.save_behaviour(SyncObject.CONTACTS, one_way, user_id=ADMIN).two_way_since is None
    clock[0] = NOW + timedelta(hours=1)
    assert service.save_behaviour(SyncObject.CONTACTS, both, user_id=ADMIN).two_way_since == NOW + timedelta(hours=1)
    clock[0] = NOW + timedelta(hours=2)  # another change with two-way still on: the start stays
    kept = service.save_behaviour(SyncObject.CONTACTS, both.model_copy(update={"on_delete": OnDelete.ARCHIVE}),
                                  user_id=ADMIN)
    assert kept.two_way_since == NOW + timedelta(hours=1)
    assert service.save_behaviour(SyncObject.CONTACTS, one_way, user_id=ADMIN).two_way_since is None
    clock[0] = NOW + timedelta(hours=3)
    assert service.save_behaviour(SyncObject.CONTACTS, both, user_id=ADMIN).two_way_since == NOW + timedelta(hours=3)


def test_mark_inactive_needs_a_writable_yes_no_property(service):
    with pytest.raises(SyncSettingsRejectedError, match="'city' is not one"):
        service.save_behaviour(SyncObject.CONTACTS, SyncBehaviour(on_delete=OnDelete.MARK_INACTIVE,
                                                                  inactive_property="city"), user_id=ADMIN)
    saved = service.save_behaviour(SyncObject.CONTACTS, SyncBehaviour(on_delete=OnDelete.ARCHIVE), user_id=ADMIN)
    assert saved.behaviour.on_delete is OnDelete.ARCHIVE


def test_add_edit_delete_a_mapping(service):
    added = service.add_mapping(SyncObject.CONTACTS, MappingDraft("lifecyclestage", "PreferredDeliveryMethod",
                                                                  Transform(value_map={"Print": "lead", "Email": "lead",
                                                                                       "None": "customer"})),
                                user_id=ADMIN)
    assert added.id == "lifecyclestage" and not added.is_default
    edited = service.update_mapping(SyncObject.CONTACTS, "email",
                                    MappingDraft("email", "PrimaryEmailAddr.Address", Transform(case=TextCase.KEEP)),
                                    user_id=ADMIN)
    assert edited.is_default and edited.transform.case is TextCase.KEEP
    service.delete_mapping(SyncObject.CONTACTS, "notes", user_id=ADMIN)
    ids = [m.id for m in service.config(SyncObject.CONTACTS).mappings]
    assert "notes" not in ids and ids[-1] == "lifecyclestage" and service.config(SyncObject.CONTACTS).version == 3
    with pytest.raises(MappingNotFoundError):
        service.delete_mapping(SyncObject.CONTACTS, "notes", user_id=ADMIN)


def test_a_refused_mapping_is_not_saved(service):
    with pytest.raises(MappingRejectedError) as refused:
        service.add_mapping(SyncObject.CONTACTS, MappingDraft("hs_object_id", "Id"), user_id=ADMIN)
    assert refused.value.problems[0].code == "property_read_only"
    assert service.config(SyncObject.CONTACTS).version == 0


def test_a_disabled_mapping_may_point_at_a_missing_property_and_status_says_so(service, parts):
    service.update_mapping(SyncObject.CONTACTS, "notes", MappingDraft("gone_property", "Notes", enabled=False),
                           user_id=ADMIN)
    parts[2].by_mapping["email"] = MappingStats(records_synced=12, last_success_at=NOW)
    status = {s.mapping.id: s for s in service.mapping_status(SyncObject.CONTACTS)}
    assert status["notes"].problems[0].code == "property_missing"
    assert status["email"].valid and status["email"].stats.records_synced == 12


def test_catalogue_lists_both_sides(service):
    catalogue = service.catalogue(SyncObject.PRODUCTS)
    assert "hs_sku" in [p.name for p in catalogue.hubspot]
    assert "UnitPrice" in [f.path for f in catalogue.qbo] and "BillAddr.City" not in [f.path for f in catalogue.qbo]


def test_product_item_accounts_are_checked_against_the_company_and_named_on_save(parts):
    from hubbooks.models.sync import ItemAccount, SyncDirection
    configs, properties, stats = parts
    accounts = FakeQboFields()
    service = SyncSettingsService(portal_id=1, realm_id="9130", configs=configs, hubspot=properties,
                                  qbo=FakeQboFields(), accounts=accounts, stats=stats, admins=FakeAdmins(),
                                  now=lambda: NOW)
    creating = SyncBehaviour(enabled=True, inactive_property=ACTIVE_PROPERTY, direction=SyncDirection.BOTH,
                             on_hubspot_create_update=OnCreateUpdate.CREATE_AND_UPDATE)
    with pytest.raises(SyncSettingsRejectedError, match="choose the income account"):
        service.save_behaviour(SyncObject.PRODUCTS, creating, user_id=ADMIN)
    assert accounts.account_reads == 0  # refused before QuickBooks is asked
    with pytest.raises(SyncSettingsRejectedError, match="account 90 is not an active Income"):  # inactive or gone
        service.save_behaviour(SyncObject.PRODUCTS, creating.model_copy(
            update={"item_income_account": ItemAccount(id="90")}), user_id=ADMIN)
    saved = service.save_behaviour(SyncObject.PRODUCTS, creating.model_copy(update={
        "item_income_account": ItemAccount(id="1"), "item_expense_account": ItemAccount(id="80")}), user_id=ADMIN)
    assert saved.behaviour.item_income_account == ItemAccount(id="1", name="Services")
    assert saved.behaviour.item_expense_account == ItemAccount(id="80", name="Cost of Goods Sold")
    assert [a.id for a in service.item_accounts(user_id=ADMIN)] == ["1", "79", "60", "80"]
    with pytest.raises(AdminOnlyError):
        service.item_accounts(user_id=SALES)
