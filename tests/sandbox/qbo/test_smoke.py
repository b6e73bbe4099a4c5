from tests.sandbox.qbo.conftest import Connection, invoice_body


def test_create_invoice_round_trip(us: Connection) -> None:
    invoice = us.create("Invoice", invoice_body())
    assert invoice["TotalAmt"] == 100.0
    assert invoice["Balance"] == 100.0
    assert invoice["DocNumber"] == "1001"
    read = us.ok("GET", f"invoice/{invoice['Id']}")["Invoice"]
    assert read == invoice
