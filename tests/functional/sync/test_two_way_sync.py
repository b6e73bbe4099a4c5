"""Two-way contact sync on both simulators and moto, through the settings API and the webhook worker: a HubSpot edit
reaches QuickBooks and QuickBooks' webhook for it writes nothing back; a QuickBooks edit reaches HubSpot and HubSpot's
webhook for it writes nothing to QuickBooks; a new HubSpot contact becomes one customer; a refused value is kept."""

from __future__ import annotations

import json
from typing import Any

import pytest
import webhook_worker_handler
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.qbo.sync_records import QboSyncRecords
from hubbooks.adapters.storage.sync_store import DynamoSyncFailures, DynamoSyncLinks
from hubbooks.adapters.wiring.reconcile import run_reconciliation
from hubbooks.config import get_settings
from hubbooks.domain.invoicing.ports import DisplayNameTakenError
from hubbooks.domain.sync.ports import QboRecordRefusedError, QboStaleRecordError
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.sync import SyncObject
from hubbooks.models.webhooks import HubSpotEvent, HubSpotEventBatch
from tests.functional.invoicing.conftest import USER, World
from tests.functional.sync.test_sync_engine import _turn_on
from tests.functional.sync.test_sync_engine import _webhook as _webhook_once
from tests.functional.sync.test_sync_settings_api import _as
from tests.support import HUBSPOT_APP_ID, LambdaContext

_event_ids = iter(range(1, 10_000))


def _hubspot_webhook(world: World, object_id: str, kind: str = "propertyChange", *, source: str = "CRM_UI",
                     source_id: str | None = "userId:7", type_id: str = "0-1", failed: bool = False) -> str:
    event_id = next(_event_ids)
    batch = HubSpotEventBatch(batch_id=f"hs-{event_id}", portal_id=world.portal_id, events=(HubSpotEvent(
        event_id=str(event_id), portal_id=world.portal_id, subscription_type=f"object.{kind}", object_type_id=type_id,
        object_id=int(object_id), change_source=source, source_id=source_id),))
    event = {"Records": [{"messageId": "m1", "receiptHandle": "r1", "body": batch.model_dump_json(), "attributes": {},
                          "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                          "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:WebhookQueue",
                          "awsRegion": "us-east-1"}]}
    if failed:  # the message's only record failed: the batch fails whole, so SQS delivers it again
        with pytest.raises(BatchProcessingError):
            webhook_worker_handler.lambda_handler(event, LambdaContext())
    else:
        assert webhook_worker_handler.lambda_handler(event, LambdaContext()) == {"batchItemFailures": []}
    return str(event_id)


def _qbo_webhook(world: World, realm: str, qbo_id: str) -> None:
    """QuickBooks says the customer changed (each call its own delivery: repeated ones are applied once)."""
    _webhook_once(world, realm, ("Customer", qbo_id, "Update"), ("Customer", qbo_id, f"Update {next(_event_ids)}"))


def _contact(world: World, contact_id: str) -> dict[str, Any]:
    return dict(world.hubspot("GET", f"/crm/v3/objects/contacts/{contact_id}?properties=email,firstname,lastname,"
                                     "hubbooks_qbo_ref,lastmodifieddate")["properties"])


def _two_way_contacts(world: World, realm: str, **behaviour: Any) -> None:
    _turn_on(world, realm, "contacts", direction="both", **behaviour)
    status, body = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/contacts/mappings/email",
                       body={"hubspot_property": "email", "qbo_field": "PrimaryEmailAddr.Address",
                             "transform": {"case": "lower"}, "owner": "hubspot"})
    assert status == 200 and body["mapping"]["owner"] == "hubspot", body
    run_reconciliation(ConnectionRef(portal_id=world.portal_id, realm_id=realm))  # links the existing records


