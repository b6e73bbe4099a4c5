"""In-memory stand-ins for the sync ports: a portal's properties, stored settings, admins, custom fields."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from hubbooks.domain.sync.errors import SyncConfigChangedError
from hubbooks.domain.sync.item_accounts import QboAccount
from hubbooks.domain.sync.ports import CrmWrite, HubSpotRecord, WriteOutcome
from hubbooks.domain.sync.qbo_fields import QboField
from hubbooks.models.hubspot_properties import PropertySpec
from hubbooks.models.sync import (
    Candidate,
    HubSpotField,
    MappingStats,
    PendingDecision,
    RecordLink,
    SyncConfig,
    SyncFailure,
    SyncObject,
)


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


# Active Income, Expense and Cost of Goods Sold accounts as the sandbox company has them (sandbox/qbo/seed.py).
SANDBOX_ACCOUNTS = (QboAccount("1", "Services", "Income", "ServiceFeeIncome", "Revenue"),
                    QboAccount("79", "Sales of Product Income", "Income", "SalesOfProductIncome", "Revenue"),
                    QboAccount("60", "Office Expenses", "Expense", "OfficeGeneralAdministrativeExpenses", "Expense"),
                    QboAccount("80", "Cost of Goods Sold", "Cost of Goods Sold", "SuppliesMaterialsCogs", "Expense"))


@dataclass
class FakeQboFields:
    custom: list[QboField] = field(default_factory=list)
    accounts: list[QboAccount] = field(default_factory=lambda: list(SANDBOX_ACCOUNTS))
    account_reads: int = 0

    def custom_fields(self, sync_object: SyncObject) -> list[QboField]:
        return list(self.custom)

    def item_accounts(self) -> list[QboAccount]:
        self.account_reads += 1
        return list(self.accounts)


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


# ---- the engine's side: an in-memory HubSpot and stores ------------------------------------------------------------

@dataclass
class FakeCrm:
    """A portal's records per type; counts calls; can refuse values (like HubSpot's property validation)."""

    portal: FakePortalProperties = field(default_factory=FakePortalProperties)
    records: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    archived: list[str] = field(default_factory=list)
    calls: dict[str, int] = field(default_factory=dict)
    refuse_values: set[str] = field(default_factory=set)
    next_id: int = 1000

    def _count(self, name: str) -> None:
        self.calls[name] = self.calls.get(name, 0) + 1

    def add(self, object_type: str, **properties: str) -> str:
        self.next_id += 1
        self.records.setdefault(object_type, {})[str(self.next_id)] = dict(properties)
        return str(self.next_id)

    def fields(self, object_type: str) -> dict[str, HubSpotField]:
        self._count("fields")
        return self.portal.fields(object_type)

    def any_record(self, object_type: str) -> bool:
        self._count("search")
        return bool(self.records.get(object_type))

    def find(self, object_type: str, prop: str, values: Sequence[str]) -> list[tuple[str, Candidate]]:
        self._count("search")
        wanted = {v.lower() for v in values}
        return [(props[prop], Candidate(hubspot_id=hid, label=props.get("name") or props.get("email") or hid))
                for hid, props in self.records.get(object_type, {}).items()
                if props.get(prop, "").lower() in wanted]

    def _refusal(self, properties: dict[str, str]) -> str | None:
        bad = [v for v in properties.values() if v in self.refuse_values]
        return f"Property values were not valid: {bad[0]}" if bad else None

    def upsert(self, object_type: str, writes: Sequence[CrmWrite], id_property: str) -> WriteOutcome:
        self._count("upsert")
        assert len(writes) <= 100
        outcome = WriteOutcome()
        existing = self.records.setdefault(object_type, {})
        for write in writes:
            if (why := self._refusal(write.properties)) is not None:
                outcome.refused[write.trace_id] = why
                continue
            hid = next((h for h, p in existing.items() if p.get(id_property) == write.reference), None)
            if (holder := self._email_holder(object_type, write.properties, hid)) is not None:
                outcome.conflicts[write.trace_id] = f"Contact already exists. Existing ID: {holder}"
                continue
            if hid is None:
                hid = self.add(object_type)
            existing[hid].update(write.properties)
            outcome.written[write.trace_id] = hid
        return outcome

    def _email_holder(self, object_type: str, properties: dict[str, str], hubspot_id: str | None) -> str | None:
        """Like HubSpot: a contact's e-mail is unique (another contact holding it refuses the write)."""
        email = (properties.get("email") or "").lower()
        if object_type != "contacts" or not email:
            return None
        return next((h for h, p in self.records.get(object_type, {}).items()
                     if h != hubspot_id and (p.get("email") or "").lower() == email), None)

    def update(self, object_type: str, writes: Sequence[CrmWrite]) -> WriteOutcome:
        self._count("update")
        assert len(writes) <= 100
        outcome = WriteOutcome()
        for write in writes:
            if (why := self._refusal(write.properties)) is not None:
                outcome.refused[write.trace_id] = why
                continue
            assert write.hubspot_id is not None
            self.records[object_type][write.hubspot_id].update(write.properties)
            outcome.written[write.trace_id] = write.hubspot_id
        return outcome

    def read(self, object_type: str, hubspot_ids: Sequence[str], properties: Sequence[str]) -> dict[str, HubSpotRecord]:
        self._count("read")
        assert len(hubspot_ids) <= 100
        found = self.records.get(object_type, {})
        return {hid: HubSpotRecord(hubspot_id=hid, properties={p: found[hid].get(p) for p in properties})
                for hid in hubspot_ids if hid in found}

    def archive(self, object_type: str, hubspot_ids: Sequence[str]) -> None:
        self._count("archive")
        for hid in hubspot_ids:
            self.records[object_type].pop(hid, None)
            self.archived.append(hid)


