"""Sync settings per QuickBooks company: behaviours, field catalogues and mappings with their status.

Every user of the portal may read them (the settings page shows them); only HubBooks admins may change them.
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Path
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api.path_params import ObjectName, RealmId
from hubbooks.api.signed_requests import require_hubspot_signature, signed_identity
from hubbooks.api.sync_dependencies import sync_settings_for
from hubbooks.domain.sync.item_accounts import EXPENSE_TYPES, INCOME_TYPES
from hubbooks.domain.sync.settings import MappingDraft, MappingStatus, SyncSettingsService
from hubbooks.models.sync import HubSpotField, SyncObject
from hubbooks.models.sync_api import (
    AccountView,
    BehaviourBody,
    CatalogueView,
    CompanySyncView,
    HubSpotFieldView,
    ItemAccountsView,
    MappingBody,
    MappingView,
    ObjectSyncView,
    ProblemView,
    QboFieldView,
)

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]
TAGS = ["Sync settings"]
MappingId = Annotated[str, Path(pattern=r"^[a-z0-9_-]{1,64}$")]


def _mapping_view(status: MappingStatus) -> MappingView:
    return MappingView(mapping=status.mapping, valid=status.valid, stats=status.stats,
                       problems=[ProblemView(code=p.code, field=p.field, message=p.message) for p in status.problems])


def _object_view(service: SyncSettingsService, sync_object: SyncObject) -> ObjectSyncView:
    config = service.config(sync_object)
    user_id = signed_identity(router).user_id
    return ObjectSyncView(realm_id=service.realm_id, object=sync_object, qbo_entity=sync_object.qbo_entity,
                          behaviour=config.behaviour, version=config.version, updated_at=config.updated_at,
                          can_edit=service.admins.is_admin(service.portal_id, user_id),
                          mappings=[_mapping_view(s) for s in service.mapping_status(sync_object)])


def _draft(body: MappingBody) -> MappingDraft:
    return MappingDraft(hubspot_property=body.hubspot_property, qbo_field=body.qbo_field, transform=body.transform,
                        enabled=body.enabled, owner=body.owner)


@router.get("/app/qbo/<realm_id>/sync", middlewares=SIGNED, tags=TAGS,
            summary="Contacts, companies and products sync of one company: behaviours and mappings with status")
def read_company_sync(realm_id: RealmId) -> CompanySyncView:
    service = sync_settings_for(router, realm_id)
    return CompanySyncView(realm_id=realm_id, objects=[_object_view(service, o) for o in SyncObject])


@router.get("/app/qbo/<realm_id>/sync/<sync_object>", middlewares=SIGNED, tags=TAGS,
            summary="One object's sync behaviour and its mappings with their status")
def read_object_sync(realm_id: RealmId, sync_object: ObjectName) -> ObjectSyncView:
    return _object_view(sync_settings_for(router, realm_id), sync_object)


@router.put("/app/qbo/<realm_id>/sync/<sync_object>/behaviour", middlewares=SIGNED, tags=TAGS,
            summary="Turn sync on or off and choose what happens on create, update and delete (admins only)")
def write_behaviour(realm_id: RealmId, sync_object: ObjectName, body: BehaviourBody) -> ObjectSyncView:
    service = sync_settings_for(router, realm_id)
    service.save_behaviour(sync_object, body.behaviour(), user_id=signed_identity(router).user_id,
                           expected_version=body.expected_version)
    return _object_view(service, sync_object)


@router.get("/app/qbo/<realm_id>/sync/<sync_object>/catalogue", middlewares=SIGNED, tags=TAGS,
            summary="HubSpot properties and QuickBooks fields to pick from when mapping")
def read_catalogue(realm_id: RealmId, sync_object: ObjectName) -> CatalogueView:
    catalogue = sync_settings_for(router, realm_id).catalogue(sync_object)
    return CatalogueView(
        object=sync_object, hubspot=[_property_view(p) for p in catalogue.hubspot],
        qbo=[QboFieldView(path=f.path, label=f.label, kind=f.kind, options=list(f.options), calculated=f.calculated)
             for f in catalogue.qbo])


@router.get("/app/qbo/<realm_id>/item-accounts", middlewares=SIGNED, tags=TAGS,
            summary="The company's active accounts QuickBooks items created from HubSpot products may post to "
                    "(admins only)")
def read_item_accounts(realm_id: RealmId) -> ItemAccountsView:
    accounts = sync_settings_for(router, realm_id).item_accounts(user_id=signed_identity(router).user_id)
    views = [(a.account_type, AccountView(id=a.id, name=a.name, account_type=a.account_type,
                                          account_sub_type=a.account_sub_type, classification=a.classification))
             for a in accounts]
    return ItemAccountsView(income=[v for kind, v in views if kind in INCOME_TYPES],
                            expense=[v for kind, v in views if kind in EXPENSE_TYPES])


def _property_view(prop: HubSpotField) -> HubSpotFieldView:
    reason = ("calculated by HubSpot" if prop.calculated or prop.field_type == "calculation_equation"
              else "read-only in HubSpot" if prop.read_only else None)
    return HubSpotFieldView(name=prop.name, label=prop.label, type=prop.type, field_type=prop.field_type,
                            options=list(prop.options), writable=reason is None, reason_not_writable=reason)


@router.get("/app/qbo/<realm_id>/sync/<sync_object>/mappings", middlewares=SIGNED, tags=TAGS,
            summary="Mapping status: each mapping, whether it can work, records synced, last success and failure")
def list_mappings(realm_id: RealmId, sync_object: ObjectName) -> list[MappingView]:
    return [_mapping_view(s) for s in sync_settings_for(router, realm_id).mapping_status(sync_object)]


@router.post("/app/qbo/<realm_id>/sync/<sync_object>/mappings", middlewares=SIGNED, tags=TAGS,
             summary="Add a mapping (admins only); refused with 422 naming the problem when it cannot work")
def add_mapping(realm_id: RealmId, sync_object: ObjectName, body: MappingBody) -> MappingView:
    service = sync_settings_for(router, realm_id)
    mapping = service.add_mapping(sync_object, _draft(body), user_id=signed_identity(router).user_id)
    return next(_mapping_view(s) for s in service.mapping_status(sync_object) if s.mapping.id == mapping.id)


@router.put("/app/qbo/<realm_id>/sync/<sync_object>/mappings/<mapping_id>", middlewares=SIGNED, tags=TAGS,
            summary="Change a mapping (admins only)")
def update_mapping(realm_id: RealmId, sync_object: ObjectName, mapping_id: MappingId,
                   body: MappingBody) -> MappingView:
    service = sync_settings_for(router, realm_id)
    service.update_mapping(sync_object, mapping_id, _draft(body), user_id=signed_identity(router).user_id)
    return next(_mapping_view(s) for s in service.mapping_status(sync_object) if s.mapping.id == mapping_id)


@router.delete("/app/qbo/<realm_id>/sync/<sync_object>/mappings/<mapping_id>", middlewares=SIGNED, tags=TAGS,
               summary="Delete a mapping (admins only)")
def delete_mapping(realm_id: RealmId, sync_object: ObjectName, mapping_id: MappingId) -> list[MappingView]:
    service = sync_settings_for(router, realm_id)
    service.delete_mapping(sync_object, mapping_id, user_id=signed_identity(router).user_id)
    return [_mapping_view(s) for s in service.mapping_status(sync_object)]


@router.post("/app/qbo/<realm_id>/sync/<sync_object>/mappings/restore-defaults", middlewares=SIGNED, tags=TAGS,
             summary="Replace the mappings with HubBooks' defaults (admins only)")
def restore_defaults(realm_id: RealmId, sync_object: ObjectName) -> ObjectSyncView:
    service = sync_settings_for(router, realm_id)
    service.restore_defaults(sync_object, user_id=signed_identity(router).user_id)
    return _object_view(service, sync_object)
