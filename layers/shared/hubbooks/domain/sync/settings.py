"""Use cases behind the sync settings: behaviours, mappings (checked before they are saved), catalogues, status.

Reads are open to every user of the portal; changes are for the portal's HubBooks admins only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from hubbooks.domain.sync.defaults import (
    SYNC_GROUP,
    SYNC_GROUP_LABEL,
    default_behaviour,
    default_mappings,
    hubbooks_properties,
)
from hubbooks.domain.sync.errors import (
    AdminOnlyError,
    MappingNotFoundError,
    MappingProblem,
    SyncConfigChangedError,
    SyncSettingsRejectedError,
)
from hubbooks.domain.sync.item_accounts import QboAccount, checked_item_accounts, needs_accounts
from hubbooks.domain.sync.mapping_rules import check_mapping, mapping_problems
from hubbooks.domain.sync.ports import (
    AdminDirectory,
    HubSpotPropertyCatalogue,
    MappingStatsStore,
    QboAccountCatalogue,
    QboFieldCatalogue,
    SyncConfigStore,
)
from hubbooks.domain.sync.qbo_fields import QboField, standard_fields
from hubbooks.models.sync import (
    FieldMapping,
    FieldOwner,
    HubSpotField,
    MappingStats,
    OnDelete,
    SyncBehaviour,
    SyncConfig,
    SyncDirection,
    SyncObject,
    Transform,
)

_ID_CHARS = re.compile(r"[^a-z0-9]+")


def default_config(portal_id: int, realm_id: str, sync_object: SyncObject) -> SyncConfig:
    return SyncConfig(portal_id=portal_id, realm_id=realm_id, object=sync_object, behaviour=default_behaviour(),
                      mappings=default_mappings(sync_object))


def check_two_way(sync_object: SyncObject, behaviour: SyncBehaviour) -> None:
    """Two-way settings that cannot work are refused, naming the field to change."""
    def refuse(field_name: str, message: str) -> None:
        raise SyncSettingsRejectedError(message, details={"fields": [{"field": field_name, "message": message}]})

    if behaviour.direction is SyncDirection.BOTH and not behaviour.enabled:
        refuse("direction", "Two-way sync needs sync turned on: set enabled to true, or direction to qbo_to_hubspot.")


@dataclass(frozen=True)
class MappingDraft:
    hubspot_property: str
    qbo_field: str
    transform: Transform = field(default_factory=Transform)
    enabled: bool = True
    owner: FieldOwner = FieldOwner.QUICKBOOKS


@dataclass(frozen=True)
class MappingStatus:
    mapping: FieldMapping
    problems: tuple[MappingProblem, ...]
    stats: MappingStats

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Catalogue:
    hubspot: tuple[HubSpotField, ...]
    qbo: tuple[QboField, ...]


@dataclass
class SyncSettingsService:
    portal_id: int
    realm_id: str
    configs: SyncConfigStore
    hubspot: HubSpotPropertyCatalogue
    qbo: QboFieldCatalogue
    stats: MappingStatsStore
    admins: AdminDirectory
    accounts: QboAccountCatalogue
    now: Callable[[], datetime] = lambda: datetime.now(UTC)

    # ---- reading -----------------------------------------------------------------------------------------------

    def config(self, sync_object: SyncObject) -> SyncConfig:
        """The stored settings, or the defaults (version 0) until an admin first saves."""
        stored = self.configs.get(self.portal_id, self.realm_id, sync_object)
        return stored or default_config(self.portal_id, self.realm_id, sync_object)

    def catalogue(self, sync_object: SyncObject) -> Catalogue:
        properties = self.hubspot.fields(sync_object.hubspot_type)
        return Catalogue(hubspot=tuple(sorted(properties.values(), key=lambda p: p.label.lower())),
                         qbo=(*standard_fields(sync_object), *self.qbo.custom_fields(sync_object)))

    def mapping_status(self, sync_object: SyncObject) -> list[MappingStatus]:
        config = self.config(sync_object)
        properties = self.hubspot.fields(sync_object.hubspot_type)
        custom = self.qbo.custom_fields(sync_object)
        stats = self.stats.stats(self.portal_id, self.realm_id, sync_object)
        return [MappingStatus(mapping=m, problems=tuple(mapping_problems(sync_object, m, properties, custom,
                                                                         config.mappings)),
                              stats=stats.get(m.id, MappingStats())) for m in config.mappings]

    def item_accounts(self, *, user_id: int) -> list[QboAccount]:
        """The accounts new items may post to: part of the company's books, so for admins only."""
        self._require_admin(user_id)
        return self.accounts.item_accounts()

    # ---- changing ----------------------------------------------------------------------------------------------

    def save_behaviour(self, sync_object: SyncObject, behaviour: SyncBehaviour, *, user_id: int,
                       expected_version: int | None = None) -> SyncConfig:
        self._require_admin(user_id)
        config = self.config(sync_object)
        if expected_version is not None and expected_version != config.version:
            raise SyncConfigChangedError("These settings were changed by someone else since you opened them; "
                                         "reload and try again.")
        check_two_way(sync_object, behaviour)
        behaviour = checked_item_accounts(sync_object, behaviour, self.accounts.item_accounts()
                                          if sync_object is SyncObject.PRODUCTS and needs_accounts(behaviour)
                                          else None)
        self._ensure_properties(sync_object)
        if behaviour.on_delete is OnDelete.MARK_INACTIVE and behaviour.inactive_property:
            self._check_inactive_property(sync_object, behaviour.inactive_property)
        if not behaviour.two_way:
            two_way_since = None
        else:  # kept while two-way stays on; a new start when it is turned on
            two_way_since = config.two_way_since if config.behaviour.two_way else self.now()
        return self._save(config.model_copy(update={"behaviour": behaviour, "two_way_since": two_way_since}), user_id)

    def add_mapping(self, sync_object: SyncObject, draft: MappingDraft, *, user_id: int) -> FieldMapping:
        self._require_admin(user_id)
        config = self.config(sync_object)
        mapping = FieldMapping(id=self._new_id(config, draft.hubspot_property), hubspot_property=draft.hubspot_property,
                               qbo_field=draft.qbo_field, transform=draft.transform, enabled=draft.enabled,
                               owner=draft.owner)
        self._check(sync_object, mapping, config)
        self._save(config.model_copy(update={"mappings": (*config.mappings, mapping)}), user_id)
        return mapping

    def update_mapping(self, sync_object: SyncObject, mapping_id: str, draft: MappingDraft, *,
                       user_id: int) -> FieldMapping:
        self._require_admin(user_id)
        config = self.config(sync_object)
        current = self._existing(config, mapping_id)
        mapping = current.model_copy(update={"hubspot_property": draft.hubspot_property,
                                             "qbo_field": draft.qbo_field, "transform": draft.transform,
                                             "enabled": draft.enabled, "owner": draft.owner})
        self._check(sync_object, mapping, config)
        self._save(config.model_copy(update={"mappings": tuple(mapping if m.id == mapping_id else m
                                                               for m in config.mappings)}), user_id)
        return mapping

    def delete_mapping(self, sync_object: SyncObject, mapping_id: str, *, user_id: int) -> None:
        self._require_admin(user_id)
        config = self.config(sync_object)
        self._existing(config, mapping_id)
        self._save(config.model_copy(update={"mappings": tuple(m for m in config.mappings if m.id != mapping_id)}),
                   user_id)

    def restore_defaults(self, sync_object: SyncObject, *, user_id: int) -> SyncConfig:
        self._require_admin(user_id)
        self._ensure_properties(sync_object)
        return self._save(self.config(sync_object).model_copy(update={"mappings": default_mappings(sync_object)}),
                          user_id)

    # ---- helpers -----------------------------------------------------------------------------------------------

    def _require_admin(self, user_id: int) -> None:
        if not self.admins.is_admin(self.portal_id, user_id):
            raise AdminOnlyError("Only a HubBooks admin of this HubSpot account can change sync settings; ask the "
                                 "person who installed HubBooks.")

    def _ensure_properties(self, sync_object: SyncObject) -> None:
        # Defaults write to properties HubBooks adds (display name, notes, active, the QuickBooks reference).
        self.hubspot.ensure(sync_object.hubspot_type, SYNC_GROUP, SYNC_GROUP_LABEL, hubbooks_properties(sync_object))

    def _check(self, sync_object: SyncObject, mapping: FieldMapping, config: SyncConfig) -> None:
        if mapping.enabled:
            check_mapping(sync_object, mapping, self.hubspot.fields(sync_object.hubspot_type),
                          self.qbo.custom_fields(sync_object), config.mappings)

    def _check_inactive_property(self, sync_object: SyncObject, name: str) -> None:
        prop = self.hubspot.fields(sync_object.hubspot_type).get(name)
        if prop is None or prop.read_only or prop.calculated or prop.type != "bool":
            raise SyncSettingsRejectedError(
                f"To mark records inactive HubBooks needs a writable yes/no {sync_object.hubspot_type} property; "
                f"'{name}' is " + ("missing" if prop is None else "not one") + ". Pick another property, or use "
                "'hubbooks_qbo_active', which HubBooks creates when sync is turned on.",
                details={"fields": [{"field": "inactive_property", "message": "not a writable yes/no property"}]})

    @staticmethod
    def _existing(config: SyncConfig, mapping_id: str) -> FieldMapping:
        mapping = config.mapping(mapping_id)
        if mapping is None:
            raise MappingNotFoundError(f"There is no {config.object.value} mapping '{mapping_id}'; reload the list.")
        return mapping

    @staticmethod
    def _new_id(config: SyncConfig, hubspot_property: str) -> str:
        base = _ID_CHARS.sub("-", hubspot_property.lower()).strip("-")[:56] or "mapping"
        taken = {m.id for m in config.mappings}
        candidate, n = base, 2
        while candidate in taken:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    def _save(self, config: SyncConfig, user_id: int) -> SyncConfig:
        if config.version == 0:  # the first save stores the defaults, which write to HubBooks' own properties
            self._ensure_properties(config.object)
        return self.configs.save(config.model_copy(update={"updated_at": self.now(), "updated_by_user_id": user_id}))
