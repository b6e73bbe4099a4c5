"""Money in and out of the bank: Account and Vendor (name lists), Bill and BillPayment (paying a bill lowers its
Balance), and Deposit (moves customer payments out of Undeposited Funds into a bank account).

As in QuickBooks, a payment received into Undeposited Funds keeps its DepositToAccountRef once deposited; the Deposit's
lines link it (`LinkedTxn` of type Payment), and a payment can be in one deposit only.
"""

from __future__ import annotations

from decimal import Decimal

from sandbox.qbo.company import Company, Entity, currency_ref
from sandbox.qbo.entities.base import Ctx, EntityKind, money, ref_value, register, resolve_ref, to_decimal, truthy
from sandbox.qbo.entities.names import _unique
from sandbox.qbo.faults import business, required
from sandbox.qbo.timefmt import local_date

UNDEPOSITED_FUNDS_SUBTYPE = "UndepositedFunds"
BANK_TYPES = ("Bank", "Other Current Asset")  # where a deposit may go (QuickBooks allows both)

# -- Account --------------------------------------------------------------------------------------------------------

ACCOUNT_FIELDS = frozenset({"Name", "FullyQualifiedName", "Active", "Classification", "AccountType", "AccountSubType",
                            "AcctNum", "Description", "CurrentBalance", "CurrentBalanceWithSubAccounts",
                            "CurrencyRef", "SubAccount"})
ACCOUNT_READ_ONLY = frozenset({"FullyQualifiedName", "Classification", "CurrentBalance",
                               "CurrentBalanceWithSubAccounts", "SubAccount"})
CLASSIFICATIONS = {"Bank": "Asset", "Other Current Asset": "Asset", "Fixed Asset": "Asset", "Other Asset": "Asset",
                   "Accounts Receivable": "Asset", "Accounts Payable": "Liability", "Credit Card": "Liability",
                   "Other Current Liability": "Liability", "Long Term Liability": "Liability", "Equity": "Equity",
                   "Income": "Revenue", "Other Income": "Revenue", "Expense": "Expense", "Other Expense": "Expense",
                   "Cost of Goods Sold": "Expense"}


