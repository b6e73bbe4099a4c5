"""Every QuickBooks invoice where it belongs, through the invoice and sync functions against both simulators: the
admin's switch, an invoice made in QuickBooks reaching its customer's contact by itself (hourly reconciliation), and
the backfill's dry run and run through the sync queue."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sync_worker_handler

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.adapters.storage.sync_store import DynamoSyncLinks
from hubbooks.config import get_settings
from hubbooks.models.hubspot_install import HubSpotInstall
from hubbooks.models.sync import RecordLink, SyncObject
from tests.functional.invoicing.conftest import USER, World
from tests.functional.invoicing.test_live_status import qbo_api
from tests.support import LambdaContext


def _sqs(bodies: list[str]) -> dict[str, Any]:
    return {"Records": [{"messageId": f"m{n}", "receiptHandle": "r", "body": body, "attributes": {},
                         "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                         "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:SyncQueue", "awsRegion": "us-east-1"}
                        for n, body in enumerate(bodies)]}


def _run_sync_queue() -> int:
    """Deliver what the sync queue holds to the sync worker until it is empty; returns the messages run."""
    sqs, delivered = aws_client("sqs"), 0
    while batch := sqs.receive_message(QueueUrl=get_settings().sync_queue_url, MaxNumberOfMessages=10).get(
            "Messages", []):
        answer = sync_worker_handler.lambda_handler(_sqs([m["Body"] for m in batch]), LambdaContext())
        assert answer == {"batchItemFailures": []}
        for message in batch:
            sqs.delete_message(QueueUrl=get_settings().sync_queue_url, ReceiptHandle=message["ReceiptHandle"])
        delivered += len(batch)
    return delivered


def create_invoice(world: World, realm: str, rate: str) -> dict[str, Any]:
    """Made in QuickBooks by a bookkeeper, not from HubSpot."""
    return dict(qbo_api(world, realm, "POST", "invoice", {
        "CustomerRef": {"value": "1"}, "TxnDate": date.today().isoformat(),
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": rate,
                  "SalesItemLineDetail": {"ItemRef": {"value": "3"}, "Qty": 1, "UnitPrice": rate}}]})["Invoice"])


def _reconcile(world: World, realm: str) -> None:
    body = json.dumps({"job": "reconcile", "portal_id": world.portal_id, "realm_id": realm,
                       "scheduled_at": datetime.now(UTC).isoformat()})
    assert sync_worker_handler.lambda_handler(_sqs([body]), LambdaContext()) == {"batchItemFailures": []}


def _contact(world: World) -> dict[str, Any]:
    return world.hubspot("GET", f"/crm/v3/objects/contacts/{world.contact_id}"
                                "?properties=hubbooks_total_invoiced,hubbooks_outstanding_balance")["properties"]


def _install(world: World) -> None:
    DynamoInstallStore(dynamodb_table(get_settings().app_table_name)).save(HubSpotInstall(
        portal_id=world.portal_id, company_currency="USD", installed_at=datetime.now(UTC), installed_by_user_id=USER))


def _sync_customer_to_contact(world: World, realm: str) -> None:
    DynamoSyncLinks(dynamodb_table(get_settings().app_table_name)).save(RecordLink(
        portal_id=world.portal_id, realm_id=realm, object=SyncObject.CONTACTS, qbo_id="1",
        hubspot_id=world.contact_id, matched_by="email", linked_at=datetime.now(UTC)))


def test_a_quickbooks_made_invoice_reaches_its_customers_contact_once_an_admin_turns_it_on(world: World) -> None:
    _install(world)
    realm = world.realms["us"]
    _sync_customer_to_contact(world, realm)
    status, answer, _ = world.call("GET", f"/app/qbo/{realm}/autolink-settings")
    assert status == 200 and answer == {"enabled": False}
    status, answer, _ = world.call("PUT", f"/app/qbo/{realm}/autolink-settings", body={"enabled": True},
                                   user_id=USER + 1)
    assert status == 403 and "Only HubBooks admins" in answer["message"]

    first = create_invoice(world, realm, rate="200")  # made in QuickBooks while auto-linking is off
    _reconcile(world, realm)
    assert not _contact(world).get("hubbooks_total_invoiced")

    status, answer, _ = world.call("PUT", f"/app/qbo/{realm}/autolink-settings", body={"enabled": True})
    assert status == 200 and answer == {"enabled": True}
    second = create_invoice(world, realm, rate="120")
    _reconcile(world, realm)
    status, card, _ = world.call("GET", f"/app/cards/contact/{world.contact_id}")
    assert status == 200, card
    shown = {row["invoice_id"] for row in card["invoices"]}
    # The earlier one is read again (reconciliation starts a little before its last run) and was made moments before
    # auto-linking was turned on, inside the clock margin, so it arrives too; older ones are the backfill's (unit
    # tests: test_only_invoices_changed_since_it_was_turned_on_arrive_the_rest_wait_for_the_backfill).
    assert shown == {str(first["Id"]), str(second["Id"])}
    assert _contact(world)["hubbooks_total_invoiced"] in ("320", "320.00")


def test_backfill_dry_run_then_run_links_the_range(world: World) -> None:
    _install(world)
    realm = world.realms["us"]
    _sync_customer_to_contact(world, realm)
    made = [str(create_invoice(world, realm, rate=rate)["Id"]) for rate in ("100", "50")]
    today = date.today()
    body = {"date_from": (today - timedelta(days=2)).isoformat(), "date_to": (today + timedelta(days=2)).isoformat()}

    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/autolink-backfill",
                                   body={**body, "date_to": (today - timedelta(days=5)).isoformat()})
    assert status == 422
    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/autolink-backfill", body={**body, "dry_run": False})
    assert status == 400 and "Turn on" in answer["message"]  # off: only a dry run
    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/autolink-backfill", body={**body, "dry_run": True})
    assert status == 200, answer
    assert answer["run"]["invoices_in_range"] >= 2
    assert _run_sync_queue() == 1
    status, answer, _ = world.call("GET", f"/app/qbo/{realm}/autolink-backfill", user_id=USER + 1)
    assert status == 200 and answer["run"]["status"] == "done" and answer["percent"] == 100
    assert answer["run"]["counts"]["invoices_to_link"] >= 2
    assert {e["invoice_id"] for e in answer["run"]["examples"]["invoices_to_link"]} >= set(made)
    status, card, _ = world.call("GET", f"/app/cards/contact/{world.contact_id}")
    assert not set(made) & {row["invoice_id"] for row in card["invoices"]}  # a dry run links nothing

    assert world.call("PUT", f"/app/qbo/{realm}/autolink-settings", body={"enabled": True})[0] == 200
    status, answer, _ = world.call("POST", f"/app/qbo/{realm}/autolink-backfill", body={**body, "dry_run": False})
    assert status == 200, answer
    _run_sync_queue()
    status, card, _ = world.call("GET", f"/app/cards/contact/{world.contact_id}")
    assert set(made) <= {row["invoice_id"] for row in card["invoices"]}
    assert _contact(world)["hubbooks_total_invoiced"] in ("150", "150.00")


def _contact_rollups(world: World) -> dict[str, Any]:
    return world.hubspot("GET", f"/crm/v3/objects/contacts/{world.contact_id}?properties=hubbooks_total_paid,"
                                "hubbooks_outstanding_balance")["properties"]


def _contact_notes(world: World) -> list[str]:
    contact = world.hubspot("GET", f"/crm/v3/objects/contacts/{world.contact_id}?associations=notes")
    ids = [r["id"] for r in (contact.get("associations") or {}).get("notes", {}).get("results", [])]
    return [world.hubspot("GET", f"/crm/v3/objects/notes/{i}?properties=hs_note_body")["properties"]["hs_note_body"]
            for i in dict.fromkeys(ids)]


def test_credit_memos_and_refunds_show_on_the_contact_and_lower_its_roll_ups(world: World) -> None:
    _install(world)
    realm = world.realms["us"]
    _sync_customer_to_contact(world, realm)
    assert world.call("PUT", f"/app/qbo/{realm}/autolink-settings", body={"enabled": True})[0] == 200
    made = create_invoice(world, realm, rate="200")
    _reconcile(world, realm)
    assert float(_contact_rollups(world)["hubbooks_outstanding_balance"]) == 200

    line = [{"DetailType": "SalesItemLineDetail", "Amount": "50",
             "SalesItemLineDetail": {"ItemRef": {"value": "3"}, "Qty": 1, "UnitPrice": "50"}}]
    memo = qbo_api(world, realm, "POST", "creditmemo", {"CustomerRef": {"value": "1"}, "Line": line})["CreditMemo"]
    _reconcile(world, realm)
    assert float(_contact_rollups(world)["hubbooks_outstanding_balance"]) == 150  # 50.00 credit not yet applied
    status, card, _ = world.call("GET", f"/app/cards/contact/{world.contact_id}")
    assert status == 200, card
    assert [(c["kind"], c["txn_id"], c["unapplied"]) for c in card["credits"]] == [
        ("credit_memo", str(memo["Id"]), "50.00")]
    assert card["summary"]["outstanding"] == "150.00" and card["summary"]["unapplied_credit"] == "50.00"

    qbo_api(world, realm, "POST", "payment", {"CustomerRef": {"value": "1"}, "TotalAmt": "200",
                                              "Line": [{"Amount": "200", "LinkedTxn": [
                                                  {"TxnId": str(made["Id"]), "TxnType": "Invoice"}]}]})
    refund = qbo_api(world, realm, "POST", "refundreceipt", {
        "CustomerRef": {"value": "1"}, "DepositToAccountRef": {"value": "4"},
        "Line": [{**line[0], "Amount": "20", "SalesItemLineDetail": {"ItemRef": {"value": "3"}, "Qty": 1,
                                                                      "UnitPrice": "20"}}]})["RefundReceipt"]
    _reconcile(world, realm)
    _reconcile(world, realm)  # seen again: nothing more
    assert float(_contact_rollups(world)["hubbooks_total_paid"]) == 180  # 200 paid, 20 paid back
    notes = _contact_notes(world)
    assert sum("Credit memo in QuickBooks" in body for body in notes) == 1
    assert sum("Refund in QuickBooks" in body and f"qbo-refundreceipt-{realm}-{refund['Id']}" in body
               for body in notes) == 1
