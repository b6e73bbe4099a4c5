"""The contact and product sync through the change engine, on both simulators and moto: the scheduled
reconciliation's full read, a live QuickBooks webhook, a deleted customer, and a webhook missed and repaired."""

from __future__ import annotations

import json
from typing import Any

import webhook_worker_handler

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.storage.sync_store import DynamoSyncFailures
from hubbooks.adapters.wiring.reconcile import run_reconciliation
from hubbooks.config import get_settings
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.sync import SyncObject
from hubbooks.models.webhooks import QboChangeBatch, QboEntityChange
from tests.functional.invoicing.conftest import USER, World
from tests.functional.sync.test_sync_settings_api import _as
from tests.support import LambdaContext


def _turn_on(world: World, realm: str, sync_object: str, **behaviour: Any) -> None:
    status, body = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/{sync_object}/behaviour",
                       body={"enabled": True, **behaviour})
    assert status == 200, body


def _records(world: World, object_type: str, properties: str) -> list[dict[str, Any]]:
    return list(world.hubspot("GET", f"/crm/v3/objects/{object_type}?limit=100&properties={properties}")["results"])


def _webhook(world: World, realm: str, *changes: tuple[str, str, str]) -> None:
    batch = QboChangeBatch(batch_id=f"b-{changes}", realm_id=realm, changes=tuple(
        QboEntityChange(event_id=f"e-{n}", realm_id=realm, entity=entity, entity_id=entity_id, operation=operation)
        for n, (entity, entity_id, operation) in enumerate(changes)))
    event = {"Records": [{"messageId": "m1", "receiptHandle": "r1", "body": batch.model_dump_json(), "attributes": {},
                          "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                          "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:WebhookQueue",
                          "awsRegion": "us-east-1"}]}
    assert webhook_worker_handler.lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}


def test_reconciliation_backfills_then_webhooks_keep_hubspot_in_step(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    _turn_on(world, realm, "contacts")
    _turn_on(world, realm, "products", on_delete="archive")
    report = run_reconciliation(ConnectionRef(portal_id=world.portal_id, realm_id=realm))
    assert "Customer" in report and "Item" in report, report

    contacts = {c["properties"]["email"]: c for c in _records(world, "contacts", "email,firstname,hubbooks_qbo_ref")}
    assert set(contacts) == {"birds@intuit.com", "surf@intuit.com"}  # the existing contact matched, not duplicated
    assert contacts["birds@intuit.com"]["id"] == world.contact_id
    assert contacts["surf@intuit.com"]["properties"]["hubbooks_qbo_ref"] == f"{realm}:2"
    products = {p["properties"]["name"]: p for p in _records(world, "products", "name,price,hubbooks_qbo_item_type")}
    assert set(products) == {"Services", "Hours", "Consulting", "Widget"}
    assert products["Consulting"]["properties"]["price"] == "150.00"

    qbo = qbo_client(world.portal_id, realm)
    bill = qbo.read("Customer", "2")
    qbo.sparse_update("Customer", "2", bill["SyncToken"], {"GivenName": "William", "Mobile": {"FreeFormNumber":
                                                                                            "07700 900123"}})
    _webhook(world, realm, ("Customer", "2", "Update"))
    _webhook(world, realm, ("Customer", "2", "Update"))  # delivered twice: changes nothing more
    william = {c["properties"]["email"]: c for c in _records(world, "contacts", "email,firstname,mobilephone")}
    assert william["surf@intuit.com"]["properties"]["firstname"] == "William"
    assert william["surf@intuit.com"]["properties"]["mobilephone"] == "07700 900123"

    widget = qbo.read("Item", "4")
    qbo.sparse_update("Item", "4", widget["SyncToken"], {"Active": False})  # a webhook we never receive
    report = run_reconciliation(ConnectionRef(portal_id=world.portal_id, realm_id=realm))
    names = {p["properties"]["name"] for p in _records(world, "products", "name")}
    assert names == {"Services", "Hours", "Consulting"}, report  # archived, as the products behaviour says


def test_a_value_hubspot_refuses_is_kept_with_its_reason_and_the_rest_syncs(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    _turn_on(world, realm, "contacts")
    status, body = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/contacts/mappings",
                       body={"hubspot_property": "lifecyclestage", "qbo_field": "Notes"})
    assert status == 200, body
    qbo = qbo_client(world.portal_id, realm)
    amy = qbo.read("Customer", "1")
    qbo.sparse_update("Customer", "1", amy["SyncToken"], {"Notes": "not a stage"})
    _webhook(world, realm, ("Customer", "1", "Update"), ("Customer", "2", "Create"))
    emails = {c["properties"]["email"] for c in _records(world, "contacts", "email")}
    assert "surf@intuit.com" in emails
    failures = DynamoSyncFailures(dynamodb_table(get_settings().app_table_name)).list(world.portal_id, realm,
                                                                                       SyncObject.CONTACTS)
    assert [(f.qbo_id, f.label) for f in failures] == [("1", "Amy's Bird Sanctuary")]
    assert "has no option" in failures[0].reason, json.dumps(failures[0].model_dump(mode="json"))
