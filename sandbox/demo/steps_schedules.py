"""Schedules, run last so every QuickBooks company the earlier steps connected gets a job: each schedule fans out
one queue message per connected company and the worker records what it did for each."""

from __future__ import annotations

import time
from collections import Counter

from sandbox.demo.framework import Demo, Step, StepFailed, short_json

ORDER = 90


def _fire_and_drain(demo: Demo, schedule: str, job: str) -> str:
    since = time.time()
    fired = demo.stack.fire_schedule(schedule)
    demo.say(f"fired {schedule} -> {fired['function']} with {short_json(fired['payload'])}: "
             f"{fired['status']}, answered {short_json(fired['result'])}")
    if fired["status"] != "ok":
        raise StepFailed(f"{fired['function']} failed: {fired.get('error')}")
    enqueued = int((fired["result"] or {}).get("enqueued", -1))
    demo.check(enqueued >= 0, f"the scheduler's answer has no 'enqueued' count: {short_json(fired['result'])}")
    drained = demo.stack.drain_queues(timeout=60)
    demo.check(drained["drained"], f"the queues did not drain within 60s: {short_json(drained['queues'])}")
    runs = [run for run in demo.stack.invocations(function="SyncWorkerFunction", trigger="sqs")
            if run["started_at"] >= since]
    processed = sum(run["details"].get("records", 0) - run["details"].get("failed", 0) for run in runs)
    failed = [run for run in runs if run["status"] != "ok" or run["details"].get("failed")]
    demo.say(f"SyncQueue drained in {drained['waited_ms']} ms; SyncWorkerFunction ran {len(runs)} time(s) "
             f"for {processed} job(s)")
    demo.check(not failed, f"{len(failed)} worker run(s) failed: {short_json(failed, 300)}")
    demo.check(processed == enqueued, f"{enqueued} job(s) were queued but the worker completed {processed}")
    outcomes = _recorded_outcomes(demo, job, since)
    for outcome, count in sorted(outcomes.items()):
        demo.say(f"{count} compan{'y' if count == 1 else 'ies'}: {outcome}")
    demo.check(sum(outcomes.values()) == enqueued,
               f"{enqueued} job(s) ran but {sum(outcomes.values())} run record(s) were written")
    return f"{enqueued} job(s) queued, one per connected QuickBooks company, and every one completed"


def _recorded_outcomes(demo: Demo, job: str, since: float) -> Counter[str]:
    """The run records the worker wrote (the demo may read the table directly; the product reads it by key)."""
    dynamodb = demo.stack.aws_session().client("dynamodb")
    items = dynamodb.scan(TableName="AppTable", FilterExpression="#type = :type AND #job = :job",
                          ExpressionAttributeNames={"#type": "type", "#job": "job"},
                          ExpressionAttributeValues={":type": {"S": "job_run"}, ":job": {"S": job}})["Items"]
    since_iso = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(since - 1))
    return Counter(item["outcome"]["S"] for item in items if item["finished_at"]["S"] >= since_iso)


def sync_schedule(demo: Demo) -> str:
    return _fire_and_drain(demo, "SyncSchedule", "sync")


def overdue_check_schedule(demo: Demo) -> str:
    return _fire_and_drain(demo, "OverdueCheckSchedule", "overdue_check")


def reconcile_schedule(demo: Demo) -> str:
    return _fire_and_drain(demo, "ReconcileSchedule", "reconcile")


STEPS = [
    Step("The hourly sync schedule fires: one job per connected company, worked off the queue", sync_schedule),
    Step("The daily overdue check fires: linked invoices' statuses and deal properties are refreshed",
         overdue_check_schedule),
    Step("The hourly reconciliation fires: each company's QuickBooks changes since its bookmark (change data "
         "capture) are applied, so nothing a missed or dead-lettered webhook carried is lost", reconcile_schedule),
]