def build_account(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    name = str(data.get("Name") or "").strip()
    if not name:
        raise required("Name")
    account_type = str(data.get("AccountType") or "")
    if account_type not in CLASSIFICATIONS:
        raise business(f"Invalid AccountType {account_type or '(blank)'}.", element="AccountType")
    _unique(ctx, "Account", "Name", name, old["Id"] if old else None)
    out: Entity = {"Name": name, "FullyQualifiedName": name, "Active": truthy(data.get("Active", True)),
                   "Classification": CLASSIFICATIONS[account_type], "AccountType": account_type,
                   "SubAccount": False, "CurrencyRef": currency_ref(ref_value(data.get("CurrencyRef"))
                                                                    or ctx.company.home_currency),
                   "CurrentBalance": old.get("CurrentBalance", 0) if old else 0,
                   "CurrentBalanceWithSubAccounts": old.get("CurrentBalanceWithSubAccounts", 0) if old else 0}
    for key in ("AccountSubType", "AcctNum", "Description"):
        if data.get(key):
            out[key] = str(data[key])
    return out


def undeposited_funds_id(company: Company) -> str | None:
    return next((a["Id"] for a in company.all("Account") if a.get("AccountSubType") == UNDEPOSITED_FUNDS_SUBTYPE),
                None)


# -- Vendor ---------------------------------------------------------------------------------------------------------

VENDOR_FIELDS = frozenset({"DisplayName", "CompanyName", "GivenName", "FamilyName", "PrintOnCheckName", "Active",
                           "PrimaryEmailAddr", "PrimaryPhone", "Balance", "CurrencyRef", "TermRef", "AcctNum"})


def build_vendor(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    display = str(data.get("DisplayName") or data.get("CompanyName") or "").strip()
    if not display:
        raise required("DisplayName")
    own_id = old["Id"] if old else None
    _unique(ctx, "Vendor", "DisplayName", display, own_id)
    _unique(ctx, "Customer", "DisplayName", display, None)  # one name space for customers and vendors
    out: Entity = {"DisplayName": display, "PrintOnCheckName": str(data.get("PrintOnCheckName") or display),
                   "Active": truthy(data.get("Active", True)), "Balance": old.get("Balance", 0) if old else 0,
                   "CurrencyRef": currency_ref(ref_value(data.get("CurrencyRef")) or ctx.company.home_currency)}
    for key in ("CompanyName", "GivenName", "FamilyName", "AcctNum"):
        if data.get(key):
            out[key] = str(data[key])
    for key in ("PrimaryEmailAddr", "PrimaryPhone"):
        if isinstance(data.get(key), dict) and data[key]:
            out[key] = {k: str(v) for k, v in data[key].items() if k in ("Address", "FreeFormNumber")}
    if data.get("TermRef"):
        _, term_ref = resolve_ref(ctx, "Term", data["TermRef"], "TermRef")
        out["TermRef"] = {"value": term_ref["value"]}
    return out


def _recompute_vendor_balance(ctx: Ctx, vendor_id: str | None) -> None:
    vendor = ctx.company.get("Vendor", vendor_id or "")
    if vendor is None:
        return
    owed = sum((Decimal(str(b.get("Balance", 0))) for b in ctx.company.all("Bill")
                if ref_value(b.get("VendorRef")) == vendor_id), Decimal(0))
    if money(owed) != vendor.get("Balance"):
        vendor["Balance"] = money(owed)
        _bump(ctx, "Vendor", vendor)


def _bump(ctx: Ctx, kind: str, entity: Entity) -> None:
    from sandbox.qbo.entities.sales import bump  # local import, as payment.py does

    bump(ctx, kind, entity)


# -- Bill -----------------------------------------------------------------------------------------------------------

BILL_FIELDS = frozenset({"VendorRef", "TxnDate", "DueDate", "DocNumber", "PrivateNote", "Line", "TotalAmt", "Balance",
                         "APAccountRef", "CurrencyRef", "SalesTermRef", "LinkedTxn"})
BILL_READ_ONLY = frozenset({"TotalAmt", "Balance", "LinkedTxn"})


def _expense_lines(ctx: Ctx, raw_lines: object) -> tuple[list[Entity], Decimal]:
    lines: list[Entity] = []
    total = Decimal(0)
    for index, raw in enumerate(raw_lines if isinstance(raw_lines, list) else [], start=1):
        if not isinstance(raw, dict):
            continue
        detail = raw.get("AccountBasedExpenseLineDetail")
        if raw.get("DetailType") != "AccountBasedExpenseLineDetail" or not isinstance(detail, dict):
            raise business("A bill line needs DetailType AccountBasedExpenseLineDetail with an AccountRef.",
                           element="Line.DetailType")
        _, account = resolve_ref(ctx, "Account", detail.get("AccountRef"), "Line.AccountBasedExpenseLineDetail"
                                                                            ".AccountRef")
        amount = to_decimal(raw.get("Amount", 0), "Line.Amount")
        if amount < 0:
            raise business("A bill line's amount can't be negative.", element="Line.Amount")
        line: Entity = {"Id": str(index), "LineNum": index, "Amount": money(amount),
                        "DetailType": "AccountBasedExpenseLineDetail",
                        "AccountBasedExpenseLineDetail": {"AccountRef": account, "BillableStatus": "NotBillable"}}
        if raw.get("Description"):
            line["Description"] = str(raw["Description"])
        lines.append(line)
        total += amount
    if not lines:
        raise required("Line")
    return lines, total


def bill_payments(company: Company, bill_id: str) -> tuple[Decimal, list[str]]:
    paid = Decimal(0)
    ids: list[str] = []
    for payment in company.all("BillPayment"):
        for line in payment.get("Line", []):
            links = line.get("LinkedTxn", [])
            if any(link.get("TxnType") == "Bill" and link.get("TxnId") == bill_id for link in links):
                paid += Decimal(str(line.get("Amount", 0)))
                ids.append(payment["Id"])
    return paid, sorted(set(ids), key=int)


def build_bill(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    company = ctx.company
    if not ref_value(data.get("VendorRef")):
        raise required("VendorRef")
    vendor, vendor_ref = resolve_ref(ctx, "Vendor", data["VendorRef"], "VendorRef")
    lines, total = _expense_lines(ctx, data.get("Line"))
    txn_date = str(data.get("TxnDate") or local_date(ctx.now, company.zone).isoformat())
    paid = bill_payments(company, old["Id"])[0] if old else Decimal(0)
    if paid > total:
        raise business("The bill's total can't be less than what has been paid on it.", element="Line.Amount")
    out: Entity = {"VendorRef": vendor_ref, "TxnDate": txn_date, "DueDate": str(data.get("DueDate") or txn_date),
                   "Line": lines, "TotalAmt": money(total), "Balance": money(total - paid),
                   "APAccountRef": {"value": "33", "name": "Accounts Payable (A/P)"},
                   "CurrencyRef": currency_ref(ref_value(vendor.get("CurrencyRef")) or company.home_currency)}
    if old and old.get("LinkedTxn"):
        out["LinkedTxn"] = old["LinkedTxn"]
    for key in ("DocNumber", "PrivateNote"):
        if data.get(key):
            out[key] = str(data[key])
    return out


def after_bill(ctx: Ctx, entity: Entity, old: Entity | None) -> None:
    for source in (entity, old):
        _recompute_vendor_balance(ctx, ref_value((source or {}).get("VendorRef")))


def _refresh_bill(ctx: Ctx, bill_id: str) -> None:
    bill = ctx.company.get("Bill", bill_id)
    if bill is None:
        return
    paid, payment_ids = bill_payments(ctx.company, bill_id)
    balance = max(Decimal(str(bill.get("TotalAmt", 0))) - paid, Decimal(0))
    links = [{"TxnId": pid, "TxnType": "BillPayment"} for pid in payment_ids]
    if money(balance) == bill.get("Balance") and links == bill.get("LinkedTxn", []):
        return
    bill["Balance"] = money(balance)
    if links:
        bill["LinkedTxn"] = links
    else:
        bill.pop("LinkedTxn", None)
    _bump(ctx, "Bill", bill)
    _recompute_vendor_balance(ctx, ref_value(bill.get("VendorRef")))


# -- BillPayment ----------------------------------------------------------------------------------------------------

BILL_PAYMENT_FIELDS = frozenset({"VendorRef", "PayType", "CheckPayment", "TxnDate", "TotalAmt", "Line", "DocNumber",
                                 "PrivateNote", "CurrencyRef"})


def build_bill_payment(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    company = ctx.company
    if not ref_value(data.get("VendorRef")):
        raise required("VendorRef")
    _, vendor_ref = resolve_ref(ctx, "Vendor", data["VendorRef"], "VendorRef")
    if str(data.get("PayType") or "Check") != "Check":
        raise business("Only check bill payments are supported here; use PayType Check.", element="PayType")
    raw_check = data.get("CheckPayment")
    check: Entity = raw_check if isinstance(raw_check, dict) else {}
    _, bank_ref = resolve_ref(ctx, "Account", check.get("BankAccountRef"), "CheckPayment.BankAccountRef")
    lines: list[Entity] = []
    applied = Decimal(0)
    for raw in data.get("Line") or []:
        if not isinstance(raw, dict):
            continue
        amount = to_decimal(raw.get("Amount", 0), "Line.Amount")
        links = []
        for link in raw.get("LinkedTxn") or []:
            if link.get("TxnType") != "Bill":
                raise business("A bill payment line links bills only.", element="Line.LinkedTxn")
            bill, _ = resolve_ref(ctx, "Bill", {"value": link.get("TxnId")}, "Line.LinkedTxn.TxnId", active_only=False)
            if ref_value(bill.get("VendorRef")) != vendor_ref["value"]:
                raise business("The bill you're paying belongs to a different vendor.", element="Line.LinkedTxn")
            already = bill_payments(company, bill["Id"])[0] - (_paid_by(old, bill["Id"]) if old else Decimal(0))
            if amount > Decimal(str(bill.get("TotalAmt", 0))) - already + Decimal("0.005"):
                raise business(f"The amount paid on bill {bill['Id']} is more than its open balance.",
                               element="Line.Amount")
            links.append({"TxnId": bill["Id"], "TxnType": "Bill"})
        applied += amount
        lines.append({"Amount": money(amount), "LinkedTxn": links})
    total = to_decimal(data.get("TotalAmt", applied), "TotalAmt")
    if applied > total + Decimal("0.005"):
        raise business("The amount applied to bills is more than the payment amount.", element="TotalAmt")
    out: Entity = {"VendorRef": vendor_ref, "PayType": "Check", "CheckPayment": {"BankAccountRef": bank_ref,
                                                                                   "PrintStatus": "NotSet"},
                   "TxnDate": str(data.get("TxnDate") or local_date(ctx.now, company.zone).isoformat()),
                   "TotalAmt": money(total), "Line": lines, "CurrencyRef": currency_ref(company.home_currency)}
    for key in ("DocNumber", "PrivateNote"):
        if data.get(key):
            out[key] = str(data[key])
    return out


def _paid_by(payment: Entity, bill_id: str) -> Decimal:
    return sum((Decimal(str(line.get("Amount", 0))) for line in payment.get("Line", [])
                if any(link.get("TxnId") == bill_id for link in line.get("LinkedTxn", []))), Decimal(0))


def _linked_bills(payment: Entity | None) -> set[str]:
    return {str(link["TxnId"]) for line in (payment or {}).get("Line", []) for link in line.get("LinkedTxn", [])
            if link.get("TxnType") == "Bill"}


def after_bill_payment(ctx: Ctx, entity: Entity, old: Entity | None) -> None:
    for bill_id in sorted(_linked_bills(entity) | _linked_bills(old), key=int):
        _refresh_bill(ctx, bill_id)


# -- Deposit --------------------------------------------------------------------------------------------------------

DEPOSIT_FIELDS = frozenset({"DepositToAccountRef", "TxnDate", "Line", "TotalAmt", "PrivateNote", "CurrencyRef"})


def deposited_payment_ids(company: Company, except_deposit: str | None = None) -> set[str]:
    return {str(link["TxnId"]) for deposit in company.all("Deposit") if deposit["Id"] != except_deposit
            for line in deposit.get("Line", []) for link in line.get("LinkedTxn", [])
            if link.get("TxnType") == "Payment"}


def build_deposit(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    company = ctx.company
    account, account_ref = resolve_ref(ctx, "Account", data.get("DepositToAccountRef"), "DepositToAccountRef")
    if account.get("AccountType") not in BANK_TYPES or account.get("AccountSubType") == UNDEPOSITED_FUNDS_SUBTYPE:
        raise business("Deposit to a bank account (or another current asset account other than Undeposited Funds).",
                       element="DepositToAccountRef")
    undeposited = undeposited_funds_id(company)
    taken = deposited_payment_ids(company, old["Id"] if old else None)
    lines: list[Entity] = []
    total = Decimal(0)
    for index, raw in enumerate(data.get("Line") or [], start=1):
        if not isinstance(raw, dict):
            continue
        links = [link for link in raw.get("LinkedTxn") or [] if isinstance(link, dict)]
        if links:
            link = links[0]
            if link.get("TxnType") != "Payment" or len(links) > 1:
                raise business("A deposit line links one payment.", element="Line.LinkedTxn")
            payment, _ = resolve_ref(ctx, "Payment", {"value": link.get("TxnId")}, "Line.LinkedTxn.TxnId",
                                     active_only=False)
            if ref_value(payment.get("DepositToAccountRef")) != undeposited:
                raise business(f"Payment {payment['Id']} was not received into Undeposited Funds.",
                               element="Line.LinkedTxn")
            if payment["Id"] in taken:
                raise business(f"Payment {payment['Id']} is already in another deposit.", element="Line.LinkedTxn")
            taken.add(payment["Id"])
            amount = Decimal(str(payment.get("TotalAmt", 0)))
            lines.append({"Id": str(index), "LineNum": index, "Amount": money(amount),
                          "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment", "TxnLineId": "0"}]})
        else:
            raw_detail = raw.get("DepositLineDetail")
            detail: Entity = raw_detail if isinstance(raw_detail, dict) else {}
            _, from_account = resolve_ref(ctx, "Account", detail.get("AccountRef"),
                                          "Line.DepositLineDetail.AccountRef")
            amount = to_decimal(raw.get("Amount", 0), "Line.Amount")
            lines.append({"Id": str(index), "LineNum": index, "Amount": money(amount),
                          "DetailType": "DepositLineDetail", "DepositLineDetail": {"AccountRef": from_account}})
        total += amount
    if not lines:
        raise required("Line")
    out: Entity = {"DepositToAccountRef": account_ref, "Line": lines, "TotalAmt": money(total),
                   "TxnDate": str(data.get("TxnDate") or local_date(ctx.now, company.zone).isoformat()),
                   "CurrencyRef": currency_ref(company.home_currency)}
    if data.get("PrivateNote"):
        out["PrivateNote"] = str(data["PrivateNote"])
    return out


register(EntityKind("Account", ACCOUNT_FIELDS, ACCOUNT_READ_ONLY, build_account, name_list=True))
register(EntityKind("Vendor", VENDOR_FIELDS, frozenset({"Balance"}), build_vendor, name_list=True))
register(EntityKind("Bill", BILL_FIELDS, BILL_READ_ONLY, build_bill, deletable=True, after_write=after_bill,
                    after_remove=after_bill))
register(EntityKind("BillPayment", BILL_PAYMENT_FIELDS, frozenset(), build_bill_payment, deletable=True,
                    after_write=after_bill_payment, after_remove=after_bill_payment))
register(EntityKind("Deposit", DEPOSIT_FIELDS, frozenset({"TotalAmt"}), build_deposit, deletable=True))
