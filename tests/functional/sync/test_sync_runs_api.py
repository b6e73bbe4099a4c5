"""Backfill and sync health through the API and the sync queue (moto SQS, both simulators): a dry run that writes
nothing, the run itself, cancel, failing records retried, and an ambiguous match resolved by the admin."""

from __future__ import annotations

from typing import Any

import sync_worker_handler

from hubbooks.adapters.aws.clients import aws_client
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.config import get_settings
from tests.functional.invoicing.conftest import USER, World
from tests.functional.sync.test_sync_engine import _records, _turn_on
from tests.functional.sync.test_sync_settings_api import SALESPERSON, _as
from tests.support import LambdaContext


def _drain_sync_queue() -> int:
    sqs, url, handled = aws_client("sqs"), get_settings().sync_queue_url, 0
    while messages := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        event = {"Records": [{"messageId": m["MessageId"], "receiptHandle": m["ReceiptHandle"], "body": m["Body"],
                              "attributes": {}, "messageAttributes": {}, "md5OfBody": m["MD5OfBody"],
                              "eventSource": "aws:sqs", "eventSourceARN": "arn:aws:sqs:us-east-1:1:SyncQueue",
                              "awsRegion": "us-east-1"} for m in messages]}
        assert sync_worker_handler.lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
        for m in messages:
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        handled += len(messages)
    return handled


def _backfill(world: World, realm: str, objects: list[str], dry_run: bool) -> dict[str, Any]:
    status, started = _as(world, USER, "POST", f"/app/qbo/{realm}/sync-backfill",
                          body={"objects": objects, "dry_run": dry_run})
    assert status == 200, started
    assert started["run"]["status"] == "queued"
    assert _drain_sync_queue() >= 1
    status, progress = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-backfill")
    assert status == 200
    return dict(progress)