@dataclass
class FakeLinks:
    items: dict[tuple[int, str, SyncObject, str], RecordLink] = field(default_factory=dict)

    def get_many(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                 qbo_ids: Sequence[str]) -> dict[str, RecordLink]:
        return {q: self.items[(portal_id, realm_id, sync_object, q)] for q in qbo_ids
                if (portal_id, realm_id, sync_object, q) in self.items}

    def all_links(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> Iterator[RecordLink]:
        return iter([link for key, link in self.items.items() if key[:3] == (portal_id, realm_id, sync_object)])

    def linked_hubspot_ids(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                           hubspot_ids: Iterable[str]) -> set[str]:
        wanted = set(hubspot_ids)
        return {link.hubspot_id for link in self.all_links(portal_id, realm_id, sync_object)
                if link.hubspot_id in wanted}

    def by_hubspot_ids(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                       hubspot_ids: Iterable[str]) -> dict[str, RecordLink]:
        wanted = set(hubspot_ids)
        return {link.hubspot_id: link for link in self.all_links(portal_id, realm_id, sync_object)
                if link.hubspot_id in wanted}

    def save(self, link: RecordLink) -> None:
        self.items[(link.portal_id, link.realm_id, link.object, link.qbo_id)] = link

    def save_many(self, links: Sequence[RecordLink]) -> None:
        for link in links:
            self.save(link)

    def delete(self, link: RecordLink) -> None:
        self.items.pop((link.portal_id, link.realm_id, link.object, link.qbo_id), None)


@dataclass
class FakeDecisions:
    items: dict[tuple[str, SyncObject, str], PendingDecision] = field(default_factory=dict)

    def save(self, decision: PendingDecision) -> None:
        self.items[(decision.realm_id, decision.object, decision.qbo_id)] = decision

    def resolve(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_id: str) -> None:
        self.items.pop((realm_id, sync_object, qbo_id), None)

    def list(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> list[PendingDecision]:
        return [d for k, d in self.items.items() if k[:2] == (realm_id, sync_object)]


@dataclass
class FakeFailures:
    items: dict[tuple[str, SyncObject, str], SyncFailure] = field(default_factory=dict)

    def record(self, failure: SyncFailure) -> None:
        key = (failure.realm_id, failure.object, failure.qbo_id)
        previous = self.items.get(key)
        self.items[key] = failure.model_copy(update={"attempts": (previous.attempts + 1) if previous else 1})

    def clear(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_ids: Iterable[str]) -> None:
        for qbo_id in qbo_ids:
            self.items.pop((realm_id, sync_object, qbo_id), None)

    def list(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> list[SyncFailure]:
        return [f for k, f in self.items.items() if k[:2] == (realm_id, sync_object)]

    def failing(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_ids: Iterable[str]) -> set[str]:
        return {q for q in qbo_ids if (realm_id, sync_object, q) in self.items}


@dataclass
class FakeStatsRecorder:
    successes: dict[str, int] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)

    def record_success(self, portal_id: int, realm_id: str, sync_object: SyncObject, mapping_ids: Iterable[str],
                       count: int, at: datetime) -> None:
        for mapping_id in mapping_ids:
            self.successes[mapping_id] = self.successes.get(mapping_id, 0) + count

    def record_failure(self, portal_id: int, realm_id: str, sync_object: SyncObject, mapping_id: str,
                       reason: str, at: datetime) -> None:
        self.failures[mapping_id] = reason
