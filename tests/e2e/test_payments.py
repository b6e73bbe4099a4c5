"""Payments recorded in the QuickBooks simulator make invoice status live through the local gateway: signed
webhooks, the webhook queue, the worker, the card, the deal's fields and its timeline."""

from __future__ import annotations

import io

import pytest

from sandbox.demo import steps_invoices, steps_payments
from sandbox.demo.framework import Demo, run_steps
from sandbox.demo.steps_invoices import InvoiceScenario
from sandbox.demo.steps_payments import PaymentScenario
from sandbox.stack import StackProcess

pytestmark = pytest.mark.e2e


def test_every_payment_demo_step_succeeds(stack: StackProcess) -> None:
    out = io.StringIO()
    demo = Demo(stack=stack, out=out, facts={"hubspot_app_id": stack.hubspot_app["app_id"]})
    failed = run_steps(demo, [steps_invoices.STEPS[0], *steps_payments.STEPS])
    assert failed == 0, out.getvalue()


def test_partial_then_full_payment_with_one_note_per_payment_even_after_redelivery(stack: StackProcess) -> None:
    scenario = PaymentScenario.set_up(InvoiceScenario.set_up(stack), amount="300")
    assert scenario.card_invoice()["status"] == "waiting_to_be_sent"
    assert scenario.deal_fields()["hubbooks_invoice_status"] == "waiting_to_be_sent"

    scenario.pay("100.00", PaymentRefNum="WIRE-7")
    deliveries = scenario.deliver_webhooks()
    assert scenario.card_invoice()["status"] == "partially_paid"
    assert scenario.deal_fields()["hubbooks_invoice_status"] == "partially_paid"
    notes = scenario.payment_notes()
    assert len(notes) == 1 and "100.00 USD" in notes[0] and "WIRE-7" in notes[0]

    assert scenario.redeliver(scenario.payment_delivery(deliveries)) == 200
    assert len(scenario.payment_notes()) == 1

    scenario.pay("200.00")
    scenario.deliver_webhooks()
    assert scenario.card_invoice()["status"] == "paid"
    assert scenario.deal_fields()["hubbooks_invoice_status"] == "paid"
    assert len(scenario.payment_notes()) == 2
    failures = [i for i in stack.invocations(function="WebhookWorkerFunction", trigger="sqs") if i["status"] != "ok"]
    assert failures == []
