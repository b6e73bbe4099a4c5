"""What a batch of QuickBooks records means for HubSpot, decided before anything is written (and all a dry run does).

Pure: given the object's settings, the records as QuickBooks has them now, their stored links, the HubSpot records
their keys matched and the portal's properties, it lists the creates, updates, archives, decisions, skips and
failures. A record whose mapped values are what was last written is left alone, so applying the same state twice
writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from hubbooks.domain.sync.defaults import QBO_REFERENCE_PROPERTY
from hubbooks.domain.sync.mapping_rules import mapping_problems
from hubbooks.domain.sync.matching import MatchKind, decide
from hubbooks.domain.sync.qbo_fields import QboField, find_field, read_value
from hubbooks.domain.sync.transforms import ValueRejectedError, convert
from hubbooks.models.sync import (
    Candidate,
    FieldMapping,
    FieldOwner,
    HubSpotField,
    OnCreateUpdate,
    OnDelete,
    PendingDecision,
    RecordLink,
    SyncBehaviour,
    SyncConfig,
    SyncObject,
)


@dataclass(frozen=True)
class QboRecord:
    qbo_id: str
    current: Mapping[str, Any] | None  # None: deleted in QuickBooks


@dataclass(frozen=True)
class PlannedWrite:
    qbo_id: str
    label: str
    properties: dict[str, str]
    digest: str
    hubspot_id: str | None  # None: create
    matched_by: str  # created, link, email, domain, name, sku


@dataclass
class Plan:
    sync_object: SyncObject
    creates: list[PlannedWrite] = field(default_factory=list)
    updates: list[PlannedWrite] = field(default_factory=list)
    archives: list[tuple[str, str]] = field(default_factory=list)  # (QuickBooks id, HubSpot id)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)  # (QuickBooks id, label, reason)
    decisions: list[PendingDecision] = field(default_factory=list)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (QuickBooks id, label, reason)
    broken_mappings: dict[str, str] = field(default_factory=dict)  # mapping id -> why it was left out
    mappings_used: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"created": len(self.creates), "updated": len(self.updates), "archived": len(self.archives),
                "unchanged": len(self.unchanged), "skipped": len(self.skipped),
                "needs_decision": len(self.decisions), "failed": len(self.failures)}


def reference_of(realm_id: str, qbo_id: str) -> str:
    """The unique value HubBooks stores on records it creates: company and record, so two companies never clash."""
    return f"{realm_id}:{qbo_id}"


def label_of(sync_object: SyncObject, record: Mapping[str, Any] | None, qbo_id: str) -> str:
    if record:
        name = record.get("Name") if sync_object is SyncObject.PRODUCTS else record.get("DisplayName")
        if name:
            return str(name)
    return f"QuickBooks #{qbo_id}"


def digest_of(properties: Mapping[str, str]) -> str:
    return hashlib.sha256(json.dumps(properties, sort_keys=True).encode()).hexdigest()[:32]


def usable_mappings(sync_object: SyncObject, config: SyncConfig, properties: Mapping[str, HubSpotField],
                    custom: Sequence[QboField], plan: Plan) -> list[tuple[FieldMapping, QboField, HubSpotField]]:
    """The enabled mappings that can work now; the others (say a property deleted in HubSpot since) are left out
    and named in the plan, so every other mapping still syncs."""
    usable = []
    for mapping in config.mappings:
        if not mapping.enabled:
            continue
        problems = mapping_problems(sync_object, mapping, properties, custom)
        field_def = find_field(sync_object, mapping.qbo_field, custom)
        prop = properties.get(mapping.hubspot_property)
        if problems or field_def is None or prop is None:
            plan.broken_mappings[mapping.id] = "; ".join(p.message for p in problems) or "cannot be used"
            continue
        usable.append((mapping, field_def, prop))
    plan.mappings_used = [m.id for m, _f, _p in usable]
    return usable


def _mapped_properties(record: Mapping[str, Any],
                       usable: Sequence[tuple[FieldMapping, QboField, HubSpotField]],
                       currency: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for mapping, field_def, prop in usable:
        value = convert(read_value(record, mapping.qbo_field), field_def, prop, mapping.transform, currency=currency)
        if value is not None:  # an empty QuickBooks field never blanks what HubSpot has
            out[mapping.hubspot_property] = value
    return out


def qbo_updated_at(record: Mapping[str, Any]) -> datetime | None:
    raw = read_value(record, "MetaData.LastUpdatedTime")
    try:
        parsed = datetime.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed and parsed.tzinfo is None else parsed


def hubspot_is_newer(record: Mapping[str, Any], link: RecordLink | None) -> bool:
    """Whether the HubSpot change last sent to QuickBooks is later than QuickBooks' own last change."""
    if link is None or link.hubspot_changed_at is None:
        return False
    qbo_time = qbo_updated_at(record)
    return qbo_time is not None and qbo_time < link.hubspot_changed_at


def quickbooks_wins(mapping: FieldMapping, behaviour: SyncBehaviour, hubspot_newer: bool) -> bool:
    """One way, QuickBooks always feeds HubSpot; two ways, the mapping's owner decides."""
    if not behaviour.two_way or mapping.owner is FieldOwner.QUICKBOOKS:
        return True
    return mapping.owner is FieldOwner.LATEST and not hubspot_newer


