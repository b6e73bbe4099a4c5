"""Accounting API behaviour: envelopes, headers, CRUD with SyncToken, numbering, totals, tax, currency, faults."""

from __future__ import annotations

import re

from tests.sandbox.qbo.conftest import Connection, Sim, invoice_body


def test_headers_and_envelope(us: Connection) -> None:
    response = us.call("GET", f"companyinfo/{us.realm}", params={"minorversion": "40"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json;charset=utf-8"
    assert re.fullmatch(r"1-[0-9a-f]{8}-[0-9a-f]{24}", response.headers["intuit_tid"])
    assert response.headers["Intuit-Tid"] == response.headers["intuit_tid"]
    assert response.headers["Qbo-Version"]
    body = response.json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}-0[78]:00", body["time"])
    info = body["CompanyInfo"]
    assert info["Country"] == "US" and info["CompanyAddr"]["Country"] == "USA"
    assert re.fullmatch(r".*T\d\d:\d\d:\d\d-0[78]:00", info["MetaData"]["CreateTime"])


def test_seeded_data(us: Connection) -> None:
    terms = {t["Name"]: t for t in us.query("SELECT * FROM Term")["Term"]}
    assert terms["Net 30"]["DueDays"] == 30 and terms["Due on receipt"]["DueDays"] == 0
    assert {c["Id"] for c in us.query("SELECT * FROM TaxCode")["TaxCode"]} >= {"TAX", "NON"}
    items = us.query("SELECT *, Sku FROM Item")["Item"]
    assert {i["Type"] for i in items} == {"Service", "NonInventory"}
    assert all(i["IncomeAccountRef"]["value"] for i in items)
    prefs = us.ok("GET", "preferences")["Preferences"]
    assert prefs["CurrencyPrefs"]["HomeCurrency"] == {"value": "USD"}
    assert prefs["SalesFormsPrefs"]["CustomTxnNumbers"] is False


def test_gb_tax_codes(sim: Sim) -> None:
    gb = sim.connect(country="GB", home_currency="GBP")
    names = {c["Name"] for c in gb.query("SELECT * FROM TaxCode")["TaxCode"]}
    assert {"20.0% S", "5.0% R", "0.0% Z", "Exempt"} <= names
    assert gb.query("SELECT * FROM TaxRate WHERE Name = '20.0% S'")["TaxRate"][0]["RateValue"] == 20


def test_invoice_create_shape_and_due_date(us: Connection) -> None:
    invoice = us.create("Invoice", invoice_body(amount=100, TxnDate="2026-03-01", SalesTermRef={"value": "2"}))
    assert invoice["domain"] == "QBO" and invoice["sparse"] is False and invoice["SyncToken"] == "0"
    assert invoice["DueDate"] == "2026-03-16"
    assert invoice["CurrencyRef"] == {"value": "USD", "name": "United States Dollar"}
    assert invoice["Line"][0]["Id"] == "1" and invoice["Line"][0]["LineNum"] == 1
    assert invoice["Line"][0]["SalesItemLineDetail"]["TaxCodeRef"] == {"value": "NON"}
    assert invoice["Line"][-1] == {"Amount": 100.0, "DetailType": "SubTotalLineDetail", "SubTotalLineDetail": {}}
    assert invoice["CustomerRef"] == {"value": "1", "name": "Amy's Bird Sanctuary"}
    assert invoice["BillEmail"] == {"Address": "Birds@Intuit.com"}
    assert invoice["EmailStatus"] == "NotSet" and invoice["TxnTaxDetail"] == {"TotalTax": 0}
    default_terms = us.create("Invoice", invoice_body(TxnDate="2026-03-01"))
    assert default_terms["DueDate"] == "2026-03-31"


def test_us_sales_tax_discount_and_qty_check(us: Connection) -> None:
    body = {"CustomerRef": {"value": "1"}, "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "2"}},
            "Line": [{"Amount": 100, "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": "4"}, "Qty": 4, "UnitPrice": 25,
                                              "TaxCodeRef": {"value": "TAX"}}},
                     {"Amount": 50, "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "TaxCodeRef": {"value": "NON"}}},
                     {"DetailType": "DiscountLineDetail",
                      "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": 10}}]}
    invoice = us.create("Invoice", body)
    assert invoice["TxnTaxDetail"]["TotalTax"] == 8.0
    assert invoice["TotalAmt"] == 150 - 15 + 8
    bad = dict(body, Line=[{"Amount": 99, "DetailType": "SalesItemLineDetail",
                            "SalesItemLineDetail": {"ItemRef": {"value": "4"}, "Qty": 4, "UnitPrice": 25}}])
    assert us.fault("POST", "invoice", json=bad)["code"] == "6070"