def test_dry_run_then_backfill(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    dry = _backfill(world, realm, ["contacts", "products"], dry_run=True)
    assert dry["run"]["status"] == "done" and dry["percent"] == 100
    assert dry["run"]["counts"] == {"created": 5, "updated": 1, "archived": 0, "unchanged": 0, "skipped": 0,
                                    "needs_decision": 0, "failed": 0}
    assert [e["label"] for e in dry["run"]["examples"]["updated"]] == ["Amy's Bird Sanctuary"]
    assert _records(world, "products", "name") == [] and len(_records(world, "contacts", "email")) == 1

    status, refused = _as(world, USER, "POST", f"/app/qbo/{realm}/sync-backfill",
                          body={"objects": ["contacts"], "dry_run": False})
    assert status == 422 and "Turn sync on" in refused["message"]
    status, _ = _as(world, SALESPERSON, "POST", f"/app/qbo/{realm}/sync-backfill",
                    body={"objects": ["contacts"], "dry_run": True})
    assert status == 403
    _turn_on(world, realm, "contacts")
    _turn_on(world, realm, "products")
    done = _backfill(world, realm, ["contacts", "products"], dry_run=False)
    assert done["run"]["counts"]["created"] == 5 and done["run"]["processed"] == 6
    assert len(_records(world, "products", "name")) == 4 and len(_records(world, "contacts", "email")) == 2


def test_cancel_stops_the_run(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    status, _ = _as(world, USER, "POST", f"/app/qbo/{realm}/sync-backfill", body={"objects": ["products"],
                                                                                  "dry_run": True})
    assert status == 200
    status, cancelled = _as(world, USER, "DELETE", f"/app/qbo/{realm}/sync-backfill")
    assert status == 200 and cancelled["run"]["status"] == "cancelled"
    _drain_sync_queue()
    status, progress = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-backfill")
    assert progress["run"]["status"] == "cancelled" and progress["run"]["processed"] == 0


def test_health_lists_failures_and_retry_clears_them(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    _turn_on(world, realm, "contacts")
    status, body = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/contacts/mappings",
                       body={"hubspot_property": "lifecyclestage", "qbo_field": "Notes"})
    assert status == 200, body
    qbo = qbo_client(world.portal_id, realm)
    amy = qbo.read("Customer", "1")
    amy = qbo.sparse_update("Customer", "1", amy["SyncToken"], {"Notes": "a keen birder"})
    _backfill(world, realm, ["contacts"], dry_run=False)
    status, health = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-health")
    assert status == 200
    contacts = next(o for o in health["objects"] if o["object"] == "contacts")
    assert [(f["qbo_id"], f["label"]) for f in contacts["failing"]] == [("1", "Amy's Bird Sanctuary")]
    assert "a keen birder" in contacts["failing"][0]["reason"]

    qbo.sparse_update("Customer", "1", amy["SyncToken"], {"Notes": "customer"})
    status, retried = _as(world, USER, "POST", f"/app/qbo/{realm}/sync-health/retry", body={"object": "contacts"})
    assert status == 200, retried
    assert retried["retried"] == 1 and retried["still_failing"] == []
    status, missing = _as(world, USER, "POST", f"/app/qbo/{realm}/sync-health/retry",
                          body={"object": "contacts", "qbo_id": "1"})
    assert status == 404 and "not failing" in missing["message"]


def test_an_ambiguous_match_waits_for_the_admin(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    first = world.create("products", {"name": "Hours", "price": "1"})
    world.create("products", {"name": "hours", "price": "2"})
    _turn_on(world, realm, "products")
    done = _backfill(world, realm, ["products"], dry_run=False)
    assert done["run"]["counts"]["needs_decision"] == 1
    status, health = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-health")
    products = next(o for o in health["objects"] if o["object"] == "products")
    decision = products["decisions"][0]
    assert decision["qbo_label"] == "Hours" and len(decision["candidates"]) == 2
    status, bad = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/products/decisions/{decision['qbo_id']}",
                      body={"hubspot_id": "999999"})
    assert status == 422 and "Pick one of the HubSpot records" in bad["message"]
    status, resolved = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/products/decisions/{decision['qbo_id']}",
                           body={"hubspot_id": first})
    assert status == 200, resolved
    prices = {p["id"]: p["properties"]["price"] for p in _records(world, "products", "name,price")}
    assert prices[first] == "50.00"
    status, health = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-health")
    assert next(o for o in health["objects"] if o["object"] == "products")["decisions"] == []


def test_an_ambiguous_match_resolved_by_creating_a_new_record(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    first = world.create("products", {"name": "Hours", "price": "1"})
    second = world.create("products", {"name": "hours", "price": "2"})
    _turn_on(world, realm, "products")
    assert _backfill(world, realm, ["products"], dry_run=False)["run"]["counts"]["needs_decision"] == 1
    _, health = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-health")
    decision = next(o for o in health["objects"] if o["object"] == "products")["decisions"][0]
    path = f"/app/qbo/{realm}/sync/products/decisions/{decision['qbo_id']}/new-record"

    status, refused = _as(world, SALESPERSON, "POST", path)
    assert status == 403 and "HubBooks admin" in refused["message"]
    status, missing = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/products/decisions/999/new-record")
    assert status == 404 and "No decision is waiting for QuickBooks record 999" in missing["message"]
    before = {p["id"] for p in _records(world, "products", "name")}
    status, resolved = _as(world, USER, "POST", path)
    assert status == 200, resolved
    made = {p["id"]: p["properties"] for p in _records(world, "products", "name,price")}
    [new_id] = set(made) - before
    assert made[new_id]["name"] == "Hours" and made[new_id]["price"] == "50.00"
    assert made[first]["price"] == "1" and made[second]["price"] == "2"
    assert new_id in resolved["outcome"]
    _, health = _as(world, USER, "GET", f"/app/qbo/{realm}/sync-health")
    assert next(o for o in health["objects"] if o["object"] == "products")["decisions"] == []
    status, again = _as(world, USER, "POST", path)
    assert status == 404, again

    # Later changes in QuickBooks go to the new record, not to either candidate.
    qbo = qbo_client(world.portal_id, realm)
    hours = qbo.read("Item", decision["qbo_id"])
    qbo.sparse_update("Item", decision["qbo_id"], hours["SyncToken"], {"UnitPrice": 65})
    assert _backfill(world, realm, ["products"], dry_run=False)["run"]["counts"]["needs_decision"] == 0
    prices = {p["id"]: p["properties"]["price"] for p in _records(world, "products", "name,price")}
    assert prices[new_id] == "65.00" and prices[first] == "1" and prices[second] == "2"
    assert len(prices) == len(before) + 1
