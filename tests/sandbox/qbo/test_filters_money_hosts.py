"""Fidelity fixes: filters on nested/reference properties, half-up money rounding, sandbox vs production API hosts."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from sandbox.qbo import create_app
from sandbox.qbo.app import QboSimulator
from sandbox.simkit.server import RunningServer, serve_in_thread
from tests.sandbox.qbo.conftest import Connection, Sim, invoice_body

# -- 1. filters -----------------------------------------------------------------------------------------------------


def _customers_with_email(us: Connection) -> dict[str, str]:
    ids = {}
    for name, email in (("Mail One", "one@example.com"), ("Mail Two", "two@example.org"), ("No Mail", None)):
        body: dict[str, Any] = {"DisplayName": name}
        if email:
            body["PrimaryEmailAddr"] = {"Address": email}
        ids[name] = us.create("Customer", body)["Id"]
    return ids


def _names(result: dict[str, Any]) -> list[str]:
    return sorted(row["DisplayName"] for row in result.get("Customer", []))


def test_email_filters_compare_the_address(us: Connection) -> None:
    _customers_with_email(us)
    assert _names(us.query("select * from Customer where PrimaryEmailAddr = 'one@example.com'")) == ["Mail One"]
    # String comparisons are case-insensitive, like every other string filter in the simulator.
    assert _names(us.query("select * from Customer where PrimaryEmailAddr = 'ONE@example.com'")) == ["Mail One"]
    assert _names(us.query("select * from Customer where PrimaryEmailAddr LIKE '%@example.%'")) == \
        ["Mail One", "Mail Two"]
    assert _names(us.query("select * from Customer where PrimaryEmailAddr LIKE '%.org'")) == ["Mail Two"]
    assert _names(us.query("select * from Customer where PrimaryEmailAddr IN ('two@example.org', 'x@y.z')")) == \
        ["Mail Two"]
    assert _names(us.query("select * from Customer where PrimaryEmailAddr != 'one@example.com' "
                           "AND DisplayName LIKE 'Mail%'")) == ["Mail Two"]
    # The dotted form reads the same field.
    assert _names(us.query("select * from Customer where PrimaryEmailAddr.Address = 'two@example.org'")) == \
        ["Mail Two"]
    assert us.query("select count(*) from Customer where PrimaryEmailAddr = 'nobody@example.com'") == \
        {"totalCount": 0}
    ordered = us.query("select * from Customer where DisplayName LIKE 'Mail%' ORDERBY PrimaryEmailAddr DESC")
    assert [row["DisplayName"] for row in ordered["Customer"]] == ["Mail Two", "Mail One"]


def test_invoice_filters_on_refs_numbers_dates_ids_and_metadata(us: Connection) -> None:
    customer = us.create("Customer", {"DisplayName": "Ref Filter Co", "PrimaryEmailAddr": {"Address": "r@f.co"}})
    first = us.create("Invoice", invoice_body(customer=customer["Id"], amount=10, TxnDate="2026-01-10",
                                              DocNumber="A-1"))
    second = us.create("Invoice", invoice_body(customer=customer["Id"], amount=250.5, TxnDate="2026-02-10"))
    other = us.create("Invoice", invoice_body(customer="1", amount=99, TxnDate="2026-03-10"))
    us.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 10,
                          "Line": [{"Amount": 10, "LinkedTxn": [{"TxnId": first["Id"], "TxnType": "Invoice"}]}]})

    def ids(text: str) -> list[str]:
        return sorted((row["Id"] for row in us.query(text).get("Invoice", [])), key=int)

    assert ids(f"select * from Invoice where CustomerRef = '{customer['Id']}'") == [first["Id"], second["Id"]]
    assert ids(f"select * from Invoice where CustomerRef IN ('{customer['Id']}', '1')") == \
        [first["Id"], second["Id"], other["Id"]]
    assert ids("select * from Invoice where DocNumber = 'A-1'") == [first["Id"]]
    assert ids(f"select * from Invoice where DocNumber = '{second['DocNumber']}'") == [second["Id"]]
    assert ids("select * from Invoice where TxnDate >= '2026-02-01' AND TxnDate <= '2026-02-28'") == [second["Id"]]
    assert ids("select * from Invoice where TxnDate > '2026-01-10'") == [second["Id"], other["Id"]]
    # Paid in full: Balance 0 is not > '0'; quoted and bare numbers compare as numbers (Decimal), not text.
    assert ids(f"select * from Invoice where Balance > '0' AND CustomerRef = '{customer['Id']}'") == [second["Id"]]
    assert ids("select * from Invoice where Balance > '100'") == [second["Id"]]
    assert ids("select * from Invoice where Balance = '250.50'") == [second["Id"]]
    assert ids("select * from Invoice where TotalAmt >= 99") == [second["Id"], other["Id"]]
    assert ids(f"select * from Invoice where Id IN ('{first['Id']}', '{other['Id']}')") == [first["Id"], other["Id"]]
    stamp = first["MetaData"]["LastUpdatedTime"]
    assert ids(f"select * from Invoice where MetaData.LastUpdatedTime >= '{stamp}'") == \
        [first["Id"], second["Id"], other["Id"]]
    assert ids("select * from Invoice where MetaData.LastUpdatedTime > '2099-01-01T00:00:00Z'") == []
    assert ids("select * from Invoice where MetaData.CreateTime > '2000-01-01'") == \
        [first["Id"], second["Id"], other["Id"]]
    # An e-mail copied from the customer is filterable on the invoice too.
    assert ids("select * from Invoice where BillEmail = 'r@f.co'") == [first["Id"], second["Id"]]


# -- 2. money: half-up to cents, in Decimal -------------------------------------------------------------------------


def _line(qty: Any, unit_price: Any, amount: Any = None) -> dict[str, Any]:
    line: dict[str, Any] = {"DetailType": "SalesItemLineDetail",
                            "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": qty, "UnitPrice": unit_price}}
    if amount is not None:
        line["Amount"] = amount
    return line


def test_line_amount_check_rounds_half_up_like_the_amounts(us: Connection) -> None:
    # 3 x 33.335 = 100.005: half-up gives 100.01 (half-even would give 100.00 and refuse the half-up amount).
    accepted = us.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [_line(3, 33.335, 100.01)]})
    assert accepted["Line"][0]["Amount"] == 100.01 and accepted["TotalAmt"] == 100.01
    # Without an Amount the simulator computes the same value, so its own output passes its own check.
    computed = us.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [_line(3, 33.335)]})
    assert computed["Line"][0]["Amount"] == 100.01
    resent = {**computed, "sparse": False}
    assert us.create("Invoice", resent)["Line"][0]["Amount"] == 100.01
    # An Amount with more than two decimals is rounded half-up before the comparison and when stored.
    exact = us.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [_line(3, 33.335, 100.005)]})
    assert exact["Line"][0]["Amount"] == 100.01
    # 2.5 x 0.01 = 0.025 -> 0.03 (half-even: 0.02).
    assert us.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [_line(2.5, 0.01, "0.03")]})["TotalAmt"] \
        == 0.03
    # No tolerance by default: one cent off is refused, and the fault names the supplied amount.
    error = us.fault("POST", "invoice", json={"CustomerRef": {"value": "1"}, "Line": [_line(3, 33.335, 100.00)]})
    assert error["code"] == "6070" and error["element"] == "Line.Amount"
    assert "Supplied value:100.00" in error["Detail"]


def test_line_amount_tolerance_setting(us: Connection, sim: Sim) -> None:
    assert sim.control("GET", "/config").json()["line_amount_tolerance"] == "0"
    assert sim.control("POST", "/config", json={"line_amount_tolerance": "0.01"}).json()[
        "line_amount_tolerance"] == "0.01"
    # A float-rounding client (round(3 * 33.335, 2) == 100.0 in binary floating point) now passes ...
    loose = us.create("Invoice", {"CustomerRef": {"value": "1"}, "Line": [_line(3, 33.335, 100.00)]})
    assert loose["Line"][0]["Amount"] == 100.0
    # ... but two cents off still fails.
    assert us.fault("POST", "invoice", json={"CustomerRef": {"value": "1"},
                                             "Line": [_line(3, 33.335, 99.99)]})["code"] == "6070"
    for bad in ("-0.01", "lots", "NaN"):
        assert sim.control("POST", "/config", json={"line_amount_tolerance": bad}).status_code == 400


def test_totals_tax_and_balances_stay_decimal(us: Connection) -> None:
    # Ten lines of 0.1 sum to exactly 1.00 (floats give 0.9999999999999999).
    lines = [_line(1, 0.1, 0.1) for _ in range(10)]
    invoice = us.create("Invoice", {"CustomerRef": {"value": "2"}, "Line": lines})
    assert invoice["TotalAmt"] == 1.0 and invoice["Balance"] == 1.0
    customer = us.ok("GET", "customer/2")["Customer"]
    assert customer["Balance"] == 1.0
    # US tax at 8% on a taxable half-cent-rounded line: 100.01 x 8% = 8.0008 -> 8.00, on the rounded line amount.
    taxed = us.create("Invoice", {"CustomerRef": {"value": "1"},
                                  "Line": [{**_line(3, 33.335, 100.01),
                                            "SalesItemLineDetail": {"ItemRef": {"value": "1"}, "Qty": 3,
                                                                    "UnitPrice": 33.335,
                                                                    "TaxCodeRef": {"value": "TAX"}}}],
                                  "TxnTaxDetail": {"TxnTaxCodeRef": {"value": "2"}}})
    tax_line = taxed["TxnTaxDetail"]["TaxLine"]
    assert tax_line
    assert all(line["TaxLineDetail"]["NetAmountTaxable"] == 100.01 for line in tax_line)
    assert taxed["TotalAmt"] == round(100.01 + taxed["TxnTaxDetail"]["TotalTax"], 2)


# -- 3. sandbox and production API hosts ----------------------------------------------------------------------------


@pytest.fixture
def sandbox_server(sim: Sim) -> Iterator[RunningServer]:
    server = serve_in_thread(sim.app.sandbox_host())
    try:
        yield server
    finally:
        server.stop()


def _on(connection: Connection, url: str, path: str) -> requests.Response:
    return requests.get(f"{url}/v3/company/{connection.realm}/{path}", params={"minorversion": "75"}, timeout=10,
                        headers={"Authorization": f"Bearer {connection.tokens['access_token']}",
                                 "Accept": "application/json"})


WRONG_HOST = {"Fault": {"Error": [{"Message": "message=ApplicationAuthorizationFailed; errorCode=003100; "
                                              "statusCode=403", "Detail": "", "code": "3100", "element": ""}],
                        "type": "SERVICE"}}


def test_companies_default_to_production(sim: Sim) -> None:
    created = sim.control("POST", "/companies", json={"name": "Default Co"}).json()
    assert created["sandbox"] is False
    as_text = sim.control("POST", "/companies", json={"name": "Text Co", "sandbox": "false"}).json()
    assert as_text["sandbox"] is False
    assert sim.control("POST", "/companies", json={"name": "Test Co", "sandbox": True}).json()["sandbox"] is True


def test_production_host_refuses_sandbox_companies_and_vice_versa(sim: Sim, sandbox_server: RunningServer) -> None:
    production = sim.connect()
    sandbox = sim.connect(sandbox=True, name="Sandbox Company_US_1")
    # The main port is the production host: production companies answer, sandbox companies get 403 / 3100.
    assert _on(production, sim.url, "companyinfo/" + production.realm).status_code == 200
    refused = _on(sandbox, sim.url, "companyinfo/" + sandbox.realm)
    assert refused.status_code == 403
    body = refused.json()
    assert {"Fault": body["Fault"]} == WRONG_HOST and "time" in body
    assert refused.headers["Intuit-Tid"]
    # The sandbox port is the sandbox host: the other way round.
    assert _on(sandbox, sandbox_server.url, "companyinfo/" + sandbox.realm).json()["CompanyInfo"]["CompanyName"] \
        == "Sandbox Company_US_1"
    wrong = _on(production, sandbox_server.url, "query?query=select%20*%20from%20Customer")
    assert wrong.status_code == 403 and wrong.json()["Fault"] == WRONG_HOST["Fault"]
    # Batch, CDC and writes are refused the same way; an expired/absent token is still a 401 first.
    assert requests.post(f"{sim.url}/v3/company/{sandbox.realm}/batch", json={"BatchItemRequest": []}, timeout=10,
                         headers={"Authorization": f"Bearer {sandbox.tokens['access_token']}"}).status_code == 403
    assert requests.get(f"{sim.url}/v3/company/{sandbox.realm}/companyinfo/{sandbox.realm}",
                        timeout=10).status_code == 401


def test_both_hosts_share_state_oauth_and_control(sim: Sim, sandbox_server: RunningServer) -> None:
    sandbox = sim.connect(sandbox=True)
    created = requests.post(f"{sandbox_server.url}/v3/company/{sandbox.realm}/customer", timeout=10,
                            json={"DisplayName": "Seen Everywhere"},
                            headers={"Authorization": f"Bearer {sandbox.tokens['access_token']}",
                                     "Accept": "application/json"}).json()["Customer"]
    assert sim.app.state.companies[sandbox.realm].get("Customer", created["Id"]) is not None
    # OAuth and the control API answer on the sandbox port too (Intuit's OAuth hosts serve both environments).
    discovery = requests.get(f"{sandbox_server.url}/.well-known/openid_sandbox_configuration/", timeout=10).json()
    assert discovery["token_endpoint"] == f"{sandbox_server.url}/oauth2/v1/tokens/bearer"
    listed = requests.get(f"{sandbox_server.url}/_sandbox/companies", timeout=10).json()["companies"]
    assert [c["sandbox"] for c in listed] == [True]


def test_in_process_hosts_share_one_webhook_worker() -> None:
    app = create_app()
    sandbox_app = app.sandbox_host()
    try:
        assert isinstance(sandbox_app, QboSimulator)
        assert sandbox_app.state is app.state and sandbox_app.webhooks is app.webhooks
        assert (app.environment, sandbox_app.environment) == ("production", "sandbox")
        assert sandbox_app.production_host() is not sandbox_app and app.production_host() is app
        sandbox_app.close()  # a second host does not own the worker: closing it leaves the main app running
        assert app.webhooks is app.state.webhooks
    finally:
        app.close()
    with pytest.raises(ValueError):
        QboSimulator(app.state, "staging")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_command_line_sandbox_port() -> None:
    port, sandbox_port = _free_port(), _free_port()
    process = subprocess.Popen([sys.executable, "-m", "sandbox.qbo", "--port", str(port)],
                               env={**os.environ, "SANDBOX_QBO_SANDBOX_PORT": str(sandbox_port)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        for url in (f"http://127.0.0.1:{port}", f"http://127.0.0.1:{sandbox_port}"):
            deadline = time.monotonic() + 15
            while True:
                try:
                    assert requests.get(f"{url}/_sandbox/config", timeout=2).status_code == 200
                    break
                except requests.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
        realm = requests.post(f"http://127.0.0.1:{port}/_sandbox/companies", timeout=5,
                              json={"name": "CLI Sandbox", "sandbox": True}).json()["realm_id"]
        seen = requests.get(f"http://127.0.0.1:{sandbox_port}/_sandbox/companies/{realm}", timeout=5)
        assert seen.status_code == 200 and seen.json()["sandbox"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)
