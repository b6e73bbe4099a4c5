"""HubSpot -> QuickBooks, for objects whose sync an admin set to both ways.

A batch of HubSpot webhook events (one portal) becomes, per connected company and object: one batch read of the
changed HubSpot records (100 a call), one `IN` query for their linked QuickBooks records, then a sparse update per
record that really differs (SyncToken; re-read and retried once when QuickBooks says it is stale), a QuickBooks
customer or item for a new HubSpot record where the behaviour allows (name clashes handled as invoice customer creation
handles DisplayName; a new product is first matched to an existing item by SKU, then by name, as the other direction
matches), and deactivation for a deleted one if the admin chose it.

Echoes are suppressed twice: events our own app caused (changeSource INTEGRATION with our app id) are dropped, and a
value is written only when it differs from QuickBooks' (compared as it would travel forward). After a write the
link keeps the digest of what QuickBooks now maps to, so the QuickBooks webhook our write causes finds nothing to
send back to HubSpot.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hubbooks.domain.invoicing.customer_matching import clean_display_name, create_under_free_name
from hubbooks.domain.sync.defaults import QBO_REFERENCE_PROPERTY
from hubbooks.domain.sync.errors import DecidedRecordGoneError, PickedRecordTakenError, TwoWayOffError
from hubbooks.domain.sync.planning import (
    Plan,
    digest_of,
    properties_for,
    qbo_updated_at,
    quickbooks_wins,
    reference_of,
    usable_mappings,
)
from hubbooks.domain.sync.ports import (
    CrmWrite,
    DecisionStore,
    FailureStore,
    HubSpotRecord,
    QboRecordRefusedError,
    QboRecords,
    QboStaleRecordError,
    SyncConfigStore,
    SyncCrm,
    SyncLinkStore,
)
from hubbooks.domain.sync.to_quickbooks import Usable, changes_for, set_path, to_qbo_value
from hubbooks.domain.sync.transforms import ValueRejectedError
from hubbooks.models.changes import CompanyScope
from hubbooks.models.sync import (
    Candidate,
    OnCreateUpdate,
    OnHubSpotDelete,
    PendingDecision,
    RecordLink,
    SyncConfig,
    SyncFailure,
    SyncObject,
)
from hubbooks.models.webhooks import HubSpotEvent

# Items HubBooks creates: sales items that need only an income account. Inventory needs quantity on hand, an asset
# account and a start date, which a HubSpot product does not carry; Category and Group items sell nothing themselves.
CREATABLE_ITEM_TYPES = frozenset({"NonInventory", "Service"})
DEFAULT_ITEM_TYPE = "NonInventory"
_NOT_CREATED = {"Inventory": "QuickBooks needs quantity on hand, an inventory asset account and a start date; create "
                             "it in QuickBooks and the sync links it by SKU or name",
                "Category": "categories group items and are not sold", "Group": "QuickBooks' API cannot create groups"}
READ_BATCH = 100  # HubSpot's batch read limit
FAILURE_PREFIX = "hs-"  # failures of this direction are kept under the HubSpot id (retry reads HubSpot again)
_OBJECT_BY_TYPE_ID = {"0-1": SyncObject.CONTACTS, "0-2": SyncObject.COMPANIES, "0-7": SyncObject.PRODUCTS}
_OBJECT_BY_PREFIX = {"contact": SyncObject.CONTACTS, "company": SyncObject.COMPANIES,
                     "product": SyncObject.PRODUCTS}
_CHANGE_KINDS = ("creation", "propertyChange", "restore", "merge")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class ObjectChanges:
    """HubSpot records of one object that changed (latest change time each) or were deleted."""

    changed: dict[str, datetime] = field(default_factory=dict)
    deleted: dict[str, datetime] = field(default_factory=dict)


@dataclass
class CollectedEvents:
    by_object: dict[SyncObject, ObjectChanges] = field(default_factory=dict)
    echoes: int = 0
    unrelated: int = 0


def sync_object_of(event: HubSpotEvent) -> SyncObject | None:
    prefix = event.subscription_type.partition(".")[0]
    if prefix == "object":
        return _OBJECT_BY_TYPE_ID.get(event.object_type_id or "")
    return _OBJECT_BY_PREFIX.get(prefix)


def from_our_app(event: HubSpotEvent, app_id: str) -> bool:
    return bool(app_id) and event.change_source == "INTEGRATION" and event.source_id == app_id


def collect(events: Sequence[HubSpotEvent], app_id: str) -> CollectedEvents:
    collected = CollectedEvents()
    for event in events:
        sync_object = sync_object_of(event)
        kind = event.subscription_type.partition(".")[2]
        if sync_object is None or event.object_id is None or (kind not in _CHANGE_KINDS and kind != "deletion"):
            collected.unrelated += 1
            continue
        if from_our_app(event, app_id):
            collected.echoes += 1
            continue
        changes = collected.by_object.setdefault(sync_object, ObjectChanges())
        target = changes.deleted if kind == "deletion" else changes.changed
        hubspot_id, at = str(event.object_id), event.occurred_at or _EPOCH
        target[hubspot_id] = max(at, target.get(hubspot_id, at))
    for changes in collected.by_object.values():  # deleted after the change: the deletion is what counts
        for hubspot_id in list(changes.changed):
            if hubspot_id in changes.deleted and changes.deleted[hubspot_id] >= changes.changed[hubspot_id]:
                del changes.changed[hubspot_id]
    return collected


def request_id(*parts: object) -> str:
    """QuickBooks' requestid (at most 50 characters): the same operation always sends the same id."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:40]


