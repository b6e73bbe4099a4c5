"""Sales transactions (Invoice, Estimate, CreditMemo, RefundReceipt): lines, tax, totals, numbering, due dates and
currency."""

from __future__ import annotations

import calendar
import hashlib
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sandbox.qbo.company import Company, Entity, currency_ref
from sandbox.qbo.entities.base import (
    Builder,
    Ctx,
    EntityKind,
    account_ref,
    money,
    number,
    pick,
    ref_value,
    register,
    resolve_ref,
    to_decimal,
    to_money,
    truthy,
)
from sandbox.qbo.entities.names import address, recompute_customer_balance
from sandbox.qbo.faults import QboFault, business, duplicate_doc_number, required
from sandbox.qbo.timefmt import local_date

SALES_FIELDS = frozenset({
    "DocNumber", "TxnDate", "PrivateNote", "LinkedTxn", "Line", "TxnTaxDetail", "CustomerRef", "CustomerMemo",
    "BillAddr", "ShipAddr", "FreeFormAddress", "SalesTermRef", "DueDate", "ShipDate", "TrackingNum", "TotalAmt",
    "ApplyTaxAfterDiscount", "PrintStatus", "EmailStatus", "BillEmail", "BillEmailCc", "BillEmailBcc",
    "DeliveryInfo", "CurrencyRef", "ExchangeRate", "HomeTotalAmt", "GlobalTaxCalculation", "ClassRef",
    "DepartmentRef", "CustomField",
})
ONLINE_PAYMENT_FLAGS = ("AllowOnlineCreditCardPayment", "AllowOnlineACHPayment")
INVOICE_FIELDS = SALES_FIELDS | {"Balance", "HomeBalance", "Deposit", "AllowIPNPayment", "AllowOnlinePayment",
                                 "AllowOnlineCreditCardPayment", "AllowOnlineACHPayment", "InvoiceLink"}
ESTIMATE_FIELDS = SALES_FIELDS | {"TxnStatus", "ExpirationDate", "AcceptedBy", "AcceptedDate"}
CREDIT_MEMO_FIELDS = SALES_FIELDS | {"Balance", "HomeBalance", "RemainingCredit"}
# A refund pays money back from an account (DepositToAccountRef, required by QuickBooks); it owes nothing after.
REFUND_RECEIPT_FIELDS = SALES_FIELDS | {"Balance", "DepositToAccountRef", "PaymentMethodRef", "PaymentRefNum"}
SALES_READ_ONLY = frozenset({"TotalAmt", "HomeTotalAmt", "Balance", "HomeBalance", "RemainingCredit", "DeliveryInfo",
                             "InvoiceLink"})

TAX_WORD = {"GB": "VAT", "CA": "GST/HST", "AU": "GST"}
ZERO = Decimal("0")


def _decimal_or_none(value: Any, element: str) -> Decimal | None:
    if value is None or value == "":
        return None
    return to_decimal(value, element)


class _Tax:
    """Accumulates the taxable base per tax rate across lines."""

    def __init__(self) -> None:
        self.bases: dict[str, Decimal] = {}

    def add(self, rate_ids: list[str], amount: Decimal) -> None:
        for rate_id in rate_ids:
            self.bases[rate_id] = self.bases.get(rate_id, ZERO) + amount


def _code_rates(company: Company, code: Entity) -> list[tuple[str, Decimal]]:
    rates: list[tuple[str, Decimal]] = []
    if not code.get("Taxable", True):
        return rates
    for detail in code.get("SalesTaxRateList", {}).get("TaxRateDetail", []):
        rate_id = ref_value(detail.get("TaxRateRef"))
        rate = company.get("TaxRate", rate_id) if rate_id else None
        if rate is not None:
            rates.append((str(rate_id), Decimal(str(rate.get("RateValue", 0)))))
    return rates


