"""The workers' code loaded on demand: every declared change applier and job resolves, a webhook batch's engine holds
only the appliers of its entity types (in application order), and importing a worker loads neither the contact and
product sync nor the reconciliation it does not need yet."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hubbooks.adapters.wiring.changes import APPLIER_MODULES, change_appliers
from hubbooks.adapters.wiring.jobs import JOB_FUNCTIONS, company_job, stack_runners
from hubbooks.models.jobs import JobKind

REPO = Path(__file__).resolve().parents[3]


# What the wiring's settings need to build clients (none is called).
STACK_ENVIRONMENT = {"APP_TABLE_NAME": "hubbooks-unit", "IDEMPOTENCY_TABLE_NAME": "hubbooks-idempotency",
                     "TOKEN_KEY_ID": "key", "HUBSPOT_APP_SECRET_ARN": "arn:hs", "QBO_APP_SECRET_ARN": "arn:qbo",
                     "PUBLIC_BASE_URL": "https://api.example.com"}


@pytest.fixture
def _table_name(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in STACK_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)


@pytest.mark.usefixtures("_table_name")
def test_every_declared_entity_type_resolves_to_its_applier_in_declaration_order() -> None:
    registry = change_appliers()
    assert registry.entities == list(APPLIER_MODULES)
    for entity in APPLIER_MODULES:
        applier = registry.get(entity)
        assert applier is not None and applier.entity == entity
        assert type(applier).__module__.startswith("hubbooks.domain."), applier


@pytest.mark.usefixtures("_table_name")
def test_a_batch_engine_holds_the_appliers_of_its_types_only_and_leaves_undeclared_ones_out() -> None:
    registry = change_appliers(entities={"Payment", "Item", "Invoice", "Estimate"})
    assert registry.entities == ["Invoice", "Payment", "Item"]
    assert not registry.handles("Customer") and not registry.handles("Estimate")


@pytest.mark.usefixtures("_table_name")
def test_every_job_kind_has_a_declared_function_that_resolves() -> None:
    assert set(JOB_FUNCTIONS) == set(JobKind)
    for kind in JobKind:
        assert callable(company_job(kind)), kind
    from hubbooks.adapters.aws.clients import dynamodb_table

    assert set(stack_runners(dynamodb_table("hubbooks-unit"))) == set(JobKind)
    assert set(stack_runners(dynamodb_table("hubbooks-unit"), kinds=(JobKind.OVERDUE_CHECK,))) == {
        JobKind.OVERDUE_CHECK}


PROBE = """
import json, sys
import {handler}
print(json.dumps(sorted(m for m in sys.modules if m.startswith("hubbooks."))))
"""


@pytest.mark.parametrize(("folder", "handler", "absent"), [
    ("webhooks", "webhook_worker_handler", ["hubbooks.domain.sync.applier", "hubbooks.adapters.wiring.invoice_appliers",
                                            "hubbooks.adapters.wiring.reconcile",
                                            # the invoicing stack and HubSpot's client load with the invoice appliers:
                                            # a batch of customers, items or HubSpot events needs neither
                                            "hubbooks.adapters.wiring.live_status", "hubbooks.adapters.qbo.invoicing",
                                            "hubbooks.adapters.hubspot.factory", "hubbooks.models.payments",
                                            # the connect and install flows' state signing: the HTTP functions' own
                                            "hubbooks.domain.connect.qbo_connect", "hubbooks.adapters.derived_keys"]),
    ("sync", "sync_worker_handler", ["hubbooks.domain.sync.applier", "hubbooks.adapters.wiring.reconcile",
                                     "hubbooks.adapters.wiring.invoicing_jobs", "hubbooks.domain.sync.backfill",
                                     "hubbooks.adapters.wiring.autolink_backfill",
                                     # a keep-alive or a backfill page needs neither the live-status ports nor the
                                     # change engine: the overdue check's and the reconciliation's code load them
                                     "hubbooks.adapters.wiring.webhooks", "hubbooks.domain.changes.engine",
                                     "hubbooks.adapters.hubspot.factory"]),
])
def test_importing_a_worker_loads_no_applier_nor_job_code(folder: str, handler: str, absent: list[str]) -> None:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "layers" / "shared"),
                                                                str(REPO / "functions" / folder)])}
    done = subprocess.run([sys.executable, "-c", PROBE.format(handler=handler)], env=environment, capture_output=True,
                          text=True, timeout=120, check=True)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert not loaded & set(absent), sorted(loaded & set(absent))


def test_an_invoice_batch_appliers_load_the_sync_links_but_none_of_the_sync_models_nor_the_backfills() -> None:
    """Auto-linking reads the sync's record links: those have modules of their own (models/record_link.py,
    adapters/storage/sync_link_store.py), so an invoice batch does not define the sync's settings models."""
    environment = {**os.environ, "PYTHONPATH": str(REPO / "layers" / "shared")}
    done = subprocess.run([sys.executable, "-c", PROBE.format(handler="hubbooks.adapters.wiring.invoice_appliers")],
                          env=environment, capture_output=True, text=True, timeout=120, check=True)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "hubbooks.adapters.storage.sync_link_store" in loaded
    absent = {"hubbooks.models.sync", "hubbooks.adapters.storage.sync_store", "hubbooks.domain.sync.ports",
              # nor the invoice backfill's run record: only the per-company switch (models/autolink_settings.py)
              "hubbooks.models.autolink", "hubbooks.adapters.storage.run_records"}
    assert not loaded & absent, sorted(loaded & absent)