def properties_for(record: Mapping[str, Any], link: RecordLink | None, config: SyncConfig,
                   usable: Sequence[tuple[FieldMapping, QboField, HubSpotField]], currency: str) -> dict[str, str]:
    """The HubSpot values a live QuickBooks record maps to (those QuickBooks owns), and the active flag.

    Raises ValueRejectedError when a value cannot become its property's value."""
    behaviour = config.behaviour
    newer = hubspot_is_newer(record, link)
    properties = _mapped_properties(record, [u for u in usable if quickbooks_wins(u[0], behaviour, newer)],
                                    currency)
    if behaviour.on_delete is OnDelete.MARK_INACTIVE and behaviour.inactive_property:
        properties[behaviour.inactive_property] = "true"
    return properties


@dataclass(frozen=True)
class PlanInputs:
    config: SyncConfig
    properties: Mapping[str, HubSpotField]
    custom_fields: Sequence[QboField]
    links: Mapping[str, RecordLink]
    found: Mapping[tuple[str, str], Sequence[Candidate]]
    taken: Collection[str]
    currency: str
    now: datetime


def plan_batch(sync_object: SyncObject, records: Sequence[QboRecord], inputs: PlanInputs) -> Plan:
    config, behaviour = inputs.config, inputs.config.behaviour
    plan = Plan(sync_object=sync_object)
    usable = usable_mappings(sync_object, config, inputs.properties, inputs.custom_fields, plan)
    claimed: set[str] = set()
    for record in records:
        current, link = record.current, inputs.links.get(record.qbo_id)
        label = label_of(sync_object, current, record.qbo_id)
        if current is None or current.get("Active") is False:
            _plan_gone(plan, record, link, label, config, usable, inputs.currency)
            continue
        if sync_object is SyncObject.COMPANIES and not str(current.get("CompanyName") or "").strip():
            plan.skipped.append((record.qbo_id, label, "no company name in QuickBooks, so no HubSpot company"))
            continue
        if behaviour.on_create_update is OnCreateUpdate.NOTHING:
            plan.skipped.append((record.qbo_id, label, "changes in QuickBooks are set to do nothing"))
            continue
        try:
            properties = properties_for(current, link, config, usable, inputs.currency)
        except ValueRejectedError as rejected:
            plan.failures.append((record.qbo_id, label, str(rejected)))
            continue
        digest = digest_of(properties)
        if link is not None:
            if link.digest == digest:
                plan.unchanged.append(record.qbo_id)
            else:
                plan.updates.append(PlannedWrite(record.qbo_id, label, properties, digest, link.hubspot_id, "link"))
            continue
        if behaviour.on_create_update is OnCreateUpdate.UPDATE_LINKED_ONLY:
            plan.skipped.append((record.qbo_id, label, "not linked to a HubSpot record, and only linked records "
                                                       "are updated"))
            continue
        match = decide(sync_object, current, None, inputs.found, taken={*inputs.taken, *claimed})
        reference = {QBO_REFERENCE_PROPERTY: reference_of(config.realm_id, record.qbo_id)}
        if match.kind is MatchKind.MATCHED and match.hubspot_id:
            claimed.add(match.hubspot_id)  # the matched record gets our reference too, so it can be found by it
            plan.updates.append(PlannedWrite(record.qbo_id, label, {**properties, **reference}, digest,
                                             match.hubspot_id, match.by or "link"))
        elif match.kind is MatchKind.AMBIGUOUS:
            plan.decisions.append(PendingDecision(
                portal_id=config.portal_id, realm_id=config.realm_id, object=sync_object, qbo_id=record.qbo_id,
                qbo_label=label, matched_on=match.by or "", candidates=match.candidates, found_at=inputs.now))
        else:
            plan.creates.append(PlannedWrite(record.qbo_id, label, {**properties, **reference}, digest, None,
                                             "created"))
    return plan


def _plan_gone(plan: Plan, record: QboRecord, link: RecordLink | None, label: str, config: SyncConfig,
               usable: Sequence[tuple[FieldMapping, QboField, HubSpotField]], currency: str) -> None:
    """Deleted or made inactive in QuickBooks: the behaviour decides; nothing happens to unlinked records."""
    behaviour = config.behaviour
    state = "deleted" if record.current is None else "inactive"
    if link is None:
        plan.skipped.append((record.qbo_id, label, f"{state} in QuickBooks and not in HubSpot"))
    elif behaviour.on_delete is OnDelete.ARCHIVE:
        plan.archives.append((record.qbo_id, link.hubspot_id))
    elif behaviour.on_delete is OnDelete.MARK_INACTIVE and behaviour.inactive_property:
        properties: dict[str, str] = {}
        if record.current is not None:
            try:
                properties = _mapped_properties(record.current, usable, currency)
            except ValueRejectedError:
                properties = {}  # marking inactive matters more than the other values
        properties[behaviour.inactive_property] = "false"
        digest = digest_of(properties)
        if link.digest == digest:
            plan.unchanged.append(record.qbo_id)
        else:
            plan.updates.append(PlannedWrite(record.qbo_id, label, properties, digest, link.hubspot_id, "link"))
    else:
        plan.skipped.append((record.qbo_id, label, f"{state} in QuickBooks; set to leave HubSpot as it is"))