def _sales_item_line(ctx: Ctx, raw: Entity, inclusive: bool, tax: _Tax, line_taxable: list[tuple[Decimal, bool]]
                     ) -> Entity:
    company = ctx.company
    detail_in = raw.get("SalesItemLineDetail") or {}
    item_ref_in = detail_in.get("ItemRef") or {"value": "1"}
    item, item_ref = resolve_ref(ctx, "Item", item_ref_in, "Line.SalesItemLineDetail.ItemRef")
    qty = _decimal_or_none(detail_in.get("Qty"), "Qty")
    unit_price = _decimal_or_none(detail_in.get("UnitPrice"), "UnitPrice")
    amount = _decimal_or_none(raw.get("Amount"), "Line.Amount")
    gross = _decimal_or_none(detail_in.get("TaxInclusiveAmt"), "TaxInclusiveAmt")
    if amount is None and qty is not None and unit_price is not None:
        amount = qty * unit_price
    if amount is None and not (inclusive and gross):
        raise required("Line.Amount")
    detail: Entity = {"ItemRef": item_ref}
    for key in ("ServiceDate",):
        if detail_in.get(key):
            detail[key] = str(detail_in[key])
    if detail_in.get("ClassRef"):
        detail["ClassRef"] = detail_in["ClassRef"]
    # Amount must equal Qty x UnitPrice; python-quickbooks sends zeros for unset Qty/UnitPrice, which QBO ignores.
    # Both sides are rounded half-up to cents, the same rounding the stored Amount gets (see README "Money").
    if amount is not None and qty and unit_price and not inclusive:
        expected = to_money(qty * unit_price)
        supplied = to_money(amount)
        if abs(expected - supplied) > ctx.state.config.line_amount_tolerance_decimal:
            raise business(f"Amount is not equal to UnitPrice * Qty. Supplied value:{supplied}",
                           code="6070", element="Line.Amount")
    if qty is not None and qty != 0:
        detail["Qty"] = number(qty)
        if (unit_price is None or unit_price == 0) and amount is not None:
            unit_price = amount / qty
    if unit_price is not None and (unit_price != 0 or qty):
        detail["UnitPrice"] = number(unit_price.quantize(Decimal("0.0000001"), rounding=ROUND_HALF_UP).normalize())
    account = account_ref(item.get("IncomeAccountRef"))
    if account:
        detail["ItemAccountRef"] = account
    code_id = ref_value(detail_in.get("TaxCodeRef"))
    if company.is_us:
        if code_id not in ("TAX", "NON"):
            code_id = "TAX" if item.get("Taxable") else "NON"
        detail["TaxCodeRef"] = {"value": code_id}
        base = to_money(amount) if amount is not None else ZERO
        line_taxable.append((base, code_id == "TAX"))
    else:
        if code_id is None:
            word = TAX_WORD.get(company.country, "tax")
            raise business(f"Make sure all your transactions have a {word} rate before you save.",
                           element="Line.SalesItemLineDetail.TaxCodeRef")
        code, code_ref = resolve_ref(ctx, "TaxCode", {"value": code_id}, "Line.SalesItemLineDetail.TaxCodeRef")
        detail["TaxCodeRef"] = {"value": code_ref["value"]}
        rates = _code_rates(company, code)
        total_rate = sum((r for _, r in rates), ZERO)
        if inclusive:
            if gross is None or gross == 0:
                gross = (amount or ZERO) * (1 + total_rate / 100)
            amount = gross / (1 + total_rate / 100)
            detail["TaxInclusiveAmt"] = money(gross)
        assert amount is not None
        tax.add([rate_id for rate_id, _ in rates], to_money(amount))
        line_taxable.append((to_money(amount), bool(rates)))
    assert amount is not None
    line: Entity = {"Amount": money(amount), "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": detail}
    if raw.get("Description"):
        line["Description"] = str(raw["Description"])[:4000]
    return line


def _due_date(ctx: Ctx, data: Entity, customer: Entity, txn_date: date, out: Entity) -> str:
    if data.get("DueDate"):
        return str(data["DueDate"])
    term_ref = data.get("SalesTermRef") or customer.get("SalesTermRef") or \
        ctx.company.preferences["SalesFormsPrefs"].get("DefaultTerms")
    term = ctx.company.get("Term", ref_value(term_ref) or "") if term_ref else None
    if term is None:
        return txn_date.isoformat()
    out["SalesTermRef"] = {"value": term["Id"], "name": term["Name"]}
    if term.get("Type") == "DATE_DRIVEN":
        day = int(term.get("DayOfMonthDue") or 1)
        year, month = txn_date.year, txn_date.month
        due_next = int(term.get("DueNextMonthDays") or 0)
        if txn_date.day > day or (due_next and (day - txn_date.day) < due_next):
            month += 1
            if month > 12:
                year, month = year + 1, 1
        return date(year, month, min(day, calendar.monthrange(year, month)[1])).isoformat()
    return (txn_date + timedelta(days=int(term.get("DueDays") or 0))).isoformat()


