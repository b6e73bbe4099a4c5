"""The finance user's deposit and pay-a-vendor tasks through the daily job, against both simulators and moto: the
settings route refuses them without a finance user; a payment in Undeposited Funds and a bill due soon each get one
task assigned to the finance user's owner; depositing the payment and paying the bill complete them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import requests

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.config import get_settings
from hubbooks.models.hubspot_install import HubSpotInstall
from sandbox.demo.bookkeeper import bookkeeper_token
from tests.functional.invoicing.conftest import USER, World
from tests.functional.invoicing.test_live_status import qbo_api
from tests.functional.invoicing.test_reminders import run_daily_job


def finance_tasks(world: World, owner_id: str) -> list[dict]:
    found = world.hubspot("POST", "/crm/v3/objects/tasks/search", {
        "filterGroups": [{"filters": [{"propertyName": "hubspot_owner_id", "operator": "EQ", "value": owner_id}]}],
        "properties": ["hs_task_subject", "hs_task_status", "hs_task_body", "hubspot_owner_id"], "limit": 100})
    return sorted(found["results"], key=lambda t: int(t["id"]))


def test_a_payment_to_deposit_and_a_bill_to_pay_each_get_one_task_until_done(world: World,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    DynamoInstallStore(dynamodb_table(get_settings().app_table_name)).save(HubSpotInstall(
        portal_id=world.portal_id, company_currency="USD", installed_at=datetime.now(UTC), installed_by_user_id=USER))
    realm = world.realms["us"]
    owner = world.hubspot("GET", "/crm/owners/2026-03/")["results"][0]["id"]
    settings = {"deposit": {"enabled": True, "days": 2}, "pay_vendor": {"enabled": True, "days": 7}}
    status, answer, _ = world.call("PUT", f"/app/qbo/{realm}/reminder-settings", body=settings)
    assert status == 422 and answer["details"]["fields"][0]["field"] == "finance_owner_id", answer
    status, answer, _ = world.call("PUT", f"/app/qbo/{realm}/reminder-settings",
                                   body={**settings, "finance_owner_id": "123456"})
    assert status == 422 and "no active user with owner id 123456" in answer["message"], answer
    status, answer, _ = world.call("PUT", f"/app/qbo/{realm}/reminder-settings",
                                   body={**settings, "finance_owner_id": owner})
    assert status == 200, answer
    status, answer, _ = world.call("GET", f"/app/qbo/{realm}/reminder-settings")
    assert answer["finance_owner_id"] == owner and answer["deposit"] == {"enabled": True, "days": 2}

    today = date.today()
    received = (today - timedelta(days=1)).isoformat()
    payment = qbo_api(world, realm, "POST", "payment", {"CustomerRef": {"value": "1"}, "TotalAmt": "250.00",
                                                        "TxnDate": received, "PaymentRefNum": "CHK-77"})["Payment"]
    assert payment["DepositToAccountRef"]["value"] == "4"  # Undeposited Funds by default
    qbo_api(world, realm, "POST", "payment", {"CustomerRef": {"value": "2"}, "TotalAmt": "90.00", "TxnDate": received,
                                              "DepositToAccountRef": {"value": "35"}})  # straight to the bank
    voided = qbo_api(world, realm, "POST", "payment", {"CustomerRef": {"value": "2"}, "TotalAmt": "40.00",
                                                       "TxnDate": received})["Payment"]
    requests.post(f"{world.qbo_url}/v3/company/{realm}/payment", timeout=10,
                  params={"operation": "update", "include": "void", "minorversion": "75"},
                  json={"Id": voided["Id"], "SyncToken": voided["SyncToken"], "sparse": True},
                  headers={"Authorization": f"Bearer {bookkeeper_token(world.qbo_url, realm)}",
                           "Accept": "application/json"}).raise_for_status()  # voided: zeroed, nothing to deposit
    bill = qbo_api(world, realm, "POST", "bill", {
        "VendorRef": {"value": "1"}, "DocNumber": "B-1001", "DueDate": (today + timedelta(days=5)).isoformat(),
        "Line": [{"Amount": "80.00", "DetailType": "AccountBasedExpenseLineDetail",
                  "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "60"}}}]})["Bill"]

    now = datetime.now(UTC)
    assert run_daily_job(world, realm, now, monkeypatch).endswith("reminders: 1 task(s) opened, 0 completed")
    [bill_task] = finance_tasks(world, owner)  # the payment is only a day old
    assert bill_task["properties"]["hs_task_subject"].startswith("Pay bill B-1001 to Books by Bessie: 80.00 USD")
    later = now + timedelta(days=2)
    assert run_daily_job(world, realm, later, monkeypatch).endswith("reminders: 1 task(s) opened, 0 completed")
    assert "reminders" not in run_daily_job(world, realm, later, monkeypatch)  # nothing more: still two tasks
    tasks = finance_tasks(world, owner)
    assert [t["properties"]["hs_task_status"] for t in tasks] == ["NOT_STARTED", "NOT_STARTED"]
    assert tasks[1]["properties"]["hs_task_subject"] == "Deposit the 250.00 USD payment from Amy's Bird Sanctuary"
    deal_tasks = world.hubspot("GET", f"/crm/v3/objects/deals/{world.deal_id}?associations=tasks")
    assert "associations" not in deal_tasks  # a task for a person, on no deal

    qbo_api(world, realm, "POST", "deposit", {"DepositToAccountRef": {"value": "35"}, "Line": [
        {"Amount": "250.00", "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment", "TxnLineId": "0"}]}]})
    qbo_api(world, realm, "POST", "billpayment", {
        "VendorRef": {"value": "1"}, "PayType": "Check", "TotalAmt": "80.00",
        "CheckPayment": {"BankAccountRef": {"value": "35"}},
        "Line": [{"Amount": "80.00", "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}]})
    assert run_daily_job(world, realm, later, monkeypatch).endswith("reminders: 0 task(s) opened, 2 completed")
    assert [t["properties"]["hs_task_status"] for t in finance_tasks(world, owner)] == ["COMPLETED", "COMPLETED"]
