"""An admin's answer to an ambiguous match other than picking a candidate: "none of these, create a new record".

The QuickBooks record is planned without matching (so the candidates are not considered) and written through the
applier's ordinary create, an upsert keyed by the record's QuickBooks reference: a retry after a lost answer finds
the record it made instead of making a second. The link the create stores is what sends every later change to the new
record; the decision is resolved only once that link exists, so a failed create leaves it waiting with the reason.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from hubbooks.domain.errors import ConflictError, NotFoundError
from hubbooks.domain.sync.planning import Plan, QboRecord
from hubbooks.domain.sync.ports import DecisionStore, FailureStore, SyncLinkStore
from hubbooks.models.changes import CompanyScope
from hubbooks.models.sync import RecordLink, SyncConfig, SyncObject

_NAMES = {SyncObject.CONTACTS: "contact", SyncObject.COMPANIES: "company", SyncObject.PRODUCTS: "product"}


class ObjectWriter(Protocol):
    """The sync applier's planning and writing (domain/sync/applier.py)."""

    def enabled_config(self, scope: CompanyScope, sync_object: SyncObject) -> SyncConfig | None: ...
    def plan(self, scope: CompanyScope, sync_object: SyncObject, config: SyncConfig,
             records: Sequence[QboRecord], *, match: bool = True) -> Plan: ...
    def write(self, scope: CompanyScope, plan: Plan, config: SyncConfig) -> dict[str, int]: ...


class NoDecisionWaitingError(NotFoundError):
    code = "decision_not_found"


class NewRecordRefusedError(ConflictError):
    code = "new_record_refused"


def create_instead(*, scope: CompanyScope, sync_object: SyncObject, qbo_id: str, writer: ObjectWriter,
                   read: Callable[[], Mapping[str, Any] | None], decisions: DecisionStore, links: SyncLinkStore,
                   failures: FailureStore) -> RecordLink:
    """Create a new HubSpot record for the QuickBooks record whose match was ambiguous; returns its link."""
    waiting = {d.qbo_id for d in decisions.list(scope.portal_id, scope.realm_id, sync_object)}
    if qbo_id not in waiting:
        raise NoDecisionWaitingError(f"No decision is waiting for QuickBooks record {qbo_id}; reload the list.")
    name = _NAMES[sync_object]
    existing = links.get_many(scope.portal_id, scope.realm_id, sync_object, [qbo_id]).get(qbo_id)
    if existing is not None:  # linked meanwhile (a retry whose first answer was lost, or another admin)
        decisions.resolve(scope.portal_id, scope.realm_id, sync_object, qbo_id)
        return existing
    config = writer.enabled_config(scope, sync_object)
    if config is None:
        raise NewRecordRefusedError(f"The {name} sync is off for this company, so HubBooks creates no {name}s; turn "
                                    "it on first, or pick one of the records found.")
    plan = writer.plan(scope, sync_object, config, [QboRecord(qbo_id, read())], match=False)
    if not plan.creates:
        why = next((reason for _id, _label, reason in (*plan.skipped, *plan.failures)), "nothing to create")
        raise NewRecordRefusedError(f"No new HubSpot {name} was created: {why}. Change that (or pick one of the "
                                    "records found) and try again.")
    writer.write(scope, plan, config)
    made = links.get_many(scope.portal_id, scope.realm_id, sync_object, [qbo_id]).get(qbo_id)
    if made is None:
        reason = next((f.reason for f in failures.list(scope.portal_id, scope.realm_id, sync_object)
                       if f.qbo_id == qbo_id), "HubSpot did not accept it")
        raise NewRecordRefusedError(f"No new HubSpot {name} was created ({reason}). Fix that and try again; the "
                                    "decision stays in the list.")
    decisions.resolve(scope.portal_id, scope.realm_id, sync_object, qbo_id)
    return made