def _doc_number(ctx: Ctx, kind: str, data: Entity, old: Entity | None) -> str | None:
    company = ctx.company
    doc = str(data["DocNumber"]) if data.get("DocNumber") not in (None, "") else None
    if doc is None and old is None and not company.custom_txn_numbers:
        while True:
            doc = str(company.next_doc_number)
            company.next_doc_number += 1
            if not any(e.get("DocNumber") == doc for e in company.all(kind)):
                break
        return doc
    if doc is None:
        return None
    if len(doc) > 21:
        raise business("DocNumber can't be longer than 21 characters.", element="DocNumber")
    if "allowduplicatedocnum" not in ctx.options:
        for other in company.all(kind):
            if other.get("DocNumber") == doc and (old is None or other["Id"] != old["Id"]):
                raise duplicate_doc_number(doc, kind, other["Id"])
    return doc


def applied_payments(company: Company, invoice_id: str) -> tuple[Decimal, list[str]]:
    total = ZERO
    payments: list[str] = []
    for payment in company.all("Payment"):
        for line in payment.get("Line", []):
            for linked in line.get("LinkedTxn", []):
                if linked.get("TxnType") == "Invoice" and str(linked.get("TxnId")) == invoice_id:
                    total += Decimal(str(line.get("Amount", 0)))
                    if payment["Id"] not in payments:
                        payments.append(payment["Id"])
    return total, payments


