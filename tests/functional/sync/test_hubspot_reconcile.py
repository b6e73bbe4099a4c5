"""The HubSpot side of the scheduled reconciliation on both simulators and moto: HubSpot edits no webhook carried (a
custom mapping's property, which the project does not subscribe to; an edit made while the webhook route was down)
reach QuickBooks after the reconcile job, and records only our own sync touched cause no QuickBooks write."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.qbo.factory import qbo_client
from hubbooks.adapters.storage.hubspot_bookmark_store import DynamoHubSpotBookmarks
from hubbooks.adapters.storage.sync_store import DynamoSyncLinks
from hubbooks.adapters.wiring import reconcile as reconcile_wiring
from hubbooks.adapters.wiring.reconcile import run_reconciliation
from hubbooks.config import get_settings
from hubbooks.domain.sync.hubspot_changes import HubSpotReconcileReport, ObjectReport
from hubbooks.models.changes import CompanyScope
from hubbooks.models.connections import ConnectionRef
from hubbooks.models.sync import SyncObject
from tests.functional.invoicing.conftest import USER, World
from tests.functional.sync.test_sync_engine import _turn_on
from tests.functional.sync.test_sync_settings_api import _as
from tests.functional.sync.test_two_way_sync import _qbo_webhook

ROOT = Path(__file__).resolve().parents[3]
CUSTOM_PROPERTY = "accounting_fax"


def _subscribed_contact_properties() -> set[str]:
    meta = json.loads((ROOT / "hubspot/src/app/webhooks/webhooks-hsmeta.json").read_text())
    return {s["propertyName"] for s in meta["config"]["subscriptions"]["crmObjects"]
            if s["objectType"] == "contact" and s.get("propertyName")}


def _reconcile(world: World, realm: str) -> str:
    return run_reconciliation(ConnectionRef(portal_id=world.portal_id, realm_id=realm))


def _two_way_with_a_custom_mapping(world: World, realm: str) -> str:
    """Contacts both ways, e-mail owned by HubSpot, and a custom HubSpot property mapped to the customer's fax."""
    world.hubspot("POST", "/crm/v3/properties/contacts", {
        "name": CUSTOM_PROPERTY, "label": "Accounting fax", "type": "string", "fieldType": "text",
        "groupName": "contactinformation"})
    _turn_on(world, realm, "contacts", direction="both")
    for mapping_id, body in (("email", {"hubspot_property": "email", "qbo_field": "PrimaryEmailAddr.Address",
                                        "owner": "hubspot"}),):
        status, answer = _as(world, USER, "PUT", f"/app/qbo/{realm}/sync/contacts/mappings/{mapping_id}", body=body)
        assert status == 200, answer
    status, answer = _as(world, USER, "POST", f"/app/qbo/{realm}/sync/contacts/mappings",
                         body={"hubspot_property": CUSTOM_PROPERTY, "qbo_field": "Fax.FreeFormNumber",
                               "owner": "hubspot"})
    assert status in (200, 201), answer
    outcome = _reconcile(world, realm)  # links the existing records (and writes our reference on them)
    assert "HubSpot contacts:" in outcome, outcome
    links = DynamoSyncLinks(dynamodb_table(get_settings().app_table_name)).by_hubspot_ids(
        world.portal_id, realm, SyncObject.CONTACTS, [world.contact_id])
    return links[world.contact_id].qbo_id


def _tokens(world: World, realm: str) -> dict[str, str]:
    return {c["Id"]: c["SyncToken"] for c in qbo_client(world.portal_id, realm).query_all("SELECT * FROM Customer")}


def test_a_custom_mapped_property_edited_in_hubspot_reaches_quickbooks_after_the_reconcile_job(
        admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    assert CUSTOM_PROPERTY not in _subscribed_contact_properties()  # so HubSpot never sends a webhook for it
    qbo_id = _two_way_with_a_custom_mapping(world, realm)
    world.hubspot("PATCH", f"/crm/v3/objects/contacts/{world.contact_id}",
                  {"properties": {CUSTOM_PROPERTY: "555-0142"}})
    outcome = _reconcile(world, realm)
    assert "1 updated in QuickBooks" in outcome, outcome
    customer: dict[str, Any] = qbo_client(world.portal_id, realm).read("Customer", qbo_id)
    assert customer["Fax"]["FreeFormNumber"] == "555-0142"
    bookmark = DynamoHubSpotBookmarks(dynamodb_table(get_settings().app_table_name)).get(
        CompanyScope(portal_id=world.portal_id, realm_id=realm), SyncObject.CONTACTS)
    assert bookmark is not None and bookmark.recent  # the record applied is remembered for the overlap


def test_an_edit_made_while_webhooks_were_down_reaches_quickbooks_and_our_own_writes_send_nothing(
        admin_world: World) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    qbo_id = _two_way_with_a_custom_mapping(world, realm)
    before = _tokens(world, realm)
    # Nothing changed since: the records our sync linked (and wrote our reference on) send nothing.
    _reconcile(world, realm)
    assert _tokens(world, realm) == before

    # The webhook route is down (this stack's simulator delivers none): a user's e-mail edit is only in HubSpot.
    world.hubspot("PATCH", f"/crm/v3/objects/contacts/{world.contact_id}",
                  {"properties": {"email": "birds@new-address.test"}})
    outcome = _reconcile(world, realm)
    assert "1 updated in QuickBooks" in outcome, outcome
    qbo = qbo_client(world.portal_id, realm)
    assert qbo.read("Customer", qbo_id)["PrimaryEmailAddr"]["Address"] == "birds@new-address.test"
    written = _tokens(world, realm)
    assert {k for k in written if written[k] != before[k]} == {qbo_id}

    # A bookkeeper edits the name in QuickBooks; QuickBooks' webhook writes it to HubSpot (bumping its modified
    # date). The next reconciliation finds HubSpot holding QuickBooks' values and writes nothing to QuickBooks.
    qbo.sparse_update("Customer", qbo_id, written[qbo_id], {"GivenName": "Birdie"})
    _qbo_webhook(world, realm, qbo_id)
    contact = world.hubspot("GET", f"/crm/v3/objects/contacts/{world.contact_id}?properties=firstname")
    assert contact["properties"]["firstname"] == "Birdie"
    after_edit = _tokens(world, realm)
    outcome = _reconcile(world, realm)
    assert _tokens(world, realm) == after_edit, outcome


def test_a_run_stopped_for_time_after_some_progress_queues_the_company_again(
        admin_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    world, realm = admin_world, admin_world.realms["us"]
    scope = CompanyScope(portal_id=world.portal_id, realm_id=realm)

    class Stopped:
        def reconcile(self, _scope: CompanyScope) -> HubSpotReconcileReport:
            return HubSpotReconcileReport(scope=scope, objects=[
                ObjectReport(sync_object=SyncObject.CONTACTS, checked=50, stopped_for_time=True)])

    monkeypatch.setattr(reconcile_wiring, "hubspot_reconciliation", Stopped)
    outcome = _reconcile(world, realm)
    assert "stopped for time" in outcome and "queued again" in outcome, outcome
    sqs = aws_client("sqs")
    queued = sqs.receive_message(QueueUrl=get_settings().sync_queue_url or "", MaxNumberOfMessages=10)["Messages"]
    bodies = [json.loads(m["Body"]) for m in queued]
    assert [(b["job"], b["portal_id"], b["realm_id"]) for b in bodies] == [("reconcile", world.portal_id, realm)]
