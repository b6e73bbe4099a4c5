"""Reminder tasks through the daily job against both simulators, and the claim that keeps a task single, on moto.
(The task calls themselves are checked against HubSpot's OpenAPI specs in tests/functional/hubspot/test_tasks.py.)"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import sync_worker_handler

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.adapters.storage.job_run_store import DynamoJobRunStore
from hubbooks.adapters.storage.reminder_store import DynamoReminderTasks
from hubbooks.adapters.wiring import invoicing_jobs
from hubbooks.config import get_settings
from hubbooks.domain.finance.reminders import CLAIM_LEASE, ClaimTakenError
from hubbooks.models.hubspot_install import HubSpotInstall
from hubbooks.models.jobs import JobKind
from hubbooks.models.reminders import ReminderKind, ReminderTask
from sandbox.aws.provision import ProvisionedStack
from tests.functional.invoicing.conftest import USER, World
from tests.functional.invoicing.test_live_status import pay
from tests.functional.invoicing.test_overdue_and_openapi import _worker_event
from tests.support import LambdaContext


def deal_tasks(world: World) -> list[dict]:
    deal = world.hubspot("GET", f"/crm/v3/objects/deals/{world.deal_id}?associations=tasks")
    ids = [r["id"] for r in (deal.get("associations") or {}).get("tasks", {}).get("results", [])]
    return [world.hubspot("GET", f"/crm/v3/objects/tasks/{i}?properties=hs_task_subject,hs_task_status,hs_task_body"
                                 "&associations=contacts")
            for i in dict.fromkeys(ids)]


def run_daily_job(world: World, realm: str, when: datetime, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(invoicing_jobs, "business_clock", lambda: lambda: when)  # the business day moves on
    assert sync_worker_handler.lambda_handler(_worker_event(world, realm), LambdaContext()) == {"batchItemFailures": []}
    run = DynamoJobRunStore(dynamodb_table(get_settings().app_table_name)).last(world.portal_id,
                                                                               JobKind.OVERDUE_CHECK, realm)
    assert run is not None
    return run.outcome


def test_an_overdue_invoice_gets_one_task_on_the_deal_until_it_is_paid(world: World,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    DynamoInstallStore(dynamodb_table(get_settings().app_table_name)).save(HubSpotInstall(
        portal_id=world.portal_id, company_currency="USD", installed_at=datetime.now(UTC), installed_by_user_id=USER))
    realm = world.realms["us"]
    settings = {"overdue": {"enabled": True, "days": 2}, "not_sent": {"enabled": False, "days": 3},
                "due_soon": {"enabled": False, "days": 3}, "assignee_owner_id": None}
    status, answer, _ = world.call("PUT", f"/app/qbo/{realm}/reminder-settings", body=settings, user_id=USER + 1)
    assert status == 403 and "Only HubBooks admins" in answer["message"]
    status, answer, _ = world.call("PUT", f"/app/qbo/{realm}/reminder-settings",
                                   body={**settings, "overdue": {"enabled": True, "days": 400}})
    assert status == 422
    status, answer, _ = world.call("PUT", f"/app/qbo/{realm}/reminder-settings", body=settings)
    assert status == 200, answer
    status, answer, _ = world.call("GET", f"/app/qbo/{realm}/reminder-settings", user_id=USER + 1)
    assert status == 200 and answer["overdue"] == {"enabled": True, "days": 2}

    status, created, _ = world.call("POST", f"/app/deals/{world.deal_id}/invoices", body={
        "realm_id": realm, "customer_id": "1", "submission_id": uuid.uuid4().hex, "term_id": "1",
        "lines": [{"item_id": "3", "quantity": "1", "rate": "150"}]})
    assert status == 200, created
    invoice_id = created["invoice"]["invoice_id"]

    assert "reminders" not in run_daily_job(world, realm, datetime.now(UTC) + timedelta(days=1),
                                            monkeypatch)  # overdue, but only for a day
    later = datetime.now(UTC) + timedelta(days=4)
    assert run_daily_job(world, realm, later, monkeypatch).endswith("reminders: 1 task(s) opened, 0 completed")
    assert "reminders" not in run_daily_job(world, realm, later, monkeypatch)  # nothing more to do
    [task] = deal_tasks(world)
    assert task["properties"]["hs_task_status"] == "NOT_STARTED"
    assert "is overdue" in task["properties"]["hs_task_subject"]
    assert [c["id"] for c in task["associations"]["contacts"]["results"]] == [world.contact_id]

    pay(world, realm, invoice_id, "150.00")
    assert run_daily_job(world, realm, later, monkeypatch).endswith("reminders: 0 task(s) opened, 1 completed")
    [task] = deal_tasks(world)
    assert task["properties"]["hs_task_status"] == "COMPLETED"


def test_the_claim_is_one_conditional_write(aws: ProvisionedStack) -> None:
    store = DynamoReminderTasks(dynamodb_table(get_settings().app_table_name))
    now = datetime.now(UTC)
    first = ReminderTask(portal_id=1, realm_id="9", invoice_id="5", kind=ReminderKind.OVERDUE, claimed_at=now)
    assert store.claim(first, now, CLAIM_LEASE) is None
    with pytest.raises(ClaimTakenError):
        store.claim(first, now, CLAIM_LEASE)  # a live claim
    later = now + CLAIM_LEASE + timedelta(seconds=5)
    replaced = store.claim(first.model_copy(update={"claimed_at": later}), later, CLAIM_LEASE)  # stale: taken over
    assert replaced is not None and replaced.open and replaced.task_id is None
    store.save(first.model_copy(update={"task_id": "77"}))
    with pytest.raises(ClaimTakenError):
        store.claim(first, later + CLAIM_LEASE * 2, CLAIM_LEASE)  # open with a task: never taken over
    store.save(first.model_copy(update={"task_id": "77", "open": False}))
    with pytest.raises(ClaimTakenError):
        store.claim(first, later, CLAIM_LEASE)  # the closed episode is not reopened
    second = first.model_copy(update={"episode": 2})
    assert store.claim(second, later, CLAIM_LEASE) is not None
    assert [(t.episode, t.open, t.task_id) for t in store.for_realm(1, "9")] == [(2, True, None)]
