"""Running the sync from the settings page: backfill (dry run, start, progress, cancel), sync health (failing
records with their reasons, decisions waiting, last runs), retrying failed records and resolving ambiguous matches.

Reads are for every user of the portal; anything that starts work or changes links is for HubBooks admins."""

from __future__ import annotations

from datetime import UTC, datetime

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.api.path_params import ObjectName, QboId, RealmId
from hubbooks.api.signed_requests import require_hubspot_signature
from hubbooks.api.sync_dependencies import SyncRuns, sync_runs_for
from hubbooks.domain.errors import NotFoundError
from hubbooks.domain.sync.decisions import create_instead
from hubbooks.domain.sync.errors import SyncSettingsRejectedError
from hubbooks.domain.sync.hubspot_changes import behind_in_quickbooks
from hubbooks.domain.sync.two_way import FAILURE_PREFIX, ObjectChanges
from hubbooks.models.changes import CompanyScope
from hubbooks.models.jobs import JobKind
from hubbooks.models.sync import RecordLink, SyncObject
from hubbooks.models.sync_api import (
    BackfillBody,
    BackfillView,
    DecisionBody,
    JobRunView,
    ObjectHealth,
    RetryBody,
    RetryView,
    SyncHealthView,
)

router = APIGatewayHttpRouter()
SIGNED = [require_hubspot_signature]
TAGS = ["Sync runs"]
MAX_RETRY = 200
# What the change engine reconciles for invoicing; the sync adds Customer and Item where it is on.
INVOICING_ENTITIES = ("Invoice", "Payment", "CreditMemo", "RefundReceipt")


