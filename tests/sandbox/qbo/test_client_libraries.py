"""Intuit's OAuth client and python-quickbooks work against the simulator with only their base URLs changed."""

from __future__ import annotations

import warnings
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from intuitlib.client import AuthClient
from intuitlib.enums import Scopes
from intuitlib.exceptions import AuthClientError
from quickbooks import QuickBooks
from quickbooks.batch import batch_create
from quickbooks.cdc import change_data_capture
from quickbooks.exceptions import QuickbooksException, ValidationException
from quickbooks.objects.base import LinkedTxn
from quickbooks.objects.customer import Customer
from quickbooks.objects.detailline import SalesItemLine, SalesItemLineDetail
from quickbooks.objects.invoice import Invoice
from quickbooks.objects.item import Item
from quickbooks.objects.payment import Payment, PaymentLine
from quickbooks.objects.preferences import Preferences
from quickbooks.objects.term import Term

from tests.sandbox.qbo.conftest import REDIRECT_URI, Sim


def _connect(sim: Sim, scopes: list[Scopes]) -> tuple[AuthClient, str]:
    app = sim.new_app()
    realm = sim.new_company(name="Library Co")
    auth = AuthClient(app["client_id"], app["client_secret"], REDIRECT_URI,
                      f"{sim.url}/.well-known/openid_sandbox_configuration/")
    url = auth.get_authorization_url(scopes)
    # A person would click through the consent page; post the same form the page renders.
    page = requests.get(url, timeout=10)
    assert page.status_code == 200 and "<select" in page.text
    query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
    answer = requests.post(f"{sim.url}/connect/oauth2", data={**query, "realm_id": realm, "decision": "approve"},
                           allow_redirects=False, timeout=10)
    assert answer.status_code == 302
    callback = {k: v[0] for k, v in parse_qs(urlparse(answer.headers["Location"]).query).items()}
    assert callback["state"] == auth.state_token
    auth.get_bearer_token(callback["code"], realm_id=callback["realmId"])
    return auth, realm


def _quickbooks(sim: Sim, auth: AuthClient, realm: str) -> QuickBooks:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        client = QuickBooks(auth_client=auth, refresh_token=auth.refresh_token, company_id=realm, minorversion=75)
    client.api_url_v3 = f"{sim.url}/v3"
    return client


def test_intuit_oauth_client_full_cycle(sim: Sim) -> None:
    auth, _ = _connect(sim, [Scopes.ACCOUNTING, Scopes.OPENID, Scopes.EMAIL])
    assert auth.access_token and auth.refresh_token
    assert auth.expires_in == 3600
    assert auth.id_token, "the RS256 id_token must validate against the simulator's JWKS"
    info = auth.get_user_info().json()
    assert info["email"]
    first = auth.refresh_token
    auth.refresh()
    assert auth.refresh_token != first
    assert auth.revoke() is True
    with pytest.raises(AuthClientError) as raised:
        auth.refresh()
    assert raised.value.status_code == 400
    assert raised.value.response.json() == {"error_description": "Token invalid", "error": "invalid_grant"}


def test_python_quickbooks_customers_and_invoices(sim: Sim, monkeypatch: pytest.MonkeyPatch) -> None:
    # requests-oauthlib refuses plain http unless told; the simulator serves http on loopback.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    auth, realm = _connect(sim, [Scopes.ACCOUNTING])
    qb = _quickbooks(sim, auth, realm)

    customer = Customer()
    customer.DisplayName = "Library Customer"
    customer.PrimaryEmailAddr = None
    customer = customer.save(qb=qb)
    assert customer.Id and customer.SyncToken == "0"
    found = Customer.filter(DisplayName="Library Customer", qb=qb)
    assert [c.Id for c in found] == [customer.Id]
    customer.CompanyName = "Library Inc"
    updated = customer.save(qb=qb)
    assert updated.SyncToken == "1" and updated.CompanyName == "Library Inc"
    assert Customer.count(qb=qb) == 3

    line = SalesItemLine()
    line.Amount = 250
    line.Description = "Consulting"
    line.SalesItemLineDetail = SalesItemLineDetail()
    line.SalesItemLineDetail.ItemRef = Item.get(3, qb=qb).to_ref()
    line.SalesItemLineDetail.Qty = 2
    line.SalesItemLineDetail.UnitPrice = 125
    invoice = Invoice()
    invoice.CustomerRef = updated.to_ref()
    invoice.Line = [line]
    invoice = invoice.save(qb=qb)
    assert invoice.TotalAmt == 250 and invoice.Balance == 250 and invoice.DocNumber

    invoice = Invoice.get(invoice.Id, qb=qb)
    invoice.PrivateNote = "full update from the library"
    invoice = invoice.save(qb=qb)
    assert invoice.SyncToken == "1"
    assert [i.Id for i in Invoice.where(f"CustomerRef = '{updated.Id}'", qb=qb)] == [invoice.Id]

    pdf = invoice.download_pdf(qb=qb)
    assert pdf.startswith(b"%PDF-1.4")
    sent = invoice.send(qb=qb, send_to="ap@example.com")
    assert sent["Invoice"]["EmailStatus"] == "EmailSent"

    payment = Payment()
    payment.CustomerRef = updated.to_ref()
    payment.TotalAmt = 100
    payment_line = PaymentLine()
    payment_line.Amount = 100
    linked = LinkedTxn()
    linked.TxnId = invoice.Id
    linked.TxnType = "Invoice"
    payment_line.LinkedTxn = [linked]
    payment.Line = [payment_line]
    payment.save(qb=qb)
    assert Invoice.get(invoice.Id, qb=qb).Balance == 150

    stale = Invoice.get(invoice.Id, qb=qb)
    stale.SyncToken = "0"
    with pytest.raises(QuickbooksException) as raised:
        stale.save(qb=qb)
    assert raised.value.error_code == 5010

    duplicate = Customer()
    duplicate.DisplayName = "Library Customer"
    with pytest.raises(QuickbooksException) as raised:
        duplicate.save(qb=qb)
    assert raised.value.error_code == 6240

    with pytest.raises(ValidationException):
        qb.query("SELECT * FROM Custmoer")

    terms = Term.all(qb=qb)
    assert {t.Name for t in terms} >= {"Due on receipt", "Net 15", "Net 30", "Net 60"}
    prefs = Preferences.get(qb=qb)
    assert prefs.CurrencyPrefs.HomeCurrency.value == "USD"

    new_customers = []
    for n in range(3):
        c = Customer()
        c.DisplayName = f"Batch {n}"
        new_customers.append(c)
    result = batch_create(new_customers, qb=qb)
    assert len(result.successes) == 3 and not result.faults

    cdc = change_data_capture([Invoice, Customer], _recent(sim), qb=qb)
    assert len(cdc.Invoice) == 1
    assert len(cdc.Customer) >= 4


def _recent(sim: Sim) -> str:
    from datetime import UTC, datetime, timedelta

    moment = datetime.fromtimestamp(sim.app.state.clock.now(), tz=UTC) - timedelta(hours=1)
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")
