"""An ambiguous match resolved with "create a new record instead", through the local gateway: the backfill runs on
the sync queue, the decision is listed by sync health, and the new-record route is signed and for admins only."""

from __future__ import annotations

import dataclasses

import pytest
import requests

from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.demo.steps_sync import SyncScenario
from sandbox.stack import StackProcess

pytestmark = pytest.mark.e2e


def test_a_new_record_instead_of_the_ambiguous_candidates(stack: StackProcess) -> None:
    invoices = InvoiceScenario.set_up(stack)
    sync = SyncScenario(invoices)
    realm = sync.realm
    candidates = []
    for name in ("Hours", "hours"):
        made = requests.post(f"{stack.hubspot_url}/crm/v3/objects/products", timeout=30,
                             json={"properties": {"name": name, "price": "1"}},
                             headers={"Authorization": f"Bearer {sync.hubspot_token}"})
        assert made.status_code == 201, made.text
        candidates.append(made.json()["id"])
    sync.api("PUT", f"/app/qbo/{realm}/sync/products/behaviour", {"enabled": True})
    sync.api("POST", f"/app/qbo/{realm}/sync-backfill", {"objects": ["products"], "dry_run": False})
    sync.drain()
    health = sync.api("GET", f"/app/qbo/{realm}/sync-health")
    decision = next(o for o in health["objects"] if o["object"] == "products")["decisions"][0]
    assert sorted(c["hubspot_id"] for c in decision["candidates"]) == sorted(candidates)
    path = f"/app/qbo/{realm}/sync/products/decisions/{decision['qbo_id']}/new-record"

    assert requests.post(f"{stack.gateway_url}{path}", timeout=30).status_code == 401
    status, refused = dataclasses.replace(invoices, user_id=717171).fetch("POST", path)
    assert status == 403 and "HubBooks admin" in refused["message"], refused
    before = {r["id"] for r in sync.hubspot_records("products", "name")}
    resolved = sync.api("POST", path)
    [new_id] = {r["id"] for r in sync.hubspot_records("products", "name")} - before
    assert new_id in resolved["outcome"] and new_id not in candidates
    assert sync.synced("products", "name")[decision["qbo_id"]]["id"] == new_id
    status, gone = invoices.fetch("POST", path)
    assert status == 404 and "No decision is waiting" in gone["message"]
