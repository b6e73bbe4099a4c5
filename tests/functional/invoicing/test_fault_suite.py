"""Nothing lost, nothing twice (issue 11): the problems found by a hostile operator, reproduced, and the bounded
fault suite (one seeded case; `make bench` runs more and prints the figures)."""

from __future__ import annotations

import os
import random

import pytest
import requests

from hubbooks.adapters.aws.clients import aws_client
from hubbooks.config import get_settings
from scripts import redrive
from tests.functional.invoicing.conftest import World
from tests.functional.invoicing.fault_suite import (
    Bookkeeper,
    FaultPlan,
    Figures,
    assert_converged,
    faults_off,
    listen_for_webhooks,
    reconcile,
    run_case,
    submit_invoice,
    webhook_storm,
    work_off,
)
from tests.functional.test_webhooks import _drain

FIGURES = Figures()


def _seeds() -> list[int]:
    return list(range(int(os.environ.get("HUBBOOKS_FAULT_CASES", "1"))))


@pytest.mark.parametrize("seed", _seeds())
def test_after_random_faults_clear_and_reconciliation_runs_the_end_state_is_the_fault_free_one(
        world: World, seed: int) -> None:
    run_case(world, FaultPlan(seed=seed, qbo_status=(429, 500, 503)[seed % 3],
                              hubspot_status=(503, 429, 502)[seed % 3]), FIGURES)
    print(f"\nfault suite: {FIGURES.line()}")  # the benchmark reads this line


def test_updates_dead_lettered_during_a_long_hubspot_outage_are_applied_by_the_reconciliation(world: World) -> None:
    """Problem 1: HubSpot answers 429 for longer than the queue's redrive allows; the messages are dead-lettered.
    Today nothing ever applies them (0 of 2 notes, the deal still 'waiting to be sent'); now the scheduled
    reconciliation does."""
    realm = world.realms["us"]
    keeper = Bookkeeper(world, realm)
    listen_for_webhooks(world)
    assert submit_invoice(world, realm, "200", "outage-0001") == 200
    figures, seen, rng = Figures(), set[str](), random.Random(2)
    work_off(webhook_storm(world, seen, rng, figures), figures)
    (invoice,) = [i for i in keeper.rows("Invoice") if "HubBooks reference" in (i.get("PrivateNote") or "")]
    requests.post(f"{world.hubspot_url}/_sandbox/faults", json={"status": 429, "rate": 1.0, "path_prefix": "/crm/"},
                  timeout=10)
    keeper.pay(str(invoice["Id"]), "50.00")
    keeper.pay(str(invoice["Id"]), "30.00")
    work_off(webhook_storm(world, seen, rng, figures), figures)
    assert figures.dead_lettered >= 1, "the outage outlasted the redrive policy"
    faults_off(world, figures)
    assert world.deal_properties()["hubbooks_invoice_status"] == "waiting_to_be_sent"  # what the issue saw
    status, health, _ = world.call("GET", f"/app/qbo/{realm}/sync-health")
    assert status == 200 and not health["healthy"], health
    assert any("could not be applied after 5 attempts" in line and "make redrive QUEUE=webhook" in line
               for line in health["summary"]), health["summary"]

    reconcile(world)
    assert world.deal_properties()["hubbooks_invoice_status"] == "partially_paid"
    assert_converged(world, keeper, expected_invoices=1)

    # The operator re-drives the dead letters afterwards: applying them again changes nothing.
    dead_letters = get_settings().webhook_dead_letter_queue_url or ""
    assert redrive.copy_back(aws_client("sqs"), dead_letters).moved == figures.dead_lettered
    work_off(_drain(), figures)
    assert_converged(world, keeper, expected_invoices=1)
    status, health, _ = world.call("GET", f"/app/qbo/{realm}/sync-health")
    assert health["healthy"] and health["last_reconciliation"]["succeeded"], health
