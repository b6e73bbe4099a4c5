"""Accounts, vendors, bills and their payments, and deposits of payments out of Undeposited Funds, with the queries
the finance reminders make."""

from __future__ import annotations

from typing import Any

from tests.sandbox.qbo.conftest import Connection


def _bill(us: Connection, amount: str = "80", due: str = "2026-09-20", vendor: str = "1") -> dict[str, Any]:
    return us.create("Bill", {"VendorRef": {"value": vendor}, "DueDate": due, "DocNumber": "B-1",
                              "Line": [{"Amount": amount, "DetailType": "AccountBasedExpenseLineDetail",
                                        "AccountBasedExpenseLineDetail": {"AccountRef": {"value": "60"}}}]})


def _pay_bill(us: Connection, bill: dict[str, Any], amount: str) -> dict[str, Any]:
    return us.create("BillPayment", {"VendorRef": bill["VendorRef"], "PayType": "Check", "TotalAmt": amount,
                                     "CheckPayment": {"BankAccountRef": {"value": "35"}},
                                     "Line": [{"Amount": amount, "LinkedTxn": [{"TxnId": bill["Id"],
                                                                                "TxnType": "Bill"}]}]})


def test_seeded_accounts_and_vendors(us: Connection) -> None:
    accounts = us.query("SELECT * FROM Account WHERE AccountType = 'Other Current Asset'")["Account"]
    assert {(a["Name"], a["AccountSubType"]) for a in accounts} == {("Undeposited Funds", "UndepositedFunds"),
                                                                   ("Inventory Asset", "Inventory")}
    assert us.query("SELECT * FROM Account WHERE AccountType = 'Bank'")["Account"][0]["Name"] == "Checking"
    vendor = us.query("SELECT * FROM Vendor WHERE DisplayName = 'Books by Bessie'")["Vendor"][0]
    assert vendor["Balance"] == 0 and vendor["Active"] is True
    # One name space for customers and vendors.
    assert us.fault("POST", "vendor", json={"DisplayName": "Amy's Bird Sanctuary"})["code"] == "6240"


def test_a_bill_is_paid_down_by_bill_payments_and_found_by_balance_and_due_date(us: Connection) -> None:
    bill = _bill(us)
    assert (bill["TotalAmt"], bill["Balance"], bill["VendorRef"]["name"]) == (80.0, 80.0, "Books by Bessie")
    assert us.ok("GET", "vendor/1")["Vendor"]["Balance"] == 80.0
    due = "SELECT * FROM Bill WHERE Balance > '0' AND DueDate <= '2026-09-25'"
    assert [b["Id"] for b in us.query(due)["Bill"]] == [bill["Id"]]
    assert us.query("SELECT * FROM Bill WHERE Balance > '0' AND DueDate <= '2026-09-19'") == {}
    _pay_bill(us, bill, "30")
    assert us.ok("GET", f"bill/{bill['Id']}")["Bill"]["Balance"] == 50.0
    assert us.fault("POST", "billpayment", json={
        "VendorRef": {"value": "1"}, "PayType": "Check", "TotalAmt": "60",
        "CheckPayment": {"BankAccountRef": {"value": "35"}},
        "Line": [{"Amount": "60", "LinkedTxn": [{"TxnId": bill["Id"], "TxnType": "Bill"}]}]})["Message"]
    paid_off = _pay_bill(us, bill, "50")
    read = us.ok("GET", f"bill/{bill['Id']}")["Bill"]
    assert read["Balance"] == 0.0 and {link["TxnType"] for link in read["LinkedTxn"]} == {"BillPayment"}
    assert us.query(due) == {} and us.ok("GET", "vendor/1")["Vendor"]["Balance"] == 0.0
    us.ok("POST", "billpayment", params={"operation": "delete"}, json={"Id": paid_off["Id"], "SyncToken": "0"})
    assert us.ok("GET", f"bill/{bill['Id']}")["Bill"]["Balance"] == 50.0  # the payment's deletion reopens it


def test_a_deposit_takes_payments_out_of_undeposited_funds_once(us: Connection) -> None:
    payment = us.create("Payment", {"CustomerRef": {"value": "1"}, "TotalAmt": "250", "TxnDate": "2026-09-10"})
    assert payment["DepositToAccountRef"] == {"value": "4", "name": "Undeposited Funds"}
    direct = us.create("Payment", {"CustomerRef": {"value": "1"}, "TotalAmt": "90",
                                   "DepositToAccountRef": {"value": "35"}})
    line = {"Amount": "250", "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment", "TxnLineId": "0"}]}
    deposit = us.create("Deposit", {"DepositToAccountRef": {"value": "35"}, "Line": [line]})
    assert deposit["TotalAmt"] == 250.0 and deposit["Line"][0]["LinkedTxn"][0]["TxnId"] == payment["Id"]
    assert us.ok("GET", f"payment/{payment['Id']}")["Payment"]["DepositToAccountRef"]["value"] == "4"  # unchanged
    again = us.fault("POST", "deposit", json={"DepositToAccountRef": {"value": "35"}, "Line": [line]})
    assert "already in another deposit" in again["Detail"]
    straight = us.fault("POST", "deposit", json={"DepositToAccountRef": {"value": "35"}, "Line": [
        {"Amount": "90", "LinkedTxn": [{"TxnId": direct["Id"], "TxnType": "Payment"}]}]})
    assert "not received into Undeposited Funds" in straight["Detail"]
    into_undeposited = us.fault("POST", "deposit", json={"DepositToAccountRef": {"value": "4"}, "Line": [line]})
    assert "Deposit to a bank account" in into_undeposited["Detail"]
    found = us.query(f"SELECT * FROM Deposit WHERE TxnDate >= '2026-01-01' AND Id = '{deposit['Id']}'")["Deposit"]
    assert [d["Id"] for d in found] == [deposit["Id"]]
    us.ok("POST", "deposit", params={"operation": "delete"}, json={"Id": deposit["Id"], "SyncToken": "0"})
    assert us.create("Deposit", {"DepositToAccountRef": {"value": "35"}, "Line": [line]})["TotalAmt"] == 250.0