def _view(runs: SyncRuns) -> BackfillView:
    run = runs.backfill.progress(runs.scope)
    percent = 100 if run.total == 0 and not run.status.active else min(100, run.processed * 100 // max(run.total, 1))
    return BackfillView(run=run, percent=percent)


@router.post("/app/qbo/<realm_id>/sync-backfill", middlewares=SIGNED, tags=TAGS,
             summary="Start a dry run (what would be created, updated, skipped or need a decision) or a backfill")
def start_backfill(realm_id: RealmId, body: BackfillBody) -> BackfillView:
    runs = sync_runs_for(router, realm_id, admin=True)
    runs.backfill.start(runs.scope, body.objects, dry_run=body.dry_run, user_id=runs.user_id)
    return _view(runs)


@router.get("/app/qbo/<realm_id>/sync-backfill", middlewares=SIGNED, tags=TAGS,
            summary="Progress of the company's latest backfill or dry run, with counts and examples")
def backfill_progress(realm_id: RealmId) -> BackfillView:
    return _view(sync_runs_for(router, realm_id))


@router.delete("/app/qbo/<realm_id>/sync-backfill", middlewares=SIGNED, tags=TAGS,
               summary="Cancel the running backfill or dry run (it stops at the next page)")
def cancel_backfill(realm_id: RealmId) -> BackfillView:
    runs = sync_runs_for(router, realm_id, admin=True)
    runs.backfill.cancel(runs.scope)
    return _view(runs)


@router.get("/app/qbo/<realm_id>/sync-health", middlewares=SIGNED, tags=TAGS,
            summary="Sync health: reconciliation progress, dead-lettered work, records that could not sync and why, "
                    "matches waiting for a decision, and the last runs, in plain words")
def sync_health(realm_id: RealmId) -> SyncHealthView:
    runs = sync_runs_for(router, realm_id)
    scope = runs.scope
    objects, configs = [], []
    for sync_object in SyncObject:
        config = runs.configs.get(scope.portal_id, scope.realm_id, sync_object)
        configs += [config] if config is not None else []
        objects.append(ObjectHealth(object=sync_object, enabled=bool(config and config.behaviour.enabled),
                                    failing=runs.failures.list(scope.portal_id, scope.realm_id, sync_object),
                                    decisions=runs.decisions.list(scope.portal_id, scope.realm_id, sync_object)))
    last_runs = [JobRunView(job=run.job.value, finished_at=run.finished_at, outcome=run.outcome)
                 for job in (JobKind.RECONCILE, JobKind.SYNC)
                 if (run := runs.job_runs.last(scope.portal_id, job, scope.realm_id)) is not None]
    synced_entities = sorted({health.object.qbo_entity for health in objects if health.enabled})
    pipeline = runs.pipeline_health(entities=(*INVOICING_ENTITIES, *synced_entities),
                                    record_problems=[*_record_problems(objects), *behind_in_quickbooks(
                                        scope, configs, runs.hubspot_bookmarks, datetime.now(UTC))])
    return SyncHealthView(**pipeline.model_dump(), objects=objects, last_runs=last_runs,
                          backfill=runs.backfill.store.current(scope.portal_id, scope.realm_id))


def _record_problems(objects: list[ObjectHealth]) -> list[str]:
    problems = []
    failing = sum(len(health.failing) for health in objects)
    waiting = sum(len(health.decisions) for health in objects)
    if failing:
        problems.append(f"{failing} record(s) could not sync; each is listed below with the reason. Fix the cause, "
                        "then retry them.")
    if waiting:
        problems.append(f"{waiting} QuickBooks record(s) match more than one HubSpot record; choose the right one "
                        "below, or create a new record instead.")
    return problems


@router.post("/app/qbo/<realm_id>/sync-health/retry", middlewares=SIGNED, tags=TAGS,
             summary="Try failing records again now: one, or all (up to 200 a call)")
def retry(realm_id: RealmId, body: RetryBody) -> RetryView:
    runs = sync_runs_for(router, realm_id, admin=True)
    scope = runs.scope
    failing = runs.failures.list(scope.portal_id, scope.realm_id, body.object)
    ids = [body.qbo_id] if body.qbo_id else [f.qbo_id for f in failing][:MAX_RETRY]
    if body.qbo_id and body.qbo_id not in {f.qbo_id for f in failing}:
        raise NotFoundError(f"QuickBooks record {body.qbo_id} is not failing; there is nothing to retry.")
    # Failures of two-way sync are kept under the HubSpot id: those are read from HubSpot again.
    from_hubspot = [i.removeprefix(FAILURE_PREFIX) for i in ids if i.startswith(FAILURE_PREFIX)]
    from_qbo = [i for i in ids if not i.startswith(FAILURE_PREFIX)]
    applied = runs.engine().apply_references(scope, [(body.object.qbo_entity, i) for i in from_qbo]) \
        if from_qbo else []
    outcomes = [a.outcome for a in applied]
    if from_hubspot:
        counts = runs.two_way().apply(scope, body.object, ObjectChanges(
            changed=dict.fromkeys(from_hubspot, datetime.now(UTC))))
        outcomes.append(", ".join(f"{n} {what}" for what, n in sorted(counts.items())) or "two-way sync is off")
    return RetryView(retried=len(ids), outcome="; ".join(outcomes) or "nothing to retry",
                     still_failing=runs.failures.list(scope.portal_id, scope.realm_id, body.object))


@router.post("/app/qbo/<realm_id>/sync/<sync_object>/decisions/<qbo_id>", middlewares=SIGNED, tags=TAGS,
             summary="Resolve an ambiguous match: say which HubSpot record the QuickBooks record is, then sync it")
def resolve_decision(realm_id: RealmId, sync_object: ObjectName, qbo_id: QboId, body: DecisionBody) -> RetryView:
    runs = sync_runs_for(router, realm_id, admin=True)
    scope = runs.scope
    waiting = {d.qbo_id: d for d in runs.decisions.list(scope.portal_id, scope.realm_id, sync_object)}
    decision = waiting.get(qbo_id)
    if decision is None:
        raise NotFoundError(f"No decision is waiting for QuickBooks record {qbo_id}; reload the list.")
    if body.hubspot_id not in {c.hubspot_id for c in decision.candidates}:
        found = "QuickBooks items" if qbo_id.startswith(FAILURE_PREFIX) else "HubSpot records"
        raise SyncSettingsRejectedError(f"Pick one of the {found} the match found.",
                                        details={"fields": [{"field": "hubspot_id", "message": "not a candidate"}]})
    if qbo_id.startswith(FAILURE_PREFIX):  # a new HubSpot record whose candidates are QuickBooks records
        return _two_way_answer(runs, sync_object, qbo_id, body.hubspot_id)
    runs.links.save(RecordLink(portal_id=scope.portal_id, realm_id=scope.realm_id, object=sync_object,
                               qbo_id=qbo_id, hubspot_id=body.hubspot_id, matched_by="admin",
                               linked_at=datetime.now(UTC)))
    runs.decisions.resolve(scope.portal_id, scope.realm_id, sync_object, qbo_id)
    applied = runs.engine().apply_references(CompanyScope(portal_id=scope.portal_id, realm_id=scope.realm_id),
                                             [(sync_object.qbo_entity, qbo_id)])
    return RetryView(retried=1, outcome="; ".join(a.outcome for a in applied),
                     still_failing=runs.failures.list(scope.portal_id, scope.realm_id, sync_object))


@router.post("/app/qbo/<realm_id>/sync/<sync_object>/decisions/<qbo_id>/new-record", middlewares=SIGNED, tags=TAGS,
             summary="Resolve an ambiguous match by creating a new HubSpot record instead of using any candidate")
def resolve_with_new_record(realm_id: RealmId, sync_object: ObjectName, qbo_id: QboId) -> RetryView:
    runs = sync_runs_for(router, realm_id, admin=True)
    scope = runs.scope
    if qbo_id.startswith(FAILURE_PREFIX):
        return _two_way_answer(runs, sync_object, qbo_id, None)
    link = create_instead(scope=scope, sync_object=sync_object, qbo_id=qbo_id, writer=runs.writer(sync_object),
                          read=lambda: runs.qbo_record(sync_object, qbo_id), decisions=runs.decisions,
                          links=runs.links, failures=runs.failures)
    return RetryView(retried=1, outcome=f"{sync_object.value}: new HubSpot record {link.hubspot_id} linked",
                     still_failing=runs.failures.list(scope.portal_id, scope.realm_id, sync_object))


def _two_way_answer(runs: SyncRuns, sync_object: SyncObject, decision_id: str, qbo_id: str | None) -> RetryView:
    scope = runs.scope
    if decision_id not in {d.qbo_id for d in runs.decisions.list(scope.portal_id, scope.realm_id, sync_object)}:
        raise NotFoundError(f"No decision is waiting for {decision_id}; reload the list.")
    counts = runs.two_way().resolve(scope, sync_object, decision_id.removeprefix(FAILURE_PREFIX), qbo_id)
    return RetryView(retried=1, outcome=", ".join(f"{n} {what}" for what, n in sorted(counts.items())),
                     still_failing=runs.failures.list(scope.portal_id, scope.realm_id, sync_object))