def _label(sync_object: SyncObject, record: HubSpotRecord) -> str:
    values = record.properties
    person = " ".join(str(v) for v in (values.get("firstname"), values.get("lastname")) if v)
    name = values.get("name") or person or values.get("email")
    return f"HubSpot {sync_object.value[:-1]} {name or record.hubspot_id}"


@dataclass
class TwoWayPorts:
    configs: SyncConfigStore
    links: SyncLinkStore
    failures: FailureStore
    decisions: DecisionStore  # ambiguous matches of new HubSpot products, for the admin
    crm: Callable[[int], SyncCrm]  # per portal
    qbo: Callable[[CompanyScope], QboRecords]  # per company
    realms: Callable[[int], list[str]]  # the portal's connected companies
    currency: Callable[[CompanyScope], str]
    clock: Callable[[], datetime]
    app_id: str  # our HubSpot app's id: events it caused are our own writes


@dataclass
class _Run:
    scope: CompanyScope
    config: SyncConfig
    usable: Usable
    qbo: QboRecords
    currency: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def sync_object(self) -> SyncObject:
        return self.config.object


class TwoWaySync:
    def __init__(self, ports: TwoWayPorts) -> None:
        self._ports = ports

    def apply_events(self, portal_id: int, events: Sequence[HubSpotEvent]) -> str:
        """One queued batch of one portal's events. Raises on provider outages, so the message is retried."""
        collected = collect(events, self._ports.app_id)
        outcomes = []
        if collected.echoes:
            outcomes.append(f"{collected.echoes} of our own writes ignored")
        if collected.by_object:
            for realm_id in self._ports.realms(portal_id):
                scope = CompanyScope(portal_id=portal_id, realm_id=realm_id)
                for sync_object, changes in collected.by_object.items():
                    counts = self.apply(scope, sync_object, changes)
                    if counts:
                        outcomes.append(f"{realm_id} {sync_object.value}: " + ", ".join(
                            f"{n} {what}" for what, n in sorted(counts.items())))
        return "; ".join(outcomes) or "no two-way change"

    def _run(self, scope: CompanyScope, sync_object: SyncObject) -> tuple[_Run, SyncCrm] | None:
        config = self._ports.configs.get(scope.portal_id, scope.realm_id, sync_object)
        if config is None or not config.behaviour.two_way:
            return None
        crm = self._ports.crm(scope.portal_id)
        plan = Plan(sync_object)
        usable = [u for u in usable_mappings(sync_object, config, crm.fields(sync_object.hubspot_type), [], plan)
                  if not u[1].calculated]
        return _Run(scope, config, usable, self._ports.qbo(scope), self._ports.currency(scope)), crm

    def apply(self, scope: CompanyScope, sync_object: SyncObject, changes: ObjectChanges) -> dict[str, int]:
        started = self._run(scope, sync_object)
        if started is None:
            return {}
        run, crm = started
        config = run.config
        links = self._ports.links.by_hubspot_ids(scope.portal_id, scope.realm_id, sync_object,
                                                 [*changes.changed, *changes.deleted])
        self._deletions(run, changes.deleted, links)
        if changes.changed and config.behaviour.on_hubspot_create_update is not OnCreateUpdate.NOTHING:
            self._changes(run, crm, changes.changed, links)
        elif changes.changed:
            run.counts["ignored (HubSpot changes set to do nothing)"] += len(changes.changed)
        return dict(run.counts)

    def resolve(self, scope: CompanyScope, sync_object: SyncObject, hubspot_id: str,
                qbo_id: str | None) -> dict[str, int]:
        """The admin's answer for a new HubSpot record that matched several QuickBooks records: link it to `qbo_id`
        (one of the candidates; HubSpot-owned values then go to it), or with None create a new QuickBooks record
        without matching. The decision is resolved only once the record is linked, so a failure leaves it waiting
        (with its reason among the failures)."""
        started = self._run(scope, sync_object)
        if started is None:
            raise TwoWayOffError(f"Two-way {sync_object.value} sync is off for this company; turn it on first.")
        run, crm = started
        now = self._ports.clock()
        wanted = sorted({m.hubspot_property for m, _f, _p in run.usable} | {QBO_REFERENCE_PROPERTY, "name"})
        record = crm.read(sync_object.hubspot_type, [hubspot_id], wanted).get(hubspot_id)
        if record is None:
            raise DecidedRecordGoneError(f"HubSpot {sync_object.value[:-1]} {hubspot_id} no longer exists.")
        if qbo_id is None:
            self._create(run, crm, record, now, match=False)
        else:
            qbo_record = run.qbo.read_many(sync_object.qbo_entity, [qbo_id]).get(qbo_id)
            if qbo_record is None:
                raise DecidedRecordGoneError(f"QuickBooks {sync_object.qbo_entity.lower()} {qbo_id} no longer "
                                             "exists; reload the list.")
            holder = self._ports.links.get_many(scope.portal_id, scope.realm_id, sync_object, [qbo_id]).get(qbo_id)
            if holder is not None and holder.hubspot_id != hubspot_id:
                raise PickedRecordTakenError(f"QuickBooks {sync_object.qbo_entity.lower()} {qbo_id} syncs with "
                                             f"HubSpot {sync_object.value[:-1]} {holder.hubspot_id} since; pick "
                                             "another, or create a new one.")
            link = self._link_new(run, crm, record, now, qbo_record, "admin")
            run.counts["linked as decided"] += 1
            self._update(run, record, link, dict(qbo_record), now, count=False)
        return dict(run.counts)

    # -- changed records --------------------------------------------------------------------------------------
    def _changes(self, run: _Run, crm: SyncCrm, changed: Mapping[str, datetime],
                 links: Mapping[str, RecordLink]) -> None:
        wanted = sorted({m.hubspot_property for m, _f, _p in run.usable} | {QBO_REFERENCE_PROPERTY, "firstname",
                                                                              "lastname", "email", "name"})
        ids = list(changed)
        records: dict[str, HubSpotRecord] = {}
        for start in range(0, len(ids), READ_BATCH):
            records |= crm.read(run.sync_object.hubspot_type, ids[start:start + READ_BATCH], wanted)
        linked = [links[h].qbo_id for h in ids if h in links and h in records]
        current = run.qbo.read_many(run.sync_object.qbo_entity, linked) if linked else {}
        for hubspot_id, changed_at in changed.items():
            record = records.get(hubspot_id)
            link = links.get(hubspot_id)
            if record is None:
                run.counts["gone from HubSpot since"] += 1
            elif link is not None:
                self._update(run, record, link, current.get(link.qbo_id), changed_at)
            elif run.config.behaviour.on_hubspot_create_update is OnCreateUpdate.CREATE_AND_UPDATE:
                self._create(run, crm, record, changed_at)
            else:
                run.counts["skipped (not linked)"] += 1

    @staticmethod
    def _hubspot_side(run: _Run, qbo_record: Mapping[str, Any], changed_at: datetime) -> Usable:
        """The mappings whose HubSpot value goes to QuickBooks: owned by HubSpot, or the latest change is HubSpot's
        (QuickBooks' LastUpdatedTime is older than HubSpot's change)."""
        qbo_time = qbo_updated_at(qbo_record)
        newer = qbo_time is None or qbo_time < changed_at
        return [u for u in run.usable if not quickbooks_wins(u[0], run.config.behaviour, newer)]

    def _update(self, run: _Run, record: HubSpotRecord, link: RecordLink, qbo_record: dict[str, Any] | None,
                changed_at: datetime, *, count: bool = True) -> None:
        entity = run.sync_object.qbo_entity
        for attempt in range(2):
            if qbo_record is None:
                self._failed(run, record, "the linked QuickBooks record no longer exists")
                return
            try:
                changes = changes_for(record.properties, qbo_record,
                                      self._hubspot_side(run, qbo_record, changed_at), run.currency)
            except ValueRejectedError as rejected:
                self._failed(run, record, str(rejected))
                return
            if not changes:
                if count:
                    run.counts["unchanged"] += 1
                self._recovered(run, record)
                return
            try:
                updated = run.qbo.update(entity, link.qbo_id, str(qbo_record.get("SyncToken", "0")), changes,
                                         request_id("hs-update", run.scope.portal_id, run.scope.realm_id, entity,
                                                    link.qbo_id, qbo_record.get("SyncToken"),
                                                    digest_of({k: str(v) for k, v in changes.items()})))
            except QboStaleRecordError:
                if attempt:
                    self._failed(run, record, "QuickBooks kept changing this record while we updated it; it is "
                                              "tried again with the next change or retry")
                    return
                qbo_record = run.qbo.read_many(entity, [link.qbo_id]).get(link.qbo_id)
                continue
            except QboRecordRefusedError as refused:
                self._failed(run, record, f"QuickBooks refused it: {refused}")
                return
            self._linked(run, link.model_copy(update={"hubspot_changed_at": changed_at}), updated)
            run.counts["updated in QuickBooks"] += 1
            self._recovered(run, record)
            return

    def _create(self, run: _Run, crm: SyncCrm, record: HubSpotRecord, changed_at: datetime, *,
                match: bool = True) -> None:
        if record.properties.get(QBO_REFERENCE_PROPERTY):
            # It came from QuickBooks (this company or another); its link was dropped on purpose, so no new record.
            run.counts["skipped (already from QuickBooks)"] += 1
            return
        try:
            body = _mapped_body(run, record)
        except ValueRejectedError as rejected:
            self._failed(run, record, str(rejected))
            return
        if run.sync_object is SyncObject.PRODUCTS:
            self._create_item(run, crm, record, changed_at, body, match=match)
            return
        wanted = clean_display_name(str(body.get("DisplayName") or _name_for(run.sync_object, body, record)))
        if not wanted:
            self._failed(run, record, "it has no name or e-mail address to name the QuickBooks customer by")
            return
        self._create_named(run, crm, record, changed_at, "Customer", "DisplayName", body, wanted,
                           run.qbo.display_names_starting(wanted))

    def _create_named(self, run: _Run, crm: SyncCrm, record: HubSpotRecord, changed_at: datetime, entity: str,
                      name_field: str, body: dict[str, Any], wanted: str, taken: list[str]) -> None:
        """Create under the wanted name or its first free "Name (2)" variant, then link. Each attempt has its own
        requestid derived from the HubSpot record, so a retry after a crash before the link gets QuickBooks' stored
        answer instead of a second record."""
        scope = run.scope

        def create(name: str, attempt: int) -> dict[str, Any]:
            return run.qbo.create(entity, {**body, name_field: name}, request_id(
                "hs-create", scope.portal_id, scope.realm_id, run.sync_object.value, record.hubspot_id, attempt))

        try:
            created = create_under_free_name(wanted, taken, create)
        except QboRecordRefusedError as refused:
            self._failed(run, record, f"QuickBooks refused it: {refused}")
            return
        if created is None:
            self._failed(run, record, f"QuickBooks already uses '{wanted}' and its numbered variants as names")
            return
        self._link_new(run, crm, record, changed_at, created, "created")
        run.counts["created in QuickBooks"] += 1
        self._recovered(run, record)

    def _link_new(self, run: _Run, crm: SyncCrm, record: HubSpotRecord, changed_at: datetime,
                  qbo_record: Mapping[str, Any], matched_by: str) -> RecordLink:
        scope, qbo_id = run.scope, str(qbo_record["Id"])
        link = RecordLink(portal_id=scope.portal_id, realm_id=scope.realm_id, object=run.sync_object, qbo_id=qbo_id,
                          hubspot_id=record.hubspot_id, matched_by=matched_by, linked_at=self._ports.clock(),
                          hubspot_changed_at=changed_at)
        self._linked(run, link, qbo_record)
        if run.sync_object is SyncObject.PRODUCTS:  # linked now, whichever way: no decision is waiting any more
            self._ports.decisions.resolve(scope.portal_id, scope.realm_id, run.sync_object,
                                          FAILURE_PREFIX + record.hubspot_id)
        # Our reference on the HubSpot record, as on records that came from QuickBooks (HubSpot tags the write as
        # our app's, so its webhook is dropped as an echo).
        crm.update(run.sync_object.hubspot_type, [CrmWrite(
            trace_id=qbo_id, hubspot_id=record.hubspot_id,
            properties={QBO_REFERENCE_PROPERTY: reference_of(scope.realm_id, qbo_id)})])
        return link

    def _create_item(self, run: _Run, crm: SyncCrm, record: HubSpotRecord, changed_at: datetime,
                     body: dict[str, Any], *, match: bool = True) -> None:
        """A QuickBooks item for a new HubSpot product: linked to the item already holding its SKU (else its name)
        when there is exactly one, left for the admin's decision when there are several, created otherwise."""
        behaviour = run.config.behaviour
        name = clean_display_name(str(body.get("Name") or record.properties.get("name") or ""))
        if not name:
            self._failed(run, record, "it has no name to name the QuickBooks item by")
            return
        for key, value in (("sku", str(body.get("Sku") or "")), ("name", name)) if match else ():
            if not value.strip():
                continue
            found = run.qbo.items_matching(key, value)
            taken = self._ports.links.get_many(run.scope.portal_id, run.scope.realm_id, run.sync_object,
                                               [str(item["Id"]) for item in found])
            free = [item for item in found if str(item["Id"]) not in taken]
            if len(free) > 1:
                self._decision(run, record, key, value, free)
                return
            if free:
                link = self._link_new(run, crm, record, changed_at, free[0], key)
                run.counts[f"linked to an existing QuickBooks item (same {key})"] += 1
                self._update(run, record, link, dict(free[0]), changed_at, count=False)
                return
            if found and key == "sku":
                # Another HubSpot product already syncs with the item holding this SKU: a second item with the same
                # SKU would make every later match ambiguous, so it is not created.
                holder = found[0]
                self._failed(run, record, f"QuickBooks item '{holder.get('Name')}' already has SKU {value} and syncs "
                                          f"with HubSpot product {taken[str(holder['Id'])].hubspot_id}; give this "
                                          "product its own SKU (or merge the two products)")
                return
        item_type = str(body.get("Type") or DEFAULT_ITEM_TYPE)
        if item_type not in CREATABLE_ITEM_TYPES:
            run.counts[f"skipped ({item_type} items are not created from HubSpot: "
                       + _NOT_CREATED.get(item_type, "QuickBooks does not take them through its API") + ")"] += 1
            return
        if behaviour.item_income_account is None:
            self._failed(run, record, "no income account is chosen for new QuickBooks items; choose one in the "
                                      "Products sync settings")
            return
        body |= {"Type": item_type, "IncomeAccountRef": {"value": behaviour.item_income_account.id}}
        if body.get("PurchaseCost") is not None:
            if behaviour.item_expense_account is None:
                self._failed(run, record, "it has a purchase cost, and QuickBooks needs an expense account for "
                                          "that; choose one in the Products sync settings")
                return
            body["ExpenseAccountRef"] = {"value": behaviour.item_expense_account.id}
        self._create_named(run, crm, record, changed_at, "Item", "Name", body, name,
                           run.qbo.item_names_starting(name))

    def _decision(self, run: _Run, record: HubSpotRecord, key: str, value: str,
                  items: Sequence[Mapping[str, Any]]) -> None:
        """Several QuickBooks items fit: kept under the HubSpot id (as this direction's failures are), the candidates
        being the items, for the admin to pick one (or have a new item created)."""
        run.counts["waiting for a decision"] += 1
        self._ports.decisions.save(PendingDecision(
            portal_id=run.scope.portal_id, realm_id=run.scope.realm_id, object=run.sync_object,
            qbo_id=FAILURE_PREFIX + record.hubspot_id, qbo_label=_label(run.sync_object, record),
            matched_on=f"{key} {value}", found_at=self._ports.clock(),
            candidates=tuple(Candidate(hubspot_id=str(item["Id"]), label=f"QuickBooks item {item.get('Name')}"
                                       + (f" (SKU {item['Sku']})" if item.get("Sku") else ""))
                             for item in items)))

    # -- deleted records --------------------------------------------------------------------------------------
    def _deletions(self, run: _Run, deleted: Mapping[str, datetime], links: Mapping[str, RecordLink]) -> None:
        linked = [links[h] for h in deleted if h in links]
        if not deleted:
            return
        if run.config.behaviour.on_hubspot_delete is OnHubSpotDelete.NOTHING or not linked:
            run.counts["deletions left alone"] += len(deleted)
            return
        entity = run.sync_object.qbo_entity
        current = run.qbo.read_many(entity, [link.qbo_id for link in linked])
        for link in linked:
            record = current.get(link.qbo_id)
            for attempt in range(2):
                if record is None or record.get("Active") is False:
                    break
                try:
                    run.qbo.update(entity, link.qbo_id, str(record.get("SyncToken", "0")), {"Active": False},
                                   request_id("hs-deactivate", run.scope.portal_id, run.scope.realm_id, entity,
                                              link.qbo_id, record.get("SyncToken")))
                    break
                except QboStaleRecordError:
                    if attempt:
                        raise  # retried with the message
                    record = run.qbo.read_many(entity, [link.qbo_id]).get(link.qbo_id)
            # Unlinked: QuickBooks' webhook for the deactivation finds no HubSpot record to touch.
            self._ports.links.delete(link)
            run.counts["made inactive in QuickBooks"] += 1

    # -- bookkeeping ------------------------------------------------------------------------------------------
    def _linked(self, run: _Run, link: RecordLink, qbo_record: Mapping[str, Any]) -> None:
        """Keep what QuickBooks now maps to as the link's digest: its webhook then has nothing to send back."""
        try:
            digest: str | None = digest_of(properties_for(qbo_record, link, run.config, run.usable, run.currency))
        except ValueRejectedError:
            digest = None
        self._ports.links.save(link.model_copy(update={"digest": digest}))

    def _failed(self, run: _Run, record: HubSpotRecord, reason: str) -> None:
        run.counts["failed"] += 1
        self._ports.failures.record(SyncFailure(
            portal_id=run.scope.portal_id, realm_id=run.scope.realm_id, object=run.sync_object,
            qbo_id=FAILURE_PREFIX + record.hubspot_id, label=_label(run.sync_object, record),
            reason=f"HubSpot -> QuickBooks: {reason}", failed_at=self._ports.clock()))

    def _recovered(self, run: _Run, record: HubSpotRecord) -> None:
        failure_id = FAILURE_PREFIX + record.hubspot_id
        if any(f.qbo_id == failure_id for f in self._ports.failures.list(run.scope.portal_id, run.scope.realm_id,
                                                                          run.sync_object)):
            self._ports.failures.clear(run.scope.portal_id, run.scope.realm_id, run.sync_object, [failure_id])


def _mapped_body(run: _Run, record: HubSpotRecord) -> dict[str, Any]:
    """The new QuickBooks record's fields from the HubSpot record's mapped values (empty ones left out)."""
    body: dict[str, Any] = {}
    for mapping, qbo_field, prop in run.usable:
        text = record.properties.get(mapping.hubspot_property)
        if text is not None and str(text).strip():
            set_path(body, {}, qbo_field.path, to_qbo_value(str(text), qbo_field, prop, mapping.transform))
    return body


def _name_for(sync_object: SyncObject, body: Mapping[str, Any], record: HubSpotRecord) -> str:
    if sync_object is SyncObject.COMPANIES:
        return str(body.get("CompanyName") or record.properties.get("name") or "")
    person = " ".join(str(body[k]) for k in ("GivenName", "FamilyName") if body.get(k))
    return person or str(body.get("CompanyName") or (body.get("PrimaryEmailAddr") or {}).get("Address") or "")
