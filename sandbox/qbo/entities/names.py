"""Name-list entities: Customer, Item, Term (writable) and TaxCode, TaxRate (read-only on these endpoints)."""

from __future__ import annotations

from decimal import Decimal

from sandbox.qbo.company import Entity, currency_ref
from sandbox.qbo.entities.base import (
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
    truthy,
)
from sandbox.qbo.faults import business, duplicate_name, required, unsupported

ADDRESS_FIELDS = frozenset({"Id", "Line1", "Line2", "Line3", "Line4", "Line5", "City", "Country",
                            "CountrySubDivisionCode", "PostalCode", "Lat", "Long", "Note"})


def address(value: object) -> Entity | None:
    if not isinstance(value, dict):
        return None
    picked = pick(value, ADDRESS_FIELDS)
    return {k: str(v) for k, v in picked.items()} or None


def _unique(ctx: Ctx, kind: str, field: str, value: str, self_id: str | None) -> None:
    lowered = value.strip().lower()
    for other in ctx.company.all(kind):
        if other["Id"] != self_id and str(other.get(field, "")).strip().lower() == lowered:
            raise duplicate_name()


# -- Customer -------------------------------------------------------------------------------------------------------

CUSTOMER_FIELDS = frozenset({
    "Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "DisplayName", "FullyQualifiedName", "CompanyName",
    "PrintOnCheckName", "Active", "PrimaryPhone", "AlternatePhone", "Mobile", "Fax", "PrimaryEmailAddr", "WebAddr",
    "BillAddr", "ShipAddr", "Notes", "Job", "BillWithParent", "ParentRef", "Level", "SalesTermRef",
    "PaymentMethodRef", "Balance", "BalanceWithJobs", "OpenBalanceDate", "CurrencyRef", "PreferredDeliveryMethod",
    "Taxable", "DefaultTaxCodeRef", "TaxExemptionReasonId", "ResaleNum", "BusinessNumber",
})
CUSTOMER_READ_ONLY = frozenset({"FullyQualifiedName", "Balance", "BalanceWithJobs", "Level", "Job"})


def build_customer(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    company = ctx.company
    out: Entity = {}
    for key in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix", "CompanyName", "Notes",
                "ResaleNum", "BusinessNumber", "TaxExemptionReasonId"):
        if key in data:
            out[key] = str(data[key])
    name_parts = [str(data[k]) for k in ("Title", "GivenName", "MiddleName", "FamilyName", "Suffix") if data.get(k)]
    display = str(data.get("DisplayName") or " ".join(name_parts) or data.get("CompanyName") or "").strip()
    if not display:
        raise required("DisplayName")
    if ":" in display:
        raise business("The DisplayName cannot contain a colon (:).", element="DisplayName")
    _unique(ctx, "Customer", "DisplayName", display, old["Id"] if old else None)
    out["DisplayName"] = display
    out["PrintOnCheckName"] = str(data.get("PrintOnCheckName") or display)
    out["Active"] = truthy(data.get("Active", True))
    out["Taxable"] = truthy(data.get("Taxable", True))
    out["BillWithParent"] = truthy(data.get("BillWithParent", False))
    parent_id = ref_value(data.get("ParentRef"))
    if parent_id:
        parent, parent_ref = resolve_ref(ctx, "Customer", data["ParentRef"], "ParentRef")
        out["ParentRef"] = {"value": parent_ref["value"]}
        out["Job"] = True
        out["Level"] = int(parent.get("Level", 0)) + 1
        out["FullyQualifiedName"] = f"{parent.get('FullyQualifiedName', parent['DisplayName'])}:{display}"
    else:
        out["Job"] = False
        out["FullyQualifiedName"] = display
    for key in ("PrimaryEmailAddr", "PrimaryPhone", "AlternatePhone", "Mobile", "Fax", "WebAddr"):
        if isinstance(data.get(key), dict) and data[key]:
            out[key] = {k: str(v) for k, v in data[key].items() if k in ("Address", "FreeFormNumber", "URI")}
    for key in ("BillAddr", "ShipAddr"):
        found = address(data.get(key))
        if found:
            found.setdefault("Id", ctx.company.new_id("PhysicalAddress"))
            out[key] = found
    if data.get("SalesTermRef"):
        _, term_ref = resolve_ref(ctx, "Term", data["SalesTermRef"], "SalesTermRef")
        out["SalesTermRef"] = {"value": term_ref["value"]}
    if data.get("DefaultTaxCodeRef"):
        _, code_ref = resolve_ref(ctx, "TaxCode", data["DefaultTaxCodeRef"], "DefaultTaxCodeRef")
        out["DefaultTaxCodeRef"] = {"value": code_ref["value"]}
    currency = ref_value(data.get("CurrencyRef")) or company.home_currency
    if old is not None:
        old_currency = ref_value(old.get("CurrencyRef")) or company.home_currency
        if currency != old_currency:
            raise business("You can't change the currency of a customer once it has been created.",
                           element="CurrencyRef")
    if currency != company.home_currency and not company.multicurrency:
        raise business("Multicurrency is not enabled for this company; use the home currency.", element="CurrencyRef")
    out["CurrencyRef"] = currency_ref(currency)
    out["PreferredDeliveryMethod"] = str(data.get("PreferredDeliveryMethod") or "Print")
    if data.get("OpenBalanceDate"):
        out["OpenBalanceDate"] = str(data["OpenBalanceDate"])
    out["Balance"] = old.get("Balance", 0) if old else 0
    out["BalanceWithJobs"] = old.get("BalanceWithJobs", 0) if old else 0
    return out


