"""The change engine's appliers for QuickBooks customers (-> HubSpot contacts and companies) and items (-> products).

For each object whose sync is on, a batch is planned (domain/sync/planning.py) and written with batch calls of at
most 100 records: creates as upserts keyed by the QuickBooks reference (so a retried create never duplicates),
updates by HubSpot id, archives in bulk. Links, digests and the cleared failures are saved only after HubSpot
accepted the write; a record HubSpot refused is kept with the reason and tried again on the next change,
reconciliation or retry, while the rest of the batch goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime

from hubbooks.domain.sync.defaults import QBO_REFERENCE_PROPERTY
from hubbooks.domain.sync.matching import MATCH_KEYS, key_values, normalised
from hubbooks.domain.sync.planning import Plan, PlanInputs, QboRecord, plan_batch
from hubbooks.domain.sync.ports import (
    CrmWrite,
    DecisionStore,
    FailureStore,
    QboFieldCatalogue,
    StatsRecorder,
    SyncConfigStore,
    SyncCrm,
    SyncLinkStore,
)
from hubbooks.models.changes import AppliedChanges, CompanyScope, EntityChange
from hubbooks.models.sync import Candidate, OnCreateUpdate, RecordLink, SyncConfig, SyncFailure, SyncObject

WRITE_BATCH = 100  # HubSpot's batch limit


@dataclass
class SyncPorts:
    configs: SyncConfigStore
    links: SyncLinkStore
    decisions: DecisionStore
    failures: FailureStore
    stats: StatsRecorder
    crm: Callable[[int], SyncCrm]  # per portal
    qbo_fields: Callable[[CompanyScope], QboFieldCatalogue]
    currency: Callable[[CompanyScope], str]  # the company's home currency
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class Synced:
    """What one batch did: its plans (a second one for the records matched after a conflict) and the counts."""

    plans: tuple[Plan, ...]
    counts: dict[str, int]
    conflicts: int = 0  # creates HubSpot refused at first because another record held their unique key


class SyncApplier:
    """One QuickBooks entity type feeding one or more HubSpot objects."""

    def __init__(self, entity: str, objects: Sequence[SyncObject], ports: SyncPorts) -> None:
        self._entity = entity
        self._objects = tuple(objects)
        self._ports = ports

    @property
    def entity(self) -> str:
        return self._entity

    # -- the engine's interface ----------------------------------------------------------------------------------
    def apply(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> AppliedChanges:
        records = [QboRecord(c.entity_id, c.current) for c in changes]
        outcomes = []
        for sync_object in self._objects:
            config = self.enabled_config(scope, sync_object)
            if config is None:
                continue
            synced = self.sync(scope, sync_object, config, records)
            outcomes.append(f"{sync_object.value}: " + describe(synced.counts))
        return AppliedChanges(entity=self._entity, received=len(changes),
                              outcome="; ".join(outcomes) or "sync is off")

    def after_full_read(self, scope: CompanyScope, seen_ids: AbstractSet[str]) -> AppliedChanges:
        """Linked records QuickBooks no longer has are handled as deleted (the object's behaviour decides)."""
        outcomes = []
        gone_total = 0
        for sync_object in self._objects:
            config = self.enabled_config(scope, sync_object)
            if config is None:
                continue
            gone = [QboRecord(link.qbo_id, None) for link in
                    self._ports.links.all_links(scope.portal_id, scope.realm_id, sync_object)
                    if link.qbo_id not in seen_ids]
            gone_total += len(gone)
            if gone:
                plan = self.plan(scope, sync_object, config, gone)
                outcomes.append(f"{sync_object.value}: " + describe(self.write(scope, plan, config)))
        return AppliedChanges(entity=self._entity, received=gone_total, outcome="; ".join(outcomes))

    # -- planning and writing (the backfill's dry run stops after planning) --------------------------------------
    def enabled_config(self, scope: CompanyScope, sync_object: SyncObject) -> SyncConfig | None:
        config = self._ports.configs.get(scope.portal_id, scope.realm_id, sync_object)
        return config if config is not None and config.behaviour.enabled else None

    def hubspot_is_empty(self, scope: CompanyScope, sync_object: SyncObject) -> bool:
        """Whether the portal holds no record of the object's type at all (one search, limit 1)."""
        return not self._ports.crm(scope.portal_id).any_record(sync_object.hubspot_type)

    def plan(self, scope: CompanyScope, sync_object: SyncObject, config: SyncConfig,
             records: Sequence[QboRecord], *, match: bool = True) -> Plan:
        """`match=False` skips the matching searches: only for a backfill into a portal that held no record of the
        type when it started (everything there since is ours, and linked)."""
        crm = self._ports.crm(scope.portal_id)
        links = self._ports.links.get_many(scope.portal_id, scope.realm_id, sync_object,
                                           [r.qbo_id for r in records])
        found: dict[tuple[str, str], list[Candidate]] = {}
        if match and config.behaviour.on_create_update is OnCreateUpdate.CREATE_AND_UPDATE:
            found = self._candidates(crm, sync_object, [r for r in records
                                                        if r.current is not None and r.qbo_id not in links])
        taken = self._ports.links.linked_hubspot_ids(
            scope.portal_id, scope.realm_id, sync_object, {c.hubspot_id for cs in found.values() for c in cs})
        custom = self._ports.qbo_fields(scope).custom_fields(sync_object) if any(
            m.qbo_field.startswith("CustomField:") for m in config.mappings) else []
        return plan_batch(sync_object, records, PlanInputs(
            config=config, properties=crm.fields(sync_object.hubspot_type), custom_fields=custom, links=links,
            found=found, taken=taken, currency=self._ports.currency(scope), now=self._ports.clock()))

    @staticmethod
    def _candidates(crm: SyncCrm, sync_object: SyncObject,
                    unlinked: Sequence[QboRecord]) -> dict[tuple[str, str], list[Candidate]]:
        """HubSpot records sharing a key with an unlinked record: one search per key and batch, and the next key
        only for the records the previous one left without a candidate."""
        found: dict[tuple[str, str], list[Candidate]] = {}
        remaining = list(unlinked)
        for key, prop in MATCH_KEYS[sync_object]:
            values = {value: record for record in remaining for k, value in
                      key_values(sync_object, record.current or {}) if k == key}
            if not values:
                continue
            for their_value, candidate in crm.find(sync_object.hubspot_type, prop, sorted(values)):
                found.setdefault((key, normalised(key, their_value)), []).append(candidate)
            remaining = [r for r in remaining if not any(
                (k, v) in found for k, v in key_values(sync_object, r.current or {}) if k == key)]
        return found

    def sync(self, scope: CompanyScope, sync_object: SyncObject, config: SyncConfig, records: Sequence[QboRecord],
             *, match: bool = True) -> Synced:
        """Plan and write. A create HubSpot refuses because another record already holds its unique key (a contact
        created meanwhile with the same e-mail, or one `match=False` did not look for) is matched and written once
        more, and so are the batch's creates not yet sent; a second refusal is kept as a failure with HubSpot's
        reason."""
        plan = self.plan(scope, sync_object, config, records, match=match)
        counts, conflicted = self._write(scope, plan, config, defer_conflicts=True)
        if not conflicted:
            return Synced(plans=(plan,), counts=counts)
        plan.creates = [w for w in plan.creates if w.qbo_id not in conflicted]
        again = self.plan(scope, sync_object, config, [r for r in records if r.qbo_id in conflicted])
        more, _ = self._write(scope, again, config, defer_conflicts=False)
        merged = {kind: counts.get(kind, 0) + more.get(kind, 0) for kind in dict.fromkeys([*counts, *more])}
        return Synced(plans=(plan, again), counts=merged, conflicts=len(conflicted))

    def write(self, scope: CompanyScope, plan: Plan, config: SyncConfig) -> dict[str, int]:
        """Write the plan; what happened, counted as Plan.counts() does (refused records count as failed)."""
        return self._write(scope, plan, config, defer_conflicts=False)[0]

    def _write(self, scope: CompanyScope, plan: Plan, config: SyncConfig, *,
               defer_conflicts: bool) -> tuple[dict[str, int], set[str]]:
        """`defer_conflicts`: creates refused for a conflict, and those not sent after one, are returned (neither
        counted nor kept as failures) for the caller to match."""
        ports, now = self._ports, self._ports.clock()
        crm = ports.crm(scope.portal_id)
        object_type = plan.sync_object.hubspot_type
        refused: dict[str, str] = {}
        conflicted: set[str] = set()
        synced: list[str] = []
        links: list[RecordLink] = []

        creates = {w.qbo_id: w for w in plan.creates}
        for start in range(0, len(plan.creates), WRITE_BATCH):
            chunk = plan.creates[start:start + WRITE_BATCH]
            if conflicted:  # the portal holds such records: the rest are matched before they are created
                conflicted |= {w.qbo_id for w in chunk}
                continue
            outcome = crm.upsert(object_type, [CrmWrite(trace_id=w.qbo_id, properties=w.properties,
                                                        reference=w.properties[QBO_REFERENCE_PROPERTY])
                                               for w in chunk], QBO_REFERENCE_PROPERTY)
            refused |= outcome.refused
            if defer_conflicts:
                conflicted |= set(outcome.conflicts)
            else:
                refused |= outcome.conflicts
            for qbo_id, hubspot_id in outcome.written.items():
                links.append(self._link(scope, plan.sync_object, qbo_id, hubspot_id, "created",
                                        creates[qbo_id].digest, now))
                synced.append(qbo_id)

        updates = {w.qbo_id: w for w in plan.updates}
        for start in range(0, len(plan.updates), WRITE_BATCH):
            chunk = plan.updates[start:start + WRITE_BATCH]
            outcome = crm.update(object_type, [CrmWrite(trace_id=w.qbo_id, properties=w.properties,
                                                        hubspot_id=w.hubspot_id) for w in chunk])
            refused |= outcome.refused | outcome.conflicts
            for qbo_id, hubspot_id in outcome.written.items():
                write = updates[qbo_id]
                links.append(self._link(scope, plan.sync_object, qbo_id, hubspot_id, write.matched_by, write.digest,
                                        now))
                synced.append(qbo_id)
        ports.links.save_many(links)  # only what HubSpot accepted

        archived = dict(plan.archives)
        if archived:
            crm.archive(object_type, list(archived.values()))
            for link in ports.links.get_many(scope.portal_id, scope.realm_id, plan.sync_object,
                                             list(archived)).values():
                ports.links.delete(link)  # reactivated later, it is matched or created afresh
            synced += list(archived)

        self._record(scope, plan, config, synced, refused, now)
        counts = plan.counts()
        counts["created"] = sum(1 for q in synced if q in creates)
        counts["updated"] = sum(1 for q in synced if q in updates)
        counts["failed"] = len(plan.failures) + len(refused)
        return counts, conflicted

    @staticmethod
    def _link(scope: CompanyScope, sync_object: SyncObject, qbo_id: str, hubspot_id: str, matched_by: str,
              digest: str, now: datetime) -> RecordLink:
        return RecordLink(portal_id=scope.portal_id, realm_id=scope.realm_id, object=sync_object,
                          qbo_id=qbo_id, hubspot_id=hubspot_id, linked_at=now,
                          matched_by=matched_by,
                          digest=digest)

    def _record(self, scope: CompanyScope, plan: Plan, config: SyncConfig, synced: list[str],
                refused: dict[str, str], now: datetime) -> None:
        ports = self._ports
        labels = {w.qbo_id: w.label for w in (*plan.creates, *plan.updates)}
        done = {*synced, *plan.unchanged}
        recovered = ports.failures.failing(scope.portal_id, scope.realm_id, plan.sync_object, done) if done else set()
        if recovered:
            ports.failures.clear(scope.portal_id, scope.realm_id, plan.sync_object, sorted(recovered))
        for qbo_id, label, reason in plan.failures:
            ports.failures.record(SyncFailure(portal_id=scope.portal_id, realm_id=scope.realm_id,
                                              object=plan.sync_object, qbo_id=qbo_id, label=label, reason=reason,
                                              failed_at=now))
        for qbo_id, reason in refused.items():
            ports.failures.record(SyncFailure(portal_id=scope.portal_id, realm_id=scope.realm_id,
                                              object=plan.sync_object, qbo_id=qbo_id,
                                              label=labels.get(qbo_id, f"QuickBooks #{qbo_id}"),
                                              reason=f"HubSpot refused it: {reason}", failed_at=now))
        for decision in plan.decisions:
            ports.decisions.save(decision)
        if synced:
            ports.stats.record_success(scope.portal_id, scope.realm_id, plan.sync_object, plan.mappings_used,
                                       len(synced), now)
        for mapping_id, reason in plan.broken_mappings.items():
            ports.stats.record_failure(scope.portal_id, scope.realm_id, plan.sync_object, mapping_id, reason, now)


def describe(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in counts.items() if n) or "nothing to do"


def sync_appliers(ports: SyncPorts) -> list[SyncApplier]:
    """Customers feed contacts and companies; items feed products."""
    return [SyncApplier("Customer", (SyncObject.CONTACTS, SyncObject.COMPANIES), ports),
            SyncApplier("Item", (SyncObject.PRODUCTS,), ports)]
