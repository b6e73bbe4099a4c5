"""Query language, batch and change data capture."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.sandbox.qbo.conftest import Connection, Sim, invoice_body


def _since(sim: Sim, seconds: float) -> str:
    return (datetime.fromtimestamp(sim.app.state.clock.now(), tz=UTC) - timedelta(seconds=seconds)).isoformat()


def test_where_like_in_order_paging_and_count(us: Connection) -> None:
    for n in range(5):
        us.create("Customer", {"DisplayName": f"Zed {n}", "CompanyName": "Zed Corp" if n % 2 else "Other"})
    rows = us.query("select * from Customer where DisplayName LIKE 'Zed%' AND CompanyName = 'Zed Corp' "
                    "ORDERBY DisplayName DESC")["Customer"]
    assert [r["DisplayName"] for r in rows] == ["Zed 3", "Zed 1"]
    page = us.query("SELECT * FROM Customer WHERE DisplayName LIKE '%ed%' ORDER BY Id STARTPOSITION 2 MAXRESULTS 2")
    assert page["startPosition"] == 2 and page["maxResults"] == 2
    assert [r["DisplayName"] for r in page["Customer"]] == ["Zed 1", "Zed 2"]
    assert us.query("SELECT COUNT(*) FROM Customer WHERE DisplayName LIKE 'Zed%'") == {"totalCount": 5}
    assert us.query("SELECT * FROM Customer WHERE Id IN ('1', '2')")["maxResults"] == 2
    assert us.query("SELECT * FROM Customer WHERE DisplayName = 'Nobody'") == {}
    escaped = us.query("SELECT * FROM Customer WHERE DisplayName = 'Amy\\'s Bird Sanctuary'")
    assert escaped["Customer"][0]["Id"] == "1"


def test_query_by_post_refs_numbers_and_dates(us: Connection) -> None:
    us.create("Invoice", invoice_body(amount=10, TxnDate="2026-01-10"))
    us.create("Invoice", invoice_body(customer="2", amount=500, TxnDate="2026-02-10"))
    response = us.call("POST", "query", data="SELECT * FROM Invoice WHERE Balance > '100' AND DueDate < '2026-04-01'",
                       headers={"Content-Type": "application/text"})
    rows = response.json()["QueryResponse"]["Invoice"]
    assert [r["TotalAmt"] for r in rows] == [500.0]
    assert us.query("SELECT * FROM Invoice WHERE CustomerRef = '1'")["Invoice"][0]["TotalAmt"] == 10.0
    assert len(us.query("SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime > '2020-01-01T00:00:00-08:00'")
               ["Invoice"]) == 2


def test_query_faults(us: Connection) -> None:
    error = us.fault("GET", "query", params={"query": "SELECT * FROM Custmoer"})
    assert error == {"Message": "Invalid query", "Detail": "QueryValidationError: invalid context declaration: "
                     "Custmoer", "code": "4001", "element": ""}
    assert us.fault("GET", "query", params={"query": "SELECT * FROM Customer MAXRESULTS 1001"})["code"] == "4001"
    assert us.fault("GET", "query", params={"query": "SELECT * FROM Customer WHERE Id = '1' OR Id = '2'"})["code"] \
        == "4001"
    assert us.fault("GET", "query", params={"query": "SELECT * FROM Customer WHERE Bogus = '1'"})["code"] == "4001"


def test_maxresults_1000_paging(us: Connection) -> None:
    for n in range(3):
        us.create("Term", {"Name": f"Net {70 + n}", "DueDays": 70 + n})
    page = us.query("SELECT * FROM Term MAXRESULTS 1000")
    assert page["maxResults"] == len(page["Term"]) == 8


def test_batch_mixed_results(us: Connection) -> None:
    invoice = us.create("Invoice", invoice_body())
    body = {"BatchItemRequest": [
        {"bId": "b1", "operation": "create", "Customer": {"DisplayName": "Batch One"}},
        {"bId": "b2", "operation": "update", "Invoice": {"Id": invoice["Id"], "SyncToken": "7", "sparse": True,
                                                         "PrivateNote": "x"}},
        {"bId": "b3", "operation": "delete", "Invoice": {"Id": "999", "SyncToken": "0"}},
        {"bId": "b4", "Query": "select * from Term where Name = 'Net 30'"},
        {"bId": "b5", "operation": "create", "Customer": {"DisplayName": "Amy's Bird Sanctuary"}},
    ]}
    items = {item["bId"]: item for item in us.ok("POST", "batch", json=body)["BatchItemResponse"]}
    assert items["b1"]["Customer"]["DisplayName"] == "Batch One"
    assert items["b2"]["Fault"]["Error"][0]["code"] == "5010"
    assert items["b3"]["Fault"]["Error"][0]["code"] == "610"
    assert items["b4"]["QueryResponse"]["Term"][0]["DueDays"] == 30
    assert items["b5"]["Fault"]["Error"][0]["code"] == "6240"
    too_many = {"BatchItemRequest": [{"bId": str(n), "Query": "select * from Term"} for n in range(31)]}
    assert us.call("POST", "batch", json=too_many).status_code == 400
    thirty = {"BatchItemRequest": [{"bId": str(n), "Query": "select * from Term"} for n in range(30)]}
    assert len(us.ok("POST", "batch", json=thirty)["BatchItemResponse"]) == 30


def test_cdc_changes_and_deleted_stubs(sim: Sim, us: Connection) -> None:
    sim.control("POST", "/clock", json={"advance_seconds": 10})  # put the seed data before the window
    since = _since(sim, 1)
    keep = us.create("Invoice", invoice_body())
    gone = us.create("Invoice", invoice_body())
    us.ok("POST", "invoice", params={"operation": "delete"}, json={"Id": gone["Id"], "SyncToken": "0"})
    us.create("Customer", {"DisplayName": "Fresh"})
    response = us.ok("GET", "cdc", params={"entities": "Invoice,Customer", "changedSince": since})
    invoice_part, customer_part = response["CDCResponse"][0]["QueryResponse"]
    assert [row["Id"] for row in invoice_part["Invoice"]] == [keep["Id"], gone["Id"]]
    assert invoice_part["Invoice"][1]["status"] == "Deleted"
    assert [row["DisplayName"] for row in customer_part["Customer"]] == ["Fresh"]
    sim.control("POST", "/clock", json={"advance_seconds": 31 * 86_400})
    us.tokens = sim.token(us.app, {"grant_type": "refresh_token", "refresh_token": us.tokens["refresh_token"]}).json()
    assert us.fault("GET", "cdc", params={"entities": "Invoice", "changedSince": since})["code"] == "6000"
    assert us.fault("GET", "cdc", params={"entities": "TaxCode", "changedSince": _since(sim, 5)})["code"] == "6000"
