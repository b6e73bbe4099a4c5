"""Payments: applying money to invoices lowers their Balance and links the payment on both sides."""

from __future__ import annotations

from decimal import Decimal

from sandbox.qbo.company import Entity, currency_ref
from sandbox.qbo.entities.base import (
    Ctx,
    EntityKind,
    account_ref,
    money,
    number,
    ref_value,
    register,
    resolve_ref,
    to_decimal,
)
from sandbox.qbo.entities.names import recompute_customer_balance
from sandbox.qbo.entities.sales import applied_payments
from sandbox.qbo.faults import business, required
from sandbox.qbo.timefmt import local_date

PAYMENT_FIELDS = frozenset({
    "TxnDate", "PrivateNote", "Line", "CustomerRef", "DepositToAccountRef", "PaymentMethodRef", "PaymentRefNum",
    "TotalAmt", "UnappliedAmt", "ProcessPayment", "CurrencyRef", "ExchangeRate", "ARAccountRef", "TxnSource",
    "CreditCardPayment", "LinkedTxn",
})


def build_payment(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    company = ctx.company
    if not ref_value(data.get("CustomerRef")):
        raise required("CustomerRef")
    if data.get("TotalAmt") in (None, ""):
        raise required("TotalAmt")
    customer, customer_ref = resolve_ref(ctx, "Customer", data["CustomerRef"], "CustomerRef")
    total = to_decimal(data["TotalAmt"], "TotalAmt")
    if total < 0:
        raise business("The payment amount can't be negative.", element="TotalAmt")
    currency = ref_value(data.get("CurrencyRef")) or ref_value(customer.get("CurrencyRef")) or company.home_currency
    if currency != (ref_value(customer.get("CurrencyRef")) or company.home_currency):
        raise business("The currency of the transaction must match the currency of the customer.",
                       element="CurrencyRef")
    lines: list[Entity] = []
    applied = Decimal("0")
    for raw in data.get("Line") or []:
        if not isinstance(raw, dict):
            continue
        amount = to_decimal(raw.get("Amount", 0), "Line.Amount")
        links = []
        for link in raw.get("LinkedTxn") or []:
            txn_type = str(link.get("TxnType") or "")
            txn_id = str(link.get("TxnId") or "")
            if txn_type not in ("Invoice", "CreditMemo"):
                raise business(f"A payment can't be linked to a {txn_type or 'blank'} transaction.",
                               element="Line.LinkedTxn")
            target, _ = resolve_ref(ctx, txn_type, {"value": txn_id}, "Line.LinkedTxn.TxnId", active_only=False)
            if ref_value(target.get("CustomerRef")) != customer_ref["value"]:
                raise business("The transaction you're linking belongs to a different customer.",
                               element="Line.LinkedTxn")
            if txn_type == "Invoice":
                already, _ = applied_payments(company, txn_id)
                mine = _applied_by(old, txn_id) if old else Decimal("0")
                open_amount = Decimal(str(target.get("TotalAmt", 0))) - (already - mine)
                if amount > open_amount + Decimal("0.005"):
                    raise business(f"The amount applied to invoice {txn_id} is more than its open balance.",
                                   element="Line.Amount")
            links.append({"TxnId": txn_id, "TxnType": txn_type})
        applied += amount
        lines.append({"Amount": money(amount), "LinkedTxn": links})
    if applied > total + Decimal("0.005"):
        raise business("The amount applied to transactions is more than the payment amount.", element="TotalAmt")
    out: Entity = {
        "CustomerRef": customer_ref,
        "DepositToAccountRef": account_ref(data.get("DepositToAccountRef")) or account_ref("4"),
        "TotalAmt": money(total),
        "UnappliedAmt": money(total - applied),
        "ProcessPayment": False,
        "TxnDate": str(data.get("TxnDate") or local_date(ctx.now, company.zone).isoformat()),
        "CurrencyRef": currency_ref(currency),
        "Line": lines,
    }
    if company.multicurrency:
        rate = data.get("ExchangeRate") or (company.exchange_rates.get(currency) if currency != company.home_currency
                                            else 1)
        out["ExchangeRate"] = number(to_decimal(rate or 1, "ExchangeRate"))
    for key in ("PaymentRefNum", "PrivateNote"):
        if data.get(key):
            out[key] = str(data[key])
    if isinstance(data.get("PaymentMethodRef"), dict):
        out["PaymentMethodRef"] = data["PaymentMethodRef"]
    return out


def _applied_by(payment: Entity, invoice_id: str) -> Decimal:
    total = Decimal("0")
    for line in payment.get("Line", []):
        links = line.get("LinkedTxn", [])
        if any(link.get("TxnType") == "Invoice" and link.get("TxnId") == invoice_id for link in links):
            total += Decimal(str(line.get("Amount", 0)))
    return total


def _linked_invoices(payment: Entity | None) -> set[str]:
    if payment is None:
        return set()
    return {str(link["TxnId"]) for line in payment.get("Line", []) for link in line.get("LinkedTxn", [])
            if link.get("TxnType") == "Invoice"}


def refresh_invoice(ctx: Ctx, invoice_id: str) -> None:
    """Recompute an invoice's Balance and payment links after a payment changed."""
    from sandbox.qbo.entities.sales import bump  # local import: sales imports nothing from here

    invoice = ctx.company.get("Invoice", invoice_id)
    if invoice is None:
        return
    paid, payment_ids = applied_payments(ctx.company, invoice_id)
    balance = max(Decimal(str(invoice.get("TotalAmt", 0))) - paid, Decimal("0"))
    links = [link for link in invoice.get("LinkedTxn", []) if link.get("TxnType") != "Payment"]
    links += [{"TxnId": pid, "TxnType": "Payment"} for pid in payment_ids]
    if money(balance) == invoice.get("Balance") and links == invoice.get("LinkedTxn"):
        return
    invoice["Balance"] = money(balance)
    invoice["LinkedTxn"] = links
    if "HomeBalance" in invoice:
        invoice["HomeBalance"] = money(balance * Decimal(str(invoice.get("ExchangeRate", 1))))
    bump(ctx, "Invoice", invoice)


def after_payment(ctx: Ctx, entity: Entity, old: Entity | None) -> None:
    for invoice_id in sorted(_linked_invoices(entity) | _linked_invoices(old)):
        refresh_invoice(ctx, invoice_id)
    for source in (entity, old):
        customer_id = ref_value((source or {}).get("CustomerRef"))
        if customer_id:
            recompute_customer_balance(ctx, customer_id)


def void_payment(entity: Entity) -> None:
    entity["TotalAmt"] = 0
    entity["UnappliedAmt"] = 0
    for line in entity.get("Line", []):
        line["Amount"] = 0
    entity["PrivateNote"] = "Voided"


register(EntityKind("Payment", PAYMENT_FIELDS, frozenset({"UnappliedAmt"}), build_payment, deletable=True,
                    void_style="include", after_write=after_payment, after_remove=after_payment))