def test_edits_travel_both_ways_and_never_echo(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    _two_way_contacts(world, realm)
    table = dynamodb_table(get_settings().app_table_name)
    link = DynamoSyncLinks(table).by_hubspot_ids(world.portal_id, realm, SyncObject.CONTACTS, [world.contact_id])
    qbo_id = link[world.contact_id].qbo_id
    qbo = qbo_client(world.portal_id, realm)
    before = qbo.read("Customer", qbo_id)

    # A user edits the e-mail in HubSpot (HubSpot owns it) and the last name (QuickBooks owns it).
    world.hubspot("PATCH", f"/crm/v3/objects/contacts/{world.contact_id}",
                  {"properties": {"email": "Birds@Sanctuary.test", "lastname": "Typo"}})
    _hubspot_webhook(world, world.contact_id)
    after = qbo.read("Customer", qbo_id)
    assert after["PrimaryEmailAddr"]["Address"] == "Birds@Sanctuary.test"
    assert after.get("FamilyName") == before.get("FamilyName")  # QuickBooks owns the name
    assert int(after["SyncToken"]) == int(before["SyncToken"]) + 1
    # QuickBooks' webhook for our own update: HubSpot is not written.
    stamp = _contact(world, world.contact_id)["lastmodifieddate"]
    _qbo_webhook(world, realm, qbo_id)
    assert _contact(world, world.contact_id)["lastmodifieddate"] == stamp

    # A bookkeeper edits the name in QuickBooks: HubSpot follows...
    qbo.sparse_update("Customer", qbo_id, after["SyncToken"], {"GivenName": "Birdie"})
    _qbo_webhook(world, realm, qbo_id)
    assert _contact(world, world.contact_id)["firstname"] == "Birdie"
    token = qbo.read("Customer", qbo_id)["SyncToken"]
    # ...and HubSpot's webhook for that write (our app's) or any later untagged event writes nothing to QuickBooks.
    _hubspot_webhook(world, world.contact_id, source="INTEGRATION", source_id=HUBSPOT_APP_ID)
    _hubspot_webhook(world, world.contact_id, source="API", source_id=None)
    assert qbo.read("Customer", qbo_id)["SyncToken"] == token


def test_new_contact_becomes_one_customer_and_a_refused_value_is_kept(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    _two_way_contacts(world, realm, on_hubspot_create_update="create_and_update")
    new_id = world.create("contacts", {"firstname": "Amy's Bird", "lastname": "Sanctuary",
                                       "email": "new.amy@example.test"})
    world.create("contacts", {"firstname": "x"})  # not in the webhook: untouched
    _hubspot_webhook(world, new_id, "creation")
    _hubspot_webhook(world, new_id, "creation")  # redelivered
    qbo = qbo_client(world.portal_id, realm)
    made = [c for c in qbo.query_all("SELECT * FROM Customer")
            if (c.get("PrimaryEmailAddr") or {}).get("Address") == "new.amy@example.test"]
    assert len(made) == 1, json.dumps(made)
    assert made[0]["DisplayName"] == "Amy's Bird Sanctuary (2)"  # the simulator's seed holds the plain name
    assert _contact(world, new_id)["hubbooks_qbo_ref"] == f"{realm}:{made[0]['Id']}"

    world.hubspot("PATCH", f"/crm/v3/objects/contacts/{new_id}", {"properties": {"email": "amy@"}})
    _hubspot_webhook(world, new_id)
    failures = DynamoSyncFailures(dynamodb_table(get_settings().app_table_name)).list(world.portal_id, realm,
                                                                                       SyncObject.CONTACTS)
    assert [f.qbo_id for f in failures] == [f"hs-{new_id}"] and "e-mail" in failures[0].reason
    world.hubspot("PATCH", f"/crm/v3/objects/contacts/{new_id}", {"properties": {"email": "amy@fixed.test"}})
    status, body = _as(world, USER, "POST", f"/app/qbo/{realm}/sync-health/retry",
                       body={"object": "contacts", "qbo_id": f"hs-{new_id}"})
    assert status == 200 and body["still_failing"] == [], body
    assert qbo.read("Customer", made[0]["Id"])["PrimaryEmailAddr"]["Address"] == "amy@fixed.test"


def test_two_way_settings_are_admin_only_and_refused_with_what_to_fix(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    status, body = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/products/behaviour",
                       body={"enabled": True, "direction": "both", "on_hubspot_create_update": "create_and_update"})
    assert status == 422 and "income_account_id" in str(body) and "update_linked_only" in body["message"]
    status, body = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/contacts/behaviour",
                       body={"enabled": False, "direction": "both"})
    assert status == 422 and "needs sync turned on" in body["message"]
    status, body = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/contacts/behaviour",
                       body={"enabled": True, "direction": "sideways"})
    assert status == 422, body
    status, body = _as(world, USER + 1, "PUT", f"/app/qbo/{realm}/sync/contacts/behaviour",
                       body={"enabled": True, "direction": "both"})
    assert status == 403, body
    status, body = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/contacts/behaviour",
                       body={"enabled": True, "direction": "both", "on_hubspot_delete": "deactivate"})
    assert status == 200 and body["behaviour"]["direction"] == "both", body
    assert body["behaviour"]["on_hubspot_delete"] == "deactivate"
    status, body = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/contacts/mappings/notes",
                       body={"hubspot_property": "hubbooks_qbo_notes", "qbo_field": "Balance", "owner": "hubspot"})
    assert status == 422 and "calculates Open balance" in body["message"], body


def test_quickbooks_faults_become_the_two_way_sync_errors(admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    records = QboSyncRecords(qbo_client(world.portal_id, realm))
    current = records.read_many("Customer", ["1", "2", "999"])
    assert set(current) == {"1", "2"}
    stale = str(int(current["1"]["SyncToken"]) - 1) if current["1"]["SyncToken"] != "0" else "7"
    with pytest.raises(QboStaleRecordError):
        records.update("Customer", "1", stale, {"Notes": "x"}, request_id="stale-1")
    with pytest.raises(DisplayNameTakenError):
        records.create("Customer", {"DisplayName": current["2"]["DisplayName"]}, request_id="dup-1")
    with pytest.raises(QboRecordRefusedError, match="colon"):
        records.update("Customer", "1", current["1"]["SyncToken"], {"DisplayName": "A:B"}, request_id="colon-1")
    first = records.create("Customer", {"DisplayName": "Once Only"}, request_id="once-1")
    assert records.create("Customer", {"DisplayName": "Once Only"}, request_id="once-1")["Id"] == first["Id"]
    assert records.display_names_starting("Once") == ["Once Only"]
    with pytest.raises(ValueError, match="customers and items"):
        records.read_many("Invoice", ["1"])
