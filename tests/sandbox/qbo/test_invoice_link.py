"""InvoiceLink, QuickBooks' pay-online link: only with `include=invoiceLink`, only for an invoice that accepts online
payment (which needs a Payments account) and has a billing e-mail; on reads, queries, writes and sends alike."""

from __future__ import annotations

from tests.sandbox.qbo.conftest import Connection, Sim, invoice_body

WITH_LINK = {"include": "invoiceLink"}


def test_no_link_without_a_payments_account_whatever_the_invoice_asks(us: Connection) -> None:
    invoice = us.create("Invoice", invoice_body(BillEmail={"Address": "ap@example.com"},
                                                AllowOnlineCreditCardPayment=True), params=WITH_LINK)
    assert invoice["AllowOnlineCreditCardPayment"] is False and invoice["AllowOnlineACHPayment"] is False
    assert "InvoiceLink" not in invoice
    assert "InvoiceLink" not in us.ok("GET", f"invoice/{invoice['Id']}", params=WITH_LINK)["Invoice"]


def test_link_with_online_payments_on_request_only(sim: Sim) -> None:
    conn = sim.connect(online_payments=True)
    invoice = conn.create("Invoice", invoice_body(BillEmail={"Address": "ap@example.com"}))
    assert invoice["AllowOnlineCreditCardPayment"] is True and invoice["AllowOnlineACHPayment"] is True
    assert "InvoiceLink" not in invoice  # not asked for

    read = conn.ok("GET", f"invoice/{invoice['Id']}", params=WITH_LINK)["Invoice"]
    link = read["InvoiceLink"]
    assert link.startswith("https://connect.intuit.com/t/scs-v1-")
    rows = conn.call("GET", "query", params={"query": f"SELECT * FROM Invoice WHERE Id = '{invoice['Id']}'",
                                             **WITH_LINK}).json()["QueryResponse"]["Invoice"]
    assert rows[0]["InvoiceLink"] == link
    plain = conn.query(f"SELECT * FROM Invoice WHERE Id = '{invoice['Id']}'")["Invoice"][0]
    assert "InvoiceLink" not in plain  # derived per request, never stored

    sent = conn.ok("POST", f"invoice/{invoice['Id']}/send", params=WITH_LINK,
                   headers={"Content-Type": "application/octet-stream"})["Invoice"]
    assert sent["EmailStatus"] == "EmailSent" and sent["InvoiceLink"] == link

    other = conn.create("Invoice", invoice_body(BillEmail={"Address": "ap@example.com"}), params=WITH_LINK)
    assert other["InvoiceLink"] != link  # one link per invoice


def test_no_link_without_billing_email_or_with_online_payment_turned_off(sim: Sim) -> None:
    conn = sim.connect(online_payments=True)
    customer = conn.create("Customer", {"DisplayName": "No e-mail Ltd"})  # nothing to copy into BillEmail
    no_email = conn.create("Invoice", invoice_body(customer["Id"]), params=WITH_LINK)
    assert "BillEmail" not in no_email and "InvoiceLink" not in no_email
    declined = conn.create("Invoice", invoice_body(BillEmail={"Address": "ap@example.com"},
                                                   AllowOnlineCreditCardPayment=False, AllowOnlineACHPayment=False),
                           params=WITH_LINK)
    assert "InvoiceLink" not in declined


def test_payments_account_can_be_switched_on_later(sim: Sim) -> None:
    conn = sim.connect()
    patched = sim.control("PATCH", f"/companies/{conn.realm}", json={"online_payments": True})
    assert patched.status_code == 200 and patched.json()["online_payments"] is True
    invoice = conn.create("Invoice", invoice_body(BillEmail={"Address": "ap@example.com"}), params=WITH_LINK)
    assert invoice["InvoiceLink"]
