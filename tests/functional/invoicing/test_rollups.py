"""Roll-ups on deals, contacts and companies against both simulators: a USD portal, a USD QuickBooks company with
multicurrency and a euro customer, invoices made in QuickBooks and linked from the card, a payment arriving by
webhook, and a void from the card."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.install_store import DynamoInstallStore
from hubbooks.config import get_settings
from hubbooks.models.hubspot_install import HubSpotInstall
from tests.functional.invoicing.conftest import USER, World, _connect_qbo
from tests.functional.invoicing.test_live_status import Webhooks, hooks, qbo_api, run_worker  # noqa: F401
from tests.support import LambdaContext

ROLLUPS = ("hubbooks_total_invoiced", "hubbooks_total_paid", "hubbooks_outstanding_balance",
           "hubbooks_overdue_amount", "hubbooks_overdue_invoices", "hubbooks_last_payment_date")


def properties(world: World, object_type: str, object_id: str) -> dict[str, Any]:
    answer = world.hubspot("GET", f"/crm/v3/objects/{object_type}/{object_id}?properties={','.join(ROLLUPS)}")
    return {name: answer["properties"].get(name) or "" for name in ROLLUPS}  # a cleared property reads null


def global_company(world: World) -> str:
    realm = str(requests.post(f"{world.qbo_url}/_sandbox/companies", timeout=10, json={
        "name": "Acme Global", "country": "US", "home_currency": "USD", "multicurrency": True}).json()["realm_id"])
    _connect_qbo(world.qbo_url, world.portal_id, realm, "Acme Global", "US", "USD", False)
    requests.post(f"{world.qbo_url}/_sandbox/companies/{realm}/exchange-rates", json={"EUR": 1.25}, timeout=10)
    return realm


def made_in_quickbooks(world: World, realm: str, customer: str, amount: str, **extra: Any) -> dict[str, Any]:
    return dict(qbo_api(world, realm, "POST", "invoice", {
        "CustomerRef": {"value": customer}, **extra,
        "Line": [{"Amount": amount, "DetailType": "SalesItemLineDetail",
                  "SalesItemLineDetail": {"ItemRef": {"value": "1"}}}]})["Invoice"])


def link(world: World, realm: str, object_type: str, object_id: str, *invoice_ids: str) -> None:
    status, linked, _ = world.call("POST", "/app/invoice-links", body={
        "realm_id": realm, "invoice_ids": list(invoice_ids), "object_type": object_type, "object_id": object_id})
    assert status == 200 and len(linked["linked"]) == len(invoice_ids), linked


def test_roll_ups_follow_links_payments_and_voids_with_foreign_invoices_converted(world: World,
                                                                                   hooks: Webhooks) -> None:  # noqa: F811
    DynamoInstallStore(dynamodb_table(get_settings().app_table_name)).save(HubSpotInstall(
        portal_id=world.portal_id, company_currency="USD", installed_at=datetime.now(UTC), installed_by_user_id=USER))
    realm = global_company(world)
    euro = qbo_api(world, realm, "POST", "customer", {"DisplayName": "Euro GmbH",
                                                      "CurrencyRef": {"value": "EUR"}})["Customer"]["Id"]
    usd = made_in_quickbooks(world, realm, "1", "300.00", DueDate="2020-01-31")  # long overdue
    eur = made_in_quickbooks(world, realm, euro, "200.00", CurrencyRef={"value": "EUR"}, ExchangeRate=1.25)
    assert eur["ExchangeRate"] == 1.25

    link(world, realm, "contact", world.contact_id, usd["Id"], eur["Id"])
    link(world, realm, "company", world.company_id, eur["Id"])
    link(world, realm, "deal", world.deal_id, usd["Id"])
    assert properties(world, "contacts", world.contact_id) == {
        "hubbooks_total_invoiced": "550.00", "hubbooks_total_paid": "0.00",  # 300 USD + 200 EUR x 1.25
        "hubbooks_outstanding_balance": "550.00", "hubbooks_overdue_amount": "300.00",
        "hubbooks_overdue_invoices": "1", "hubbooks_last_payment_date": ""}
    assert properties(world, "companies", world.company_id)["hubbooks_total_invoiced"] == "250.00"
    assert properties(world, "deals", world.deal_id)["hubbooks_overdue_amount"] == "300.00"

    payment = qbo_api(world, realm, "POST", "payment", {
        "CustomerRef": {"value": "1"}, "TotalAmt": "100.00", "TxnDate": "2026-09-14",
        "Line": [{"Amount": "100.00", "LinkedTxn": [{"TxnId": usd["Id"], "TxnType": "Invoice"}]}]})["Payment"]
    assert payment["Id"]
    result = run_worker(hooks.deliver())
    assert result == {"batchItemFailures": []}
    contact = properties(world, "contacts", world.contact_id)
    assert (contact["hubbooks_total_paid"], contact["hubbooks_outstanding_balance"]) == ("100.00", "450.00")
    assert contact["hubbooks_overdue_amount"] == "200.00" and contact["hubbooks_last_payment_date"] == "2026-09-14"
    assert properties(world, "deals", world.deal_id)["hubbooks_last_payment_date"] == "2026-09-14"

    status, voided, _ = world.call("POST", f"/app/qbo/{realm}/invoices/{eur['Id']}/void", body={"confirm": True})
    assert status == 200, voided
    assert properties(world, "contacts", world.contact_id)["hubbooks_total_invoiced"] == "300.00"
    assert properties(world, "companies", world.company_id) == {
        "hubbooks_total_invoiced": "0.00", "hubbooks_total_paid": "0.00", "hubbooks_outstanding_balance": "0.00",
        "hubbooks_overdue_amount": "0.00", "hubbooks_overdue_invoices": "0", "hubbooks_last_payment_date": ""}


def test_roll_ups_are_right_after_faults_in_both_simulators(world: World, hooks: Webhooks) -> None:  # noqa: F811
    """A payment arrives while QuickBooks fails, then while HubSpot refuses contact writes: each attempt fails its
    message, SQS redelivers it, and once both answer the roll-ups equal a fault-free run's, with one payment note."""
    realm = world.realms["us"]
    first = made_in_quickbooks(world, realm, "1", "500.00")
    second = made_in_quickbooks(world, realm, "1", "120.00")
    link(world, realm, "contact", world.contact_id, first["Id"], second["Id"])
    link(world, realm, "deal", world.deal_id, first["Id"])
    run_worker(hooks.deliver())  # the invoices' own creation events

    qbo_api(world, realm, "POST", "payment", {
        "CustomerRef": {"value": "1"}, "TotalAmt": "200.00", "TxnDate": "2026-09-20",
        "Line": [{"Amount": "200.00", "LinkedTxn": [{"TxnId": first["Id"], "TxnType": "Invoice"}]}]})
    messages = hooks.deliver()
    world.qbo("POST", "faults", {"status": 503, "rate": 1.0, "path_prefix": f"/v3/company/{realm}/query"})
    try:  # every message fails, so the whole batch goes back to the queue
        with pytest.raises(BatchProcessingError):
            run_worker(messages, LambdaContext(remaining_ms=2_000))
    finally:
        world.qbo("DELETE", "faults")
    requests.post(f"{world.hubspot_url}/_sandbox/faults", timeout=10,
                  json={"status": 500, "rate": 1.0, "path_prefix": "/crm/objects/2026-03/contacts"})
    try:
        with pytest.raises(BatchProcessingError):
            run_worker(messages, LambdaContext(remaining_ms=2_000))
    finally:
        requests.delete(f"{world.hubspot_url}/_sandbox/faults", timeout=10)
    assert run_worker(messages) == {"batchItemFailures": []}  # SQS redelivers once both answer

    assert properties(world, "contacts", world.contact_id) == {
        "hubbooks_total_invoiced": "620.00", "hubbooks_total_paid": "200.00",
        "hubbooks_outstanding_balance": "420.00", "hubbooks_overdue_amount": "0.00",
        "hubbooks_overdue_invoices": "0", "hubbooks_last_payment_date": "2026-09-20"}
    assert properties(world, "deals", world.deal_id)["hubbooks_outstanding_balance"] == "300.00"
    deal = world.hubspot("GET", f"/crm/v3/objects/deals/{world.deal_id}?associations=notes")
    assert len((deal.get("associations") or {}).get("notes", {}).get("results", [])) == 1
