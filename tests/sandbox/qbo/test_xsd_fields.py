"""Every field name the simulator emits for an entity exists in Intuit's XSD for that entity (recursively)."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.qbo.entities import KINDS
from tests.sandbox.qbo.conftest import Connection, Sim, invoice_body
from tests.sandbox.qbo.xsd import Schema


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema()


def _exercise(conn: Connection, tax_code: str | None) -> None:
    """Create at least one of everything, in as many states as possible, so rich shapes get emitted."""
    detail: dict[str, Any] = {"ItemRef": {"value": "2"}, "Qty": 2, "UnitPrice": 50, "ServiceDate": "2026-01-05"}
    if tax_code:
        detail["TaxCodeRef"] = {"value": tax_code}
    customer = conn.create("Customer", {
        "DisplayName": "Schema Customer", "GivenName": "Ada", "FamilyName": "Lovelace", "CompanyName": "Schema Ltd",
        "PrimaryEmailAddr": {"Address": "ada@example.com"}, "PrimaryPhone": {"FreeFormNumber": "555-0101"},
        "BillAddr": {"Line1": "1 Main St", "City": "Springfield", "PostalCode": "12345"},
        "ShipAddr": {"Line1": "2 Main St", "City": "Springfield"}, "SalesTermRef": {"value": "2"},
        "Notes": "note", "WebAddr": {"URI": "https://example.com"}})
    conn.create("Customer", {"DisplayName": "Sub job", "ParentRef": {"value": customer["Id"]}})
    conn.create("Item", {"Name": "Schema Service", "Type": "Service", "UnitPrice": 10, "Sku": "SKU-1",
                         "IncomeAccountRef": {"value": "1"}})
    conn.create("Item", {"Name": "Schema Stock", "Type": "Inventory", "UnitPrice": 10, "QtyOnHand": 5,
                         "InvStartDate": "2026-01-01", "IncomeAccountRef": {"value": "79"},
                         "AssetAccountRef": {"value": "81"}, "ExpenseAccountRef": {"value": "80"}})
    conn.create("Term", {"Name": "15th of month", "Type": "DATE_DRIVEN", "DayOfMonthDue": 15})
    lines = [{"Amount": 100, "DetailType": "SalesItemLineDetail", "Description": "Work",
              "SalesItemLineDetail": detail},
             {"DetailType": "DescriptionOnly", "Description": "Just words"},
             {"Amount": 10, "DetailType": "DiscountLineDetail",
              "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10}}]
    common: dict[str, Any] = {"CustomerRef": {"value": customer["Id"]}, "Line": lines,
                              "CustomerMemo": {"value": "Thanks"}, "PrivateNote": "private",
                              "BillEmailCc": {"Address": "cc@example.com"}}
    if not tax_code:
        common["TxnTaxDetail"] = {"TxnTaxCodeRef": {"value": "2"}}
    estimate = conn.create("Estimate", {**common, "ExpirationDate": "2026-12-31"})
    invoice = conn.create("Invoice", {**common, "LinkedTxn": [{"TxnId": estimate["Id"], "TxnType": "Estimate"}]},
                          params={"include": "invoiceLink"})
    conn.ok("POST", f"invoice/{invoice['Id']}/send", params={"sendTo": "ap@example.com"},
            headers={"Content-Type": "application/octet-stream"})
    payment = conn.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 20, "PaymentRefNum": "42",
                                      "Line": [{"Amount": 15, "LinkedTxn": [{"TxnId": invoice["Id"],
                                                                             "TxnType": "Invoice"}]}]})
    conn.create("Deposit", {"DepositToAccountRef": {"value": "35"}, "PrivateNote": "Monday's takings",
                            "Line": [{"Amount": 20, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment",
                                                                   "TxnLineId": "0"}]},
                                     {"Amount": 5, "DetailType": "DepositLineDetail",
                                      "DepositLineDetail": {"AccountRef": {"value": "1"}}}]})
    vendor = conn.create("Vendor", {"DisplayName": "Schema Supplies", "GivenName": "Sam", "TermRef": {"value": "3"},
                                    "PrimaryEmailAddr": {"Address": "sam@example.com"}})
    bill = conn.create("Bill", {"VendorRef": {"value": vendor["Id"]}, "DueDate": "2026-02-01", "DocNumber": "B-7",
                                "Line": [{"Amount": 80, "DetailType": "AccountBasedExpenseLineDetail",
                                          "Description": "Paper",
                                          "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "60"}}}]})
    conn.create("BillPayment", {"VendorRef": {"value": vendor["Id"]}, "PayType": "Check", "TotalAmt": 30,
                                "CheckPayment": {"BankAccountRef": {"value": "35"}},
                                "Line": [{"Amount": 30, "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}]})
    conn.create("Account", {"Name": "Savings", "AccountType": "Bank", "AccountSubType": "Savings"})
    voided = conn.create("Invoice", invoice_body(customer["Id"], 5, item="1",
                                                 **({} if not tax_code else {"Line": [{
                                                     "Amount": 5, "DetailType": "SalesItemLineDetail",
                                                     "SalesItemLineDetail": {"ItemRef": {"value": "1"},
                                                                             "TaxCodeRef": {"value": tax_code}}}]})))
    conn.ok("POST", "invoice", params={"operation": "void"}, json={"Id": voided["Id"], "SyncToken": "0"})
    conn.create("CreditMemo", common)
    conn.create("RefundReceipt", {**common, "DepositToAccountRef": {"value": "4"}, "PaymentRefNum": "R-1"})


def _all_entities(conn: Connection) -> list[tuple[str, dict[str, Any]]]:
    out: list[tuple[str, dict[str, Any]]] = []
    for name in KINDS:
        where = " WHERE Active IN (true, false)" if KINDS[name].name_list else ""
        rows = conn.query(f"SELECT * FROM {name}{where} MAXRESULTS 1000").get(name, [])
        assert rows, f"nothing to check for {name}"
        out += [(name, row) for row in rows]
    return out


@pytest.mark.parametrize("company", [
    {"country": "US", "home_currency": "USD", "multicurrency": True},
    {"country": "GB", "home_currency": "GBP", "multicurrency": True, "custom_txn_numbers": True},
    {"country": "CA", "home_currency": "CAD"},
    {"country": "AU", "home_currency": "AUD"},
])
def test_every_emitted_field_is_in_the_xsd(sim: Sim, schema: Schema, company: dict[str, Any]) -> None:
    conn = sim.connect(**company)
    _exercise(conn, None if company["country"] == "US" else "1")
    problems: list[str] = []
    entities = _all_entities(conn)
    cdc = conn.ok("GET", "cdc", params={"entities": "Invoice,Payment", "changedSince": _hour_ago(sim)})
    for response in cdc["CDCResponse"][0]["QueryResponse"]:
        for name in ("Invoice", "Payment"):
            entities += [(name, row) for row in response.get(name, [])]
    for name, entity in entities:
        assert name in schema.types, f"no XSD type for {name}"
        schema.check(entity, name, name, problems)
    assert problems == []


def test_the_reader_follows_extension_chains(schema: Schema) -> None:
    allowed = schema.allowed("Invoice")
    assert {"Id", "SyncToken", "MetaData", "domain", "sparse", "DocNumber", "Line", "Balance"} <= set(allowed)
    assert schema.is_simple_content("ReferenceType")
    problems: list[str] = []
    schema.check({"Id": "1", "Bogus": 1, "CustomerRef": {"value": "1", "nope": 2}}, "Invoice", "Invoice", problems)
    assert problems == ["Invoice.Bogus is not in XSD type Invoice",
                        "Invoice.CustomerRef.nope is not in XSD type ReferenceType"]


def _hour_ago(sim: Sim) -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.fromtimestamp(sim.app.state.clock.now(), tz=UTC) - timedelta(hours=1)).isoformat()
