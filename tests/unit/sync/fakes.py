"""In-memory stand-ins for the sync ports: a portal's properties, stored settings, admins, custom fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hubbooks.domain.sync.errors import SyncConfigChangedError
from hubbooks.domain.sync.qbo_fields import QboField
from hubbooks.models.hubspot import PropertySpec
from hubbooks.models.sync import HubSpotField, MappingStats, SyncConfig, SyncObject


def prop(name: str, type_: str = "string", *, options: Sequence[str] = (), read_only: bool = False,
         calculated: bool = False, field_type: str | None = None) -> HubSpotField:
    default_field_type = {"string": "text", "number": "number", "bool": "booleancheckbox", "enumeration": "select",
                          "date": "date", "datetime": "date", "phone_number": "phonenumber"}[type_]
    return HubSpotField(name=name, label=name.replace("_", " ").title(), type=type_,
                        field_type=field_type or default_field_type, options=tuple(options), read_only=read_only,
                        calculated=calculated)


def standard_portal() -> dict[str, dict[str, HubSpotField]]:
    """HubSpot's default properties the defaults rely on (as a fresh portal has them)."""
    address = [prop(n) for n in ("address", "city", "state", "zip", "country")]
    return {
        "contacts": {p.name: p for p in [
            prop("email"), prop("firstname"), prop("lastname"), prop("company"), prop("website"),
            prop("phone", field_type="phonenumber"), prop("mobilephone", field_type="phonenumber"), *address,
            prop("hs_object_id", "number", read_only=True),
            prop("lifecyclestage", "enumeration", options=["lead", "customer"]),
            prop("hs_analytics_num_visits", "number", calculated=True),
            prop("total_revenue", "number", field_type="calculation_equation")]},
        "companies": {p.name: p for p in [prop("name"), prop("domain"), prop("website"),
                                          prop("phone", field_type="phonenumber"), *address]},
        "products": {p.name: p for p in [
            prop("name"), prop("hs_sku"), prop("description", field_type="textarea"), prop("price", "number"),
            prop("hs_cost_of_goods_sold", "number"),
            prop("hs_product_type", "enumeration", options=["inventory", "non_inventory", "service"])]},
    }


def field_of(spec: PropertySpec) -> HubSpotField:
    return HubSpotField(name=spec.name, label=spec.label, type=spec.type, field_type=spec.field_type,
                        options=tuple(o.value for o in spec.options), unique=spec.has_unique_value)


@dataclass
class FakePortalProperties:
    by_type: dict[str, dict[str, HubSpotField]] = field(default_factory=standard_portal)
    ensured: list[tuple[str, str, list[str]]] = field(default_factory=list)
    reads: int = 0

    def fields(self, object_type: str) -> dict[str, HubSpotField]:
        self.reads += 1
        return dict(self.by_type.get(object_type, {}))

    def ensure(self, object_type: str, group_name: str, group_label: str,
               specs: Sequence[PropertySpec]) -> list[str]:
        existing = self.by_type.setdefault(object_type, {})
        created = [s.name for s in specs if s.name not in existing]
        for spec in specs:
            existing.setdefault(spec.name, field_of(spec))
        self.ensured.append((object_type, group_name, created))
        return created


@dataclass
class FakeConfigStore:
    items: dict[tuple[int, str, SyncObject], SyncConfig] = field(default_factory=dict)

    def get(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> SyncConfig | None:
        return self.items.get((portal_id, realm_id, sync_object))

    def save(self, config: SyncConfig) -> SyncConfig:
        key = (config.portal_id, config.realm_id, config.object)
        stored = self.items.get(key)
        if (stored.version if stored else 0) != config.version:
            raise SyncConfigChangedError("changed")
        saved = config.model_copy(update={"version": config.version + 1})
        self.items[key] = saved
        return saved


@dataclass
class FakeQboFields:
    custom: list[QboField] = field(default_factory=list)

    def custom_fields(self, sync_object: SyncObject) -> list[QboField]:
        return list(self.custom)


@dataclass
class FakeStats:
    by_mapping: dict[str, MappingStats] = field(default_factory=dict)

    def stats(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> dict[str, MappingStats]:
        return dict(self.by_mapping)


@dataclass
class FakeAdmins:
    admin_ids: set[int] = field(default_factory=lambda: {7})

    def is_admin(self, portal_id: int, user_id: int) -> bool:
        return user_id in self.admin_ids