def test_non_us_requires_tax_code_and_computes_vat(sim: Sim) -> None:
    gb = sim.connect(country="GB", home_currency="GBP")
    error = gb.fault("POST", "invoice", json=invoice_body())
    assert error["code"] == "6000" and "VAT" in error["Detail"]
    body = {"CustomerRef": {"value": "1"},
            "Line": [{"Amount": 100, "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "TaxCodeRef": {"value": "1"}}},
                     {"Amount": 40, "DetailType": "SalesItemLineDetail",
                      "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "TaxCodeRef": {"value": "2"}}}]}
    invoice = gb.create("Invoice", body)
    assert invoice["TxnTaxDetail"]["TotalTax"] == 22.0
    assert invoice["TotalAmt"] == 162.0 and invoice["GlobalTaxCalculation"] == "TaxExcluded"
    tax_line = invoice["TxnTaxDetail"]["TaxLine"][0]
    assert tax_line["TaxLineDetail"] == {"TaxRateRef": {"value": "1"}, "PercentBased": True, "TaxPercent": 20,
                                         "NetAmountTaxable": 100.0}
    inclusive = gb.create("Invoice", {**body, "GlobalTaxCalculation": "TaxInclusive", "Line": [
        {"DetailType": "SalesItemLineDetail", "Amount": 100, "SalesItemLineDetail": {
            "ItemRef": {"value": "1"}, "TaxCodeRef": {"value": "1"}, "TaxInclusiveAmt": 120}}]})
    assert inclusive["Line"][0]["Amount"] == 100.0 and inclusive["TotalAmt"] == 120.0


def test_multicurrency_exchange_rates(sim: Sim) -> None:
    conn = sim.connect(multicurrency=True)
    euro = conn.create("Customer", {"DisplayName": "Euro GmbH", "CurrencyRef": {"value": "EUR"}})
    assert euro["CurrencyRef"] == {"value": "EUR", "name": "Euro"}
    invoice = conn.create("Invoice", invoice_body(euro["Id"], 200, ExchangeRate=1.1))
    assert invoice["CurrencyRef"]["value"] == "EUR" and invoice["ExchangeRate"] == 1.1
    assert invoice["HomeTotalAmt"] == 220.0 and invoice["HomeBalance"] == 220.0
    sim.control("POST", f"/companies/{conn.realm}/exchange-rates", json={"EUR": 1.25})
    default_rate = conn.create("Invoice", invoice_body(euro["Id"], 100))
    assert default_rate["ExchangeRate"] == 1.25 and default_rate["HomeTotalAmt"] == 125.0
    mismatch = conn.fault("POST", "invoice", json=invoice_body(euro["Id"], 10, CurrencyRef={"value": "USD"}))
    assert mismatch["code"] == "6000"
    plain = sim.connect()
    assert plain.fault("POST", "customer", json={"DisplayName": "X", "CurrencyRef": {"value": "EUR"}})["code"] == "6000"


def test_doc_numbers_auto_custom_and_duplicates(sim: Sim) -> None:
    auto = sim.connect()
    first = auto.create("Invoice", invoice_body())
    second = auto.create("Invoice", invoice_body())
    assert (first["DocNumber"], second["DocNumber"]) == ("1001", "1002")
    custom = sim.connect(custom_txn_numbers=True)
    unnumbered = custom.create("Invoice", invoice_body())
    assert "DocNumber" not in unnumbered
    custom.create("Invoice", invoice_body(DocNumber="INV-7"))
    error = custom.fault("POST", "invoice", json=invoice_body(DocNumber="INV-7"))
    assert error["code"] == "6140" and error["Message"] == "Duplicate Document Number Error"
    allowed = custom.create("Invoice", invoice_body(DocNumber="INV-7"), params={"include": "allowduplicatedocnum"})
    assert allowed["DocNumber"] == "INV-7"


def test_updates_sparse_full_and_stale(us: Connection) -> None:
    customer = us.create("Customer", {"DisplayName": "Jane Doe", "CompanyName": "Doe Co", "Notes": "vip"})
    sparse = us.create("Customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Notes": "changed"})
    assert sparse["SyncToken"] == "1" and sparse["CompanyName"] == "Doe Co" and sparse["Notes"] == "changed"
    full = us.create("Customer", {"Id": customer["Id"], "SyncToken": "1", "DisplayName": "Jane Doe"})
    assert full["SyncToken"] == "2" and "CompanyName" not in full and "Notes" not in full
    stale = us.fault("POST", "customer", json={"Id": customer["Id"], "SyncToken": "1", "sparse": True, "Notes": "x"})
    assert stale["code"] == "5010" and stale["Message"] == "Stale Object Error"
    missing = us.fault("GET", "customer/999")
    assert missing["code"] == "610"


def test_duplicate_display_name(us: Connection) -> None:
    response = us.call("POST", "customer", json={"DisplayName": "amy's bird sanctuary"})
    assert response.status_code == 400
    assert response.json()["Fault"] == {"Error": [{"Message": "Duplicate Name Exists Error", "Detail":
                                                   "The name supplied already exists. : null", "code": "6240",
                                                   "element": ""}], "type": "ValidationFault"}


def test_delete_void_and_name_list_rules(us: Connection) -> None:
    invoice = us.create("Invoice", invoice_body())
    deleted = us.ok("POST", "invoice", params={"operation": "delete"},
                    json={"Id": invoice["Id"], "SyncToken": "0"})["Invoice"]
    assert deleted == {"domain": "QBO", "status": "Deleted", "Id": invoice["Id"]}
    assert us.fault("GET", f"invoice/{invoice['Id']}")["code"] == "610"
    other = us.create("Invoice", invoice_body(amount=80))
    voided = us.ok("POST", "invoice", params={"operation": "void"},
                   json={"Id": other["Id"], "SyncToken": "0"})["Invoice"]
    assert voided["TotalAmt"] == 0 and voided["Balance"] == 0 and voided["PrivateNote"] == "Voided"
    assert voided["SyncToken"] == "1"
    assert us.fault("POST", "customer", params={"operation": "delete"},
                    json={"Id": "1", "SyncToken": "0"})["code"] == "500"
    inactive = us.create("Customer", {"Id": "2", "SyncToken": "0", "sparse": True, "Active": False})
    assert inactive["Active"] is False
    assert [c["Id"] for c in us.query("SELECT * FROM Customer")["Customer"]] == ["1"]


def test_payments_reduce_balance_and_link(us: Connection) -> None:
    invoice = us.create("Invoice", invoice_body(amount=300))
    payment = us.create("Payment", {"CustomerRef": {"value": "1"}, "TotalAmt": 120, "Line": [
        {"Amount": 100, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert payment["UnappliedAmt"] == 20.0
    after = us.ok("GET", f"invoice/{invoice['Id']}")["Invoice"]
    assert after["Balance"] == 200.0 and after["SyncToken"] == "1"
    assert {"TxnId": payment["Id"], "TxnType": "Payment"} in after["LinkedTxn"]
    assert us.ok("GET", "customer/1")["Customer"]["Balance"] == 180.0
    over = us.fault("POST", "payment", json={"CustomerRef": {"value": "1"}, "TotalAmt": 500, "Line": [
        {"Amount": 500, "LinkedTxn": [{"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    assert over["code"] == "6000"
    us.ok("POST", "payment", params={"operation": "update", "include": "void"},
          json={"Id": payment["Id"], "SyncToken": "0", "sparse": True})
    assert us.ok("GET", f"invoice/{invoice['Id']}")["Invoice"]["Balance"] == 300.0


def test_required_fields_and_bad_references(us: Connection) -> None:
    assert us.fault("POST", "invoice", json={"Line": []})["code"] == "2020"
    assert us.fault("POST", "invoice", json=invoice_body(customer="999"))["code"] == "610"
    assert us.fault("POST", "invoice", json=invoice_body(item="999"))["code"] == "610"
    assert us.fault("POST", "item", json={"Name": "No account", "Type": "Service"})["code"] == "2020"
    assert us.fault("POST", "taxcode", json={"Name": "X"})["code"] == "500"
    assert us.fault("POST", "invoice", data="{not json")["code"] == "2010"


def test_send_and_pdf(us: Connection) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    invoice = us.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [
        {"Amount": 150, "Description": "Bird seed", "DetailType": "SalesItemLineDetail",
         "SalesItemLineDetail": {"ItemRef": {"value": "2"}, "Qty": 3, "UnitPrice": 50}}]})
    response = us.call("GET", f"invoice/{invoice['Id']}/pdf", headers={"Accept": "application/pdf"})
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    text = PdfReader(BytesIO(response.content)).pages[0].extract_text()
    for expected in (invoice["DocNumber"], "Amy's Bird Sanctuary", "Bird seed", "150.00"):
        assert expected in text
    sent = us.ok("POST", f"invoice/{invoice['Id']}/send", params={"sendTo": "ap@example.com"},
                 headers={"Content-Type": "application/octet-stream"})["Invoice"]
    assert sent["EmailStatus"] == "EmailSent" and sent["BillEmail"] == {"Address": "ap@example.com"}
    assert sent["DeliveryInfo"]["DeliveryType"] == "Email"
    emails = us.sim.control("GET", f"/companies/{us.realm}/emails").json()["emails"]
    assert emails[0]["to"] == "ap@example.com"


def test_requestid_replays_first_response(us: Connection) -> None:
    first = us.ok("POST", "customer", params={"requestid": "req-1"}, json={"DisplayName": "Once"})
    second = us.ok("POST", "customer", params={"requestid": "req-1"}, json={"DisplayName": "Once"})
    assert first["Customer"]["Id"] == second["Customer"]["Id"] and first["time"] == second["time"]
    assert len(us.query("SELECT * FROM Customer WHERE DisplayName = 'Once'")["Customer"]) == 1
    too_long = us.fault("POST", "customer", params={"requestid": "x" * 51}, json={"DisplayName": "Y"})
    assert "50 characters" in too_long["Detail"]


def test_estimate_converts_to_invoice(us: Connection) -> None:
    estimate = us.create("Estimate", invoice_body(ExpirationDate="2026-12-31"))
    assert estimate["TxnStatus"] == "Pending"
    us.create("Invoice", invoice_body(LinkedTxn=[{"TxnId": estimate["Id"], "TxnType": "Estimate"}]))
    assert us.ok("GET", f"estimate/{estimate['Id']}")["Estimate"]["TxnStatus"] == "Closed"
    memo = us.create("CreditMemo", invoice_body(amount=30))
    assert memo["RemainingCredit"] == 30.0