# The invoice wizard's models and adapters (customers, products, tax codes, terms, the deal's records, drafts), the
# HubSpot client's property definitions and owners (the install, the sync settings, approvals), and the install's code
# exchange: only HTTP routes use them, so neither worker's typical message defines them.
ROUTE_ONLY_MODULES = {"hubbooks.models.invoice_wizard", "hubbooks.adapters.qbo.invoice_wizard",
                      "hubbooks.adapters.hubspot.wizard_crm", "hubbooks.domain.invoicing.customer_matching",
                      "hubbooks.models.hubspot_properties", "hubbooks.adapters.hubspot.properties",
                      "hubbooks.adapters.hubspot.owners", "hubbooks.models.owners", "hubbooks.models.hubspot_install",
                      "hubbooks.adapters.storage.install_store", "hubbooks.models.hubspot_upserts"}


@pytest.mark.parametrize("module", [
    "webhook_worker_handler",
    "hubbooks.adapters.wiring.invoice_appliers",  # an invoice batch's appliers (the webhook worker's first message)
    "hubbooks.adapters.wiring.invoicing_jobs",  # the overdue check (the sync worker's hourly job)
    "sync_worker_handler",
])
def test_the_workers_typical_messages_load_none_of_the_routes_own_code(module: str) -> None:
    """Nor, for a webhook batch, the finance user's money-waiting reminders (the scheduled invoice job's own)."""
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO / "layers" / "shared"),
                                                                str(REPO / "functions" / "webhooks"),
                                                                str(REPO / "functions" / "sync")])}
    done = subprocess.run([sys.executable, "-c", PROBE.format(handler=module)], env=environment, capture_output=True,
                          text=True, timeout=120, check=True)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert not loaded & ROUTE_ONLY_MODULES, sorted(loaded & ROUTE_ONLY_MODULES)
    if "invoicing_jobs" not in module:
        assert "hubbooks.models.money_waiting" not in loaded
    # nor the company jobs (token keep-alive, profile refresh) with the QuickBooks clients they share a factory with
    assert not loaded & {"hubbooks.adapters.qbo.company_jobs", "hubbooks.models.qbo_company"}
    # nor the portal's account details: the install reads them, and a message only once the portal's cached currency
    # has run out (HubSpotClient.account is built on first use)
    assert not loaded & {"hubbooks.adapters.hubspot.account", "hubbooks.models.hubspot_account"}


SYNC_BATCH_ENGINE = """
import json, sys
from hubbooks.adapters.wiring.webhooks import webhook_change_engine
webhook_change_engine({"Customer", "Item"})
print(json.dumps(sorted(m for m in sys.modules if m.startswith("hubbooks."))))
"""


def test_a_batch_of_customers_and_items_loads_neither_the_invoicing_stack_nor_its_appliers() -> None:
    environment = {**os.environ, **STACK_ENVIRONMENT, "PYTHONPATH": str(REPO / "layers" / "shared"),
                   "AWS_DEFAULT_REGION": "us-east-1"}
    done = subprocess.run([sys.executable, "-c", SYNC_BATCH_ENGINE], env=environment, capture_output=True, text=True,
                          timeout=120, check=True)
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "hubbooks.adapters.wiring.sync_appliers" in loaded
    # (the sync's own QuickBooks catalogue reads companies through adapters/qbo/invoicing.py: that one may load)
    invoicing = {"hubbooks.adapters.wiring.invoice_appliers", "hubbooks.adapters.wiring.live_status",
                 "hubbooks.adapters.hubspot.timeline", "hubbooks.adapters.storage.payment_note_store",
                 "hubbooks.adapters.storage.invoice_link_store"}
    assert not loaded & invoicing, sorted(loaded & invoicing)