register(EntityKind("Customer", CUSTOMER_FIELDS, CUSTOMER_READ_ONLY, build_customer, name_list=True))


# -- Item -----------------------------------------------------------------------------------------------------------

ITEM_FIELDS = frozenset({
    "Name", "Sku", "Description", "Active", "SubItem", "ParentRef", "Level", "FullyQualifiedName", "Taxable",
    "SalesTaxIncluded", "UnitPrice", "Type", "IncomeAccountRef", "PurchaseDesc", "PurchaseTaxIncluded",
    "PurchaseCost", "ExpenseAccountRef", "AssetAccountRef", "TrackQtyOnHand", "QtyOnHand", "InvStartDate",
    "SalesTaxCodeRef", "PurchaseTaxCodeRef",
})
ITEM_TYPES = {"Service", "Inventory", "NonInventory", "Category"}


def build_item(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    name = str(data.get("Name") or "").strip()
    if not name:
        raise required("Name")
    if len(name) > 100:
        raise business("Name can't be longer than 100 characters.", element="Name")
    _unique(ctx, "Item", "Name", name, old["Id"] if old else None)
    item_type = str(data.get("Type") or "Service")
    if item_type == "Group":
        raise unsupported("Operation Create/Update is not supported for Item of Type Group.")
    if item_type not in ITEM_TYPES:
        raise business(f"Invalid Item Type {item_type}", element="Type")
    out: Entity = {"Name": name, "Active": truthy(data.get("Active", True)), "Type": item_type}
    for key in ("Sku", "Description", "PurchaseDesc"):
        if key in data:
            out[key] = str(data[key])
    parent_id = ref_value(data.get("ParentRef"))
    if parent_id:
        parent, parent_ref = resolve_ref(ctx, "Item", data["ParentRef"], "ParentRef")
        out.update(SubItem=True, ParentRef=parent_ref, Level=int(parent.get("Level", 0)) + 1,
                   FullyQualifiedName=f"{parent['FullyQualifiedName']}:{name}")
    else:
        out["FullyQualifiedName"] = name
    if item_type == "Category":
        return out
    out["Taxable"] = truthy(data.get("Taxable", False))
    out["UnitPrice"] = number(to_decimal(data.get("UnitPrice", 0), "UnitPrice"))
    for key in ("SalesTaxIncluded", "PurchaseTaxIncluded"):
        if key in data:
            out[key] = truthy(data[key])
    if "PurchaseCost" in data:
        out["PurchaseCost"] = number(to_decimal(data["PurchaseCost"], "PurchaseCost"))
    # Intuit's Item reference: IncomeAccountRef is required for Service and Inventory items.
    if account_ref(data.get("IncomeAccountRef")) is None and item_type in ("Service", "Inventory"):
        raise required("IncomeAccountRef")
    # Finance.xsd, Item.ExpenseAccountRef: "If the Purchase information (PurchaseDesc, PurchaseTaxIncluded,
    # PurchaseCost, etc.) is provided, this account is required for ... Service" (its other types are QuickBooks
    # Desktop's; nothing we can source says the same of NonInventory, so it is not enforced there).
    purchase_info = any(key in data for key in ("PurchaseDesc", "PurchaseTaxIncluded", "PurchaseCost"))
    if item_type == "Service" and purchase_info and account_ref(data.get("ExpenseAccountRef")) is None:
        raise required("ExpenseAccountRef")
    for key in ("IncomeAccountRef", "ExpenseAccountRef", "AssetAccountRef"):
        if account_ref(data.get(key)):
            # A reference to an account the company lacks (or made inactive) is refused as any other reference.
            _, out[key] = resolve_ref(ctx, "Account", data[key], key)
    out["TrackQtyOnHand"] = item_type == "Inventory"
    if item_type == "Inventory":
        for key in ("AssetAccountRef", "ExpenseAccountRef", "InvStartDate"):
            if key not in out and not data.get(key):
                raise required(key)
        out["QtyOnHand"] = number(to_decimal(data.get("QtyOnHand", 0), "QtyOnHand"))
        out["InvStartDate"] = str(data["InvStartDate"])
    for key in ("SalesTaxCodeRef", "PurchaseTaxCodeRef"):
        if data.get(key):
            _, code_ref = resolve_ref(ctx, "TaxCode", data[key], key)
            out[key] = code_ref
    return out


register(EntityKind("Item", ITEM_FIELDS, frozenset({"FullyQualifiedName", "Level"}), build_item, name_list=True))


# -- Term -----------------------------------------------------------------------------------------------------------

TERM_FIELDS = frozenset({"Name", "Active", "Type", "DiscountPercent", "DueDays", "DiscountDays", "DayOfMonthDue",
                         "DueNextMonthDays", "DiscountDayOfMonth"})


def build_term(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    name = str(data.get("Name") or "").strip()
    if not name:
        raise required("Name")
    _unique(ctx, "Term", "Name", name, old["Id"] if old else None)
    date_driven = data.get("Type") == "DATE_DRIVEN" or (data.get("DayOfMonthDue") not in (None, "")
                                                        and data.get("DueDays") in (None, ""))
    out: Entity = {"Name": name, "Active": truthy(data.get("Active", True)),
                   "Type": "DATE_DRIVEN" if date_driven else "STANDARD",
                   "DiscountPercent": number(to_decimal(data.get("DiscountPercent", 0), "DiscountPercent"))}
    if date_driven:
        out["DayOfMonthDue"] = int(data.get("DayOfMonthDue") or 1)
        out["DueNextMonthDays"] = int(data.get("DueNextMonthDays") or 0)
        out["DiscountDayOfMonth"] = int(data.get("DiscountDayOfMonth") or 0)
    else:
        out["DueDays"] = int(data.get("DueDays") or 0)
        out["DiscountDays"] = int(data.get("DiscountDays") or 0)
    return out


register(EntityKind("Term", TERM_FIELDS, frozenset(), build_term, name_list=True))


# -- TaxCode / TaxRate ----------------------------------------------------------------------------------------------

def _read_only(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    raise unsupported("Operation Create/Update is not supported for this entity; use TaxService.")


register(EntityKind("TaxCode", frozenset({"Name", "Description", "Active", "Hidden", "Taxable", "TaxGroup",
                                          "SalesTaxRateList", "PurchaseTaxRateList"}),
                    frozenset(), _read_only, name_list=True, creatable=False, updatable=False, cdc=False))
register(EntityKind("TaxRate", frozenset({"Name", "Description", "Active", "RateValue", "AgencyRef",
                                          "SpecialTaxType", "DisplayType"}),
                    frozenset(), _read_only, name_list=True, creatable=False, updatable=False, cdc=False))


def recompute_customer_balance(ctx: Ctx, customer_id: str) -> None:
    """Customer.Balance is the open receivable: unpaid invoices less open credits and unapplied payments."""
    company = ctx.company
    customer = company.get("Customer", customer_id)
    if customer is None:
        return
    total = Decimal("0")
    for invoice in company.all("Invoice"):
        if ref_value(invoice.get("CustomerRef")) == customer_id:
            total += Decimal(str(invoice.get("Balance", 0)))
    for memo in company.all("CreditMemo"):
        if ref_value(memo.get("CustomerRef")) == customer_id:
            total -= Decimal(str(memo.get("Balance", 0)))
    for payment in company.all("Payment"):
        if ref_value(payment.get("CustomerRef")) == customer_id:
            total -= Decimal(str(payment.get("UnappliedAmt", 0)))
    customer["Balance"] = money(total)
    customer["BalanceWithJobs"] = money(total)
