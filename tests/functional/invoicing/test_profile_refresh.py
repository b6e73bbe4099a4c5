"""A company's stored profile follows QuickBooks: turning on custom transaction numbers after connecting reaches the
card (and the settings page's list) through the Preferences webhook, and the scheduled refresh catches a missed one."""

from __future__ import annotations

import json
from typing import Any

import sync_worker_handler

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.config import get_settings
from tests.functional.invoicing.conftest import World
from tests.functional.invoicing.test_live_status import Webhooks, qbo_api, run_worker
from tests.functional.test_webhooks import _sqs_event
from tests.support import LambdaContext


def _turn_on_custom_numbers(world: World, realm: str) -> None:
    current = qbo_api(world, realm, "GET", "preferences")["Preferences"]
    qbo_api(world, realm, "POST", "preferences", {"Id": current["Id"], "SyncToken": current["SyncToken"],
                                                  "sparse": True, "SalesFormsPrefs": {"CustomTxnNumbers": True}})


def _us_choice(world: World) -> dict[str, Any]:
    status, card, _ = world.call("GET", f"/app/cards/deal/{world.deal_id}")
    assert status == 200, card
    return next(c for c in card["companies"] if c["realm_id"] == world.realms["us"])


def _stored(world: World, realm: str) -> Any:
    return DynamoConnectionStore(dynamodb_table(get_settings().app_table_name)).get(world.portal_id, realm)


def test_a_preferences_webhook_refreshes_the_stored_profile(world: World) -> None:
    hooks = Webhooks(world)
    realm = world.realms["us"]
    assert _us_choice(world)["can_create_invoices"]
    _turn_on_custom_numbers(world, realm)

    assert run_worker(hooks.deliver()) == {"batchItemFailures": []}

    assert _stored(world, realm).custom_txn_numbers
    choice = _us_choice(world)
    assert not choice["can_create_invoices"] and "number" in (choice["blocked_reason"] or "").lower(), choice


def test_the_scheduled_refresh_catches_a_change_whose_webhook_was_missed(world: World) -> None:
    realm = world.realms["us"]
    _turn_on_custom_numbers(world, realm)  # no webhook delivered: the app's webhook URL is not ours here
    message = {"MessageId": "m-profile", "ReceiptHandle": "r", "MD5OfBody": "",
               "Body": json.dumps({"job": "profile_refresh", "portal_id": world.portal_id, "realm_id": realm,
                                   "scheduled_at": "2026-01-01T00:00:00Z"})}

    answer = sync_worker_handler.lambda_handler(_sqs_event([message]), LambdaContext())

    assert answer == {"batchItemFailures": []}
    assert _stored(world, realm).custom_txn_numbers
    assert not _us_choice(world)["can_create_invoices"]


def test_a_refresh_never_resurrects_a_company_disconnected_meanwhile(world: World) -> None:
    store = DynamoConnectionStore(dynamodb_table(get_settings().app_table_name))
    realm = world.realms["us"]
    connection = store.get(world.portal_id, realm)
    store.save(connection.model_copy(update={"status": "disconnected"}))

    assert not store.update_profile(world.portal_id, realm, {"custom_txn_numbers": True})
    assert store.get(world.portal_id, realm).status == "disconnected"