def build_sales(kind: str, ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    company = ctx.company
    if not ref_value(data.get("CustomerRef")):
        raise required("CustomerRef")
    customer, customer_ref = resolve_ref(ctx, "Customer", data["CustomerRef"], "CustomerRef")
    raw_lines = [line for line in data.get("Line") or [] if isinstance(line, dict)]
    if not any(line.get("DetailType") != "SubTotalLineDetail" for line in raw_lines):
        raise required("Line")
    customer_currency = ref_value(customer.get("CurrencyRef")) or company.home_currency
    currency = ref_value(data.get("CurrencyRef")) or customer_currency
    if currency != company.home_currency and not company.multicurrency:
        raise business("Multicurrency is not enabled for this company; use the home currency.", element="CurrencyRef")
    if currency != customer_currency:
        raise business("The currency of the transaction must match the currency of the customer.",
                       element="CurrencyRef")
    exchange_rate = Decimal("1")
    if currency != company.home_currency:
        given = _decimal_or_none(data.get("ExchangeRate"), "ExchangeRate")
        known = company.exchange_rates.get(currency)
        if given and given > 0:
            exchange_rate = given
        elif known:
            exchange_rate = Decimal(str(known))
        else:
            raise business(f"No exchange rate is available for {currency}.", element="ExchangeRate")
    inclusive = not company.is_us and data.get("GlobalTaxCalculation") == "TaxInclusive"
    txn_date = date.fromisoformat(str(data["TxnDate"])) if data.get("TxnDate") else local_date(ctx.now, company.zone)

    tax = _Tax()
    line_taxable: list[tuple[Decimal, bool]] = []
    lines: list[Entity] = []
    discount_in: Entity | None = None
    old_line_ids = {str(line.get("Id")) for line in (old or {}).get("Line", []) if line.get("Id")}
    used_ids: set[str] = set()
    next_line_id = max([int(i) for i in old_line_ids if i.isdigit()] + [0]) + 1
    for raw in raw_lines:
        detail_type = raw.get("DetailType")
        if detail_type == "SubTotalLineDetail":
            continue
        if detail_type == "DiscountLineDetail":
            discount_in = raw
            continue
        if detail_type == "SalesItemLineDetail":
            line = _sales_item_line(ctx, raw, inclusive, tax, line_taxable)
        elif detail_type == "DescriptionOnly":
            line = {"Description": str(raw.get("Description", ""))[:4000], "DetailType": "DescriptionOnly",
                    "DescriptionLineDetail": pick(raw.get("DescriptionLineDetail") or {},
                                                  frozenset({"ServiceDate", "TaxCodeRef"}))}
        elif detail_type == "GroupLineDetail":
            raise business("GroupLineDetail lines are not supported by this simulator.", element="Line")
        else:
            raise QboFault("2010", "Request has invalid or unsupported property",
                           f"Property Name:DetailType={detail_type} specified is unsupported or invalid",
                           "Line.DetailType")
        wanted = str(raw.get("Id") or "")
        if wanted and wanted not in used_ids and (wanted in old_line_ids or old is None) and wanted.isdigit():
            line_id = wanted
        else:
            line_id = str(next_line_id)
        next_line_id = max(next_line_id, int(line_id) + 1)
        used_ids.add(line_id)
        lines.append({"Id": line_id, "LineNum": len(lines) + 1, **line})

    subtotal = sum((Decimal(str(line.get("Amount", 0))) for line in lines), ZERO)
    discount = ZERO
    discount_line: Entity | None = None
    if discount_in is not None:
        detail_in = discount_in.get("DiscountLineDetail") or {}
        detail: Entity = {"PercentBased": truthy(detail_in.get("PercentBased", False))}
        if detail["PercentBased"]:
            percent = to_decimal(detail_in.get("DiscountPercent", 0), "DiscountPercent")
            detail["DiscountPercent"] = number(percent)
            discount = to_money(subtotal * percent / 100)
        else:
            discount = to_money(to_decimal(discount_in.get("Amount", 0), "Line.Amount"))
        detail["DiscountAccountRef"] = account_ref(detail_in.get("DiscountAccountRef")) or account_ref("86")
        discount_line = {"Amount": money(discount), "DetailType": "DiscountLineDetail", "DiscountLineDetail": detail}
    apply_after = truthy(data.get("ApplyTaxAfterDiscount", False))
    scale = (1 - discount / subtotal) if apply_after and subtotal and discount else Decimal("1")

    tax_detail: Entity = {}
    total_tax = ZERO
    txn_tax_in = data.get("TxnTaxDetail") or {}
    if company.is_us:
        code_id = ref_value(txn_tax_in.get("TxnTaxCodeRef"))
        taxable_base = sum((amt for amt, taxable in line_taxable if taxable), ZERO) * scale
        if code_id:
            code, code_ref = resolve_ref(ctx, "TaxCode", {"value": code_id}, "TxnTaxDetail.TxnTaxCodeRef")
            tax_detail["TxnTaxCodeRef"] = {"value": code_ref["value"]}
            tax_lines = []
            for rate_id, rate in _code_rates(company, code):
                amount = to_money(taxable_base * rate / 100)
                total_tax += amount
                tax_lines.append(_tax_line(rate_id, rate, amount, taxable_base))
            tax_detail["TotalTax"] = money(total_tax)
            tax_detail["TaxLine"] = tax_lines
        elif txn_tax_in.get("TotalTax") not in (None, ""):
            # Outside automated sales tax an explicit TotalTax is honoured.
            total_tax = to_decimal(txn_tax_in["TotalTax"], "TxnTaxDetail.TotalTax")
            tax_detail["TotalTax"] = money(total_tax)
        else:
            tax_detail["TotalTax"] = 0
    else:
        tax_lines = []
        for rate_id, base in tax.bases.items():
            rate = Decimal(str(company.get("TaxRate", rate_id)["RateValue"]))  # type: ignore[index]
            base = base * scale
            amount = to_money(base * rate / 100)
            total_tax += amount
            tax_lines.append(_tax_line(rate_id, rate, amount, base))
        tax_detail = {"TotalTax": money(total_tax), "TaxLine": tax_lines}

    total = to_money(subtotal - discount + total_tax)
    out: Entity = {}
    doc = _doc_number(ctx, kind, data, old)
    if doc is not None:
        out["DocNumber"] = doc
    out["TxnDate"] = txn_date.isoformat()
    out["CurrencyRef"] = currency_ref(currency)
    if company.multicurrency:
        out["ExchangeRate"] = number(exchange_rate)
    for key in ("PrivateNote", "TrackingNum", "ShipDate"):
        if data.get(key):
            out[key] = str(data[key])
    if isinstance(data.get("CustomerMemo"), dict) and data["CustomerMemo"].get("value"):
        out["CustomerMemo"] = {"value": str(data["CustomerMemo"]["value"])[:1000]}
    for key in ("ClassRef", "DepartmentRef"):
        if isinstance(data.get(key), dict):
            out[key] = data[key]
    out["CustomField"] = [pick(field, frozenset({"DefinitionId", "Name", "Type", "StringValue"}))
                          for field in data.get("CustomField") or [] if isinstance(field, dict)]
    out["LinkedTxn"] = [pick(link, frozenset({"TxnId", "TxnType"})) for link in data.get("LinkedTxn") or []
                        if isinstance(link, dict) and link.get("TxnType") != "Payment"]
    all_lines = [*lines, {"Amount": money(subtotal), "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}]
    if discount_line is not None:
        all_lines.append(discount_line)
    out["Line"] = all_lines
    out["TxnTaxDetail"] = tax_detail
    out["CustomerRef"] = customer_ref
    for key in ("BillAddr", "ShipAddr"):
        found = address(data.get(key)) or address(customer.get(key))
        if found:
            out[key] = found
    if kind == "Invoice":
        out["DueDate"] = _due_date(ctx, data, customer, txn_date, out)
    elif data.get("SalesTermRef"):
        _, term_ref = resolve_ref(ctx, "Term", data["SalesTermRef"], "SalesTermRef")
        out["SalesTermRef"] = term_ref
    if not company.is_us:
        out["GlobalTaxCalculation"] = "TaxInclusive" if inclusive else "TaxExcluded"
    out["TotalAmt"] = money(total)
    if company.multicurrency:
        out["HomeTotalAmt"] = money(total * exchange_rate)
    out["ApplyTaxAfterDiscount"] = apply_after
    out["PrintStatus"] = str(data.get("PrintStatus") or "NotSet")
    out["EmailStatus"] = str(data.get("EmailStatus") or "NotSet")
    email = data.get("BillEmail") or customer.get("PrimaryEmailAddr")
    if isinstance(email, dict) and email.get("Address"):
        address_text = str(email["Address"])
        if len(address_text) > 100:
            raise business("BillEmail.Address can't be longer than 100 characters.", element="BillEmail")
        out["BillEmail"] = {"Address": address_text}
    for key in ("BillEmailCc", "BillEmailBcc"):
        if isinstance(data.get(key), dict) and data[key].get("Address"):
            out[key] = {"Address": str(data[key]["Address"])}
    if old is not None and old.get("DeliveryInfo"):
        out["DeliveryInfo"] = old["DeliveryInfo"]
    if kind == "Invoice":
        paid, payment_ids = applied_payments(company, old["Id"]) if old is not None else (ZERO, [])
        balance = max(total - paid, ZERO)
        out["Balance"] = money(balance)
        if company.multicurrency:
            out["HomeBalance"] = money(balance * exchange_rate)
        out["LinkedTxn"] += [{"TxnId": pid, "TxnType": "Payment"} for pid in payment_ids]
        out["Deposit"] = 0
        for key in ("AllowIPNPayment", "AllowOnlinePayment"):
            out[key] = truthy(data.get(key, False))
        for key in ONLINE_PAYMENT_FLAGS:
            # Without a Payments account QBO cannot take the payment, so the flag stays off whatever was sent; with
            # one, new invoices default to accepting it as QBO's invoice form does [U].
            requested = data.get(key, old.get(key) if old is not None else True)
            out[key] = company.online_payments and truthy(requested)
    elif kind == "CreditMemo":
        out["RemainingCredit"] = money(total)
        out["Balance"] = money(total)
        if company.multicurrency:
            out["HomeBalance"] = money(total * exchange_rate)
    elif kind == "RefundReceipt":
        out["Balance"] = 0
        out["DepositToAccountRef"] = account_ref(data.get("DepositToAccountRef")) or account_ref("4")
        if data.get("PaymentRefNum"):
            out["PaymentRefNum"] = str(data["PaymentRefNum"])[:21]
    elif kind == "Estimate":
        out["TxnStatus"] = str(data.get("TxnStatus") or "Pending")
        for key in ("ExpirationDate", "AcceptedBy", "AcceptedDate"):
            if data.get(key):
                out[key] = str(data[key])
    return out


def _tax_line(rate_id: str, rate: Decimal, amount: Decimal, base: Decimal) -> Entity:
    return {"Amount": money(amount), "DetailType": "TaxLineDetail",
            "TaxLineDetail": {"TaxRateRef": {"value": rate_id}, "PercentBased": True, "TaxPercent": number(rate),
                              "NetAmountTaxable": money(base)}}


def void_sales(entity: Entity) -> None:
    """Voiding keeps the transaction but zeroes every amount, as QBO's void response shows."""
    for line in entity.get("Line", []):
        line["Amount"] = 0
        detail = line.get("SalesItemLineDetail")
        if isinstance(detail, dict):
            detail.pop("Qty", None)
            detail.pop("TaxInclusiveAmt", None)
    entity["TxnTaxDetail"] = {"TotalTax": 0}
    for key in ("TotalAmt", "Balance", "HomeTotalAmt", "HomeBalance", "RemainingCredit"):
        if key in entity:
            entity[key] = 0
    entity["PrivateNote"] = "Voided"


def after_sales_write(ctx: Ctx, entity: Entity, old: Entity | None) -> None:
    customer_id = ref_value(entity.get("CustomerRef"))
    if customer_id:
        recompute_customer_balance(ctx, customer_id)
    if old is not None:
        previous = ref_value(old.get("CustomerRef"))
        if previous and previous != customer_id:
            recompute_customer_balance(ctx, previous)
    # An invoice created from an estimate closes it and links back.
    for link in entity.get("LinkedTxn", []):
        if link.get("TxnType") == "Estimate":
            estimate = ctx.company.get("Estimate", str(link.get("TxnId")))
            if estimate is not None and estimate.get("TxnStatus") != "Closed":
                estimate["TxnStatus"] = "Closed"
                estimate["LinkedTxn"] = [*estimate.get("LinkedTxn", []), {"TxnId": entity["Id"], "TxnType": "Invoice"}]
                bump(ctx, "Estimate", estimate)


def bump(ctx: Ctx, kind: str, entity: Entity) -> None:
    """A side effect changed another object: new SyncToken and time, and a webhook."""
    entity["SyncToken"] = str(int(entity.get("SyncToken", "0")) + 1)
    ctx.company.stamp(entity, ctx.now, created=False)
    ctx.company.put(kind, entity, ctx.now)
    ctx.events.append((kind, entity["Id"], "Update"))


def _builder(kind: str) -> Builder:
    def build(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
        return build_sales(kind, ctx, data, old)
    return build


register(EntityKind("Invoice", INVOICE_FIELDS, SALES_READ_ONLY, _builder("Invoice"), deletable=True,
                    void_style="void", sendable=True, printable=True, after_write=after_sales_write,
                    after_remove=after_sales_write))
register(EntityKind("Estimate", ESTIMATE_FIELDS, SALES_READ_ONLY, _builder("Estimate"), deletable=True,
                    sendable=True, printable=True, after_write=after_sales_write, after_remove=after_sales_write))
register(EntityKind("RefundReceipt", REFUND_RECEIPT_FIELDS, SALES_READ_ONLY, _builder("RefundReceipt"),
                    deletable=True, void_style="void", printable=True, after_write=after_sales_write,
                    after_remove=after_sales_write))
register(EntityKind("CreditMemo", CREDIT_MEMO_FIELDS, SALES_READ_ONLY, _builder("CreditMemo"), deletable=True,
                    void_style="void", sendable=True, printable=True, after_write=after_sales_write,
                    after_remove=after_sales_write))


def invoice_link(company: Company, invoice: Entity) -> str | None:
    """The customer-facing payment link QBO returns with `include=invoiceLink`: only for an invoice that accepts
    online payment and has a billing e-mail (Intuit's InvoiceLink field description). Derived, never stored, so a
    read without the option never shows it."""
    if not company.online_payments or not any(invoice.get(flag) for flag in ONLINE_PAYMENT_FLAGS):
        return None
    if not (invoice.get("BillEmail") or {}).get("Address"):
        return None
    token = hashlib.sha256(f"{company.realm_id}:{invoice['Id']}".encode()).hexdigest()[:40]
    return f"https://connect.intuit.com/t/scs-v1-{token}?cta=viewinvoicenow&locale=en_US"


def with_invoice_links(company: Company, payload: dict[str, Any]) -> dict[str, Any]:
    """Add InvoiceLink to every invoice in a response body (single entity or a query's rows)."""
    found = payload.get("Invoice")
    for invoice in found if isinstance(found, list) else [found] if isinstance(found, dict) else []:
        link = invoice_link(company, invoice)
        if link:
            invoice["InvoiceLink"] = link
    return payload
