"""Connecting QuickBooks companies end to end in-process: the OAuth function, moto, and the QBO simulator."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.config import get_settings
from hubbooks.models.tokens import GrantKey, Provider
from sandbox.simkit.server import serve_in_thread
from tests.functional.qbo.conftest import (
    CALLBACK_URL,
    QboSim,
    call,
    callback,
    connect,
    intuit_authorize_url,
    open_link,
    page_text,
    point_settings_at,
    request_connect_link,
)
from tests.support import http_event, json_body, signed_event

PORTAL = 42


def connections(portal_id: int = PORTAL) -> list[dict]:
    answer = call(signed_event("GET", "/oauth/qbo/connections", portal_id=portal_id))
    assert answer["statusCode"] == 200, answer
    body = json_body(answer)
    assert body["portal_id"] == portal_id
    return list(body["connections"])


def test_the_connect_link_leads_to_intuit_with_everything_intuit_needs(qbo_sim: QboSim) -> None:
    authorize = urlsplit(intuit_authorize_url(PORTAL))
    assert f"{authorize.scheme}://{authorize.netloc}{authorize.path}" == f"{qbo_sim.url}/connect/oauth2"
    query = parse_qs(authorize.query)
    assert query["client_id"] == [qbo_sim.client_id] and query["response_type"] == ["code"]
    assert query["scope"] == ["com.intuit.quickbooks.accounting"] and query["redirect_uri"] == [CALLBACK_URL]
    assert len(query["state"][0]) > 40


def test_a_us_and_a_uk_company_connect_to_one_portal(qbo_sim: QboSim) -> None:
    us = qbo_sim.new_company("Acme US", "US")
    uk = qbo_sim.new_company("Acme UK", "GB", multicurrency=True, custom_txn_numbers=True)

    first = connect(qbo_sim, PORTAL, us)
    second = connect(qbo_sim, PORTAL, uk)

    assert first["statusCode"] == 200 and "Acme US is now connected to HubSpot" in page_text(first)
    assert "Country US, home currency USD." in page_text(first)
    assert "Country GB, home currency GBP, multicurrency on, custom invoice numbers." in page_text(second)
    listed = {c["realm_id"]: c for c in connections()}
    assert set(listed) == {us, uk}
    assert listed[uk]["home_currency"] == "GBP" and listed[uk]["multicurrency"] is True
    assert listed[uk]["custom_txn_numbers"] is True and listed[us]["status"] == "connected"
    assert connections(portal_id=43) == []
    grant = dynamo_token_store().load(GrantKey(provider=Provider.QBO, portal_id=PORTAL, realm_id=uk))
    assert grant is not None and grant.tokens.refresh_token.startswith("RT1-")


def test_tokens_are_encrypted_for_their_portal_and_realm(qbo_sim: QboSim, aws) -> None:
    from botocore.exceptions import ClientError

    from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
    from hubbooks.adapters.storage.table_keys import grant_key

    realm = qbo_sim.new_company("Vault Co")
    connect(qbo_sim, PORTAL, realm)
    item = dynamodb_table(get_settings().app_table_name).get_item(Key=grant_key("qbo", PORTAL, realm))["Item"]
    assert b"RT1-" not in bytes(item["rt_ct"])
    with pytest.raises(ClientError, match="InvalidCiphertext"):
        aws_client("kms").decrypt(CiphertextBlob=bytes(item["rt_ct"]),
                                  EncryptionContext={"provider": "qbo", "portal_id": "43", "realm_id": realm,
                                                     "purpose": "refresh_token"})


def test_connecting_an_already_connected_company_renews_it_and_says_so(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Twice Ltd")
    connect(qbo_sim, PORTAL, realm)
    key = GrantKey(provider=Provider.QBO, portal_id=PORTAL, realm_id=realm)
    before = dynamo_token_store().load(key)

    again = connect(qbo_sim, PORTAL, realm)

    assert again["statusCode"] == 200
    assert "already connected" in page_text(again) and "renewed" in page_text(again)
    after = dynamo_token_store().load(key)
    assert before is not None and after is not None and after.tokens.refresh_token != before.tokens.refresh_token


def test_disconnect_revokes_at_intuit_forgets_tokens_and_keeps_history_then_reconnect(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Gone Soon Inc")
    connect(qbo_sim, PORTAL, realm)
    key = GrantKey(provider=Provider.QBO, portal_id=PORTAL, realm_id=realm)
    old_refresh = dynamo_token_store().load(key)
    assert old_refresh is not None

    answer = call(signed_event("DELETE", f"/oauth/qbo/connections/{realm}", portal_id=PORTAL, user_id=9))

    assert answer["statusCode"] == 200 and json_body(answer)["status"] == "disconnected"
    assert dynamo_token_store().load(key) is None
    assert [c["status"] for c in connections()] == ["disconnected"]
    refused = qbo_sim.control("GET", "stats")  # the revoke reached Intuit ...
    assert sum(refused["endpoints"]["POST /v2/oauth2/tokens/revoke"].values()) == 1
    import requests  # ... and the old refresh token is dead there
    dead = requests.post(f"{qbo_sim.url}/oauth2/v1/tokens/bearer", timeout=10,
                         auth=(qbo_sim.client_id, qbo_sim.client_secret),
                         data={"grant_type": "refresh_token", "refresh_token": old_refresh.tokens.refresh_token})
    assert dead.status_code == 400 and dead.json()["error"] == "invalid_grant"
    assert call(signed_event("DELETE", f"/oauth/qbo/connections/{realm}", portal_id=PORTAL))["statusCode"] == 200

    back = connect(qbo_sim, PORTAL, realm)
    assert "reconnected" in page_text(back)
    assert [c["status"] for c in connections()] == ["connected"]


def test_disconnect_of_a_company_the_portal_does_not_have_is_404(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Elsewhere")
    connect(qbo_sim, 77, realm)
    answer = call(signed_event("DELETE", f"/oauth/qbo/connections/{realm}", portal_id=PORTAL))
    assert answer["statusCode"] == 404 and json_body(answer)["error"] == "not_found"


def test_disconnect_with_a_malformed_realm_id_is_422(qbo_sim: QboSim) -> None:
    answer = call(signed_event("DELETE", "/oauth/qbo/connections/abc", portal_id=PORTAL))
    assert answer["statusCode"] == 422 and "QuickBooks company id" in json_body(answer)["message"]


def test_unsigned_connect_link_and_list_requests_are_refused(qbo_sim: QboSim) -> None:
    for method, path in (("POST", "/oauth/qbo/connect-link"), ("GET", "/oauth/qbo/connections"),
                         ("DELETE", "/oauth/qbo/connections/1")):
        answer = call(http_event(method, path, query={"portalId": PORTAL, "userId": 1}))
        assert answer["statusCode"] == 401, (method, path)


def test_denied_consent_says_nothing_was_connected(qbo_sim: QboSim) -> None:
    answer = callback(qbo_sim.consent(intuit_authorize_url(PORTAL), None, deny=True))
    assert answer["statusCode"] == 200
    assert "You chose not to give HubBooks access" in page_text(answer)
    assert connections() == []


def test_a_connect_link_works_once(qbo_sim: QboSim) -> None:
    link = request_connect_link(PORTAL)
    assert open_link(link)["statusCode"] == 302
    again = open_link(link)
    assert again["statusCode"] == 400 and "already used" in page_text(again)


def test_a_tampered_or_missing_link_is_refused(qbo_sim: QboSim) -> None:
    tampered = call(http_event("GET", "/oauth/qbo/connect", query={"link": "abc.def"}))
    assert tampered["statusCode"] == 400 and "not valid" in page_text(tampered)
    missing = call(http_event("GET", "/oauth/qbo/connect"))
    assert missing["statusCode"] == 400 and "incomplete" in page_text(missing)


def test_an_intuit_state_used_twice_is_refused(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Replay Co")
    query = qbo_sim.consent(intuit_authorize_url(PORTAL), realm)
    assert callback(query)["statusCode"] == 200
    replay = callback(query)
    assert replay["statusCode"] == 400 and "already completed" in page_text(replay)


def test_an_expired_intuit_state_is_refused(qbo_sim: QboSim) -> None:
    from hubbooks.adapters.aws.clients import dynamodb_table
    from hubbooks.adapters.storage.table_keys import oauth_state_key

    realm = qbo_sim.new_company("Slow Co")
    query = qbo_sim.consent(intuit_authorize_url(PORTAL), realm)
    nonce = query["state"].split(".")[0]
    dynamodb_table(get_settings().app_table_name).update_item(  # the user took longer than the state lives
        Key=oauth_state_key(nonce), UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": "2020-01-01T00:00:00Z"})
    expired = callback(query)
    assert expired["statusCode"] == 400 and "has expired" in page_text(expired)
    assert connections() == []


@pytest.mark.parametrize(("query", "words"), [
    ({"code": "c", "realmId": "1"}, "no state"),
    ({"state": "s.t", "realmId": "1"}, "no authorization code"),
    ({"state": "s.t", "code": "c"}, "no authorization code or company id"),
    ({"state": "s.t", "code": "c", "realmId": "1; drop"}, "malformed"),
    ({"state": "forged.state", "code": "c", "realmId": "1"}, "started in another browser"),
    ({"error": "server_error", "state": "x"}, "QuickBooks reported: server_error"),
])
def test_bad_callbacks_get_a_clear_400_page(qbo_sim: QboSim, query: dict[str, str], words: str) -> None:
    answer = callback(query)
    assert answer["statusCode"] == 400 and words in page_text(answer)


def test_a_consent_link_sent_to_someone_else_cannot_connect_their_company(qbo_sim: QboSim) -> None:
    """Someone starts from their own portal, stops at Intuit's consent page and sends that link to a QuickBooks
    admin: the admin's approval arrives from a browser without the connection's cookie and is refused."""
    realm = qbo_sim.new_company("Victim Co")
    authorize_url = intuit_authorize_url(PORTAL)  # the attacker's browser holds the cookie
    approved_by_victim = qbo_sim.consent(authorize_url, realm)

    refused = callback(approved_by_victim, cookies={})
    assert refused["statusCode"] == 400 and "started in another browser" in page_text(refused)
    forged = callback(approved_by_victim, cookies={"hubbooks_qbo_connect": "bm90LXRoZS1zdGF0ZQ"})
    assert forged["statusCode"] == 400 and "started in another browser" in page_text(forged)
    assert connections() == []

    completed = callback(approved_by_victim)  # only the browser that started it can finish
    assert completed["statusCode"] == 200 and [c["realm_id"] for c in connections()] == [realm]


def test_the_connect_cookie_is_http_only_lax_and_scoped_to_the_callback(qbo_sim: QboSim) -> None:
    answer = open_link(request_connect_link(PORTAL))
    [cookie] = answer["cookies"]
    attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert cookie.startswith("hubbooks_qbo_connect=")
    assert {"httponly", "secure", "path", "max-age", "samesite"} <= attributes
    assert "Path=/oauth/qbo/callback" in cookie and "SameSite=Lax" in cookie


def test_a_code_intuit_does_not_accept_is_explained(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Code Co")
    query = qbo_sim.consent(intuit_authorize_url(PORTAL), realm)
    query["code"] = "AB11-not-a-code"
    answer = callback(query)
    assert answer["statusCode"] == 400 and "expired or was already used" in page_text(answer)


def test_qbo_failing_while_reading_the_company_is_a_502_page(qbo_sim: QboSim) -> None:
    realm = qbo_sim.new_company("Flaky Co")
    query = qbo_sim.consent(intuit_authorize_url(PORTAL), realm)
    qbo_sim.control("POST", "faults", {"status": 503, "rate": 1.0, "path_prefix": "/v3/"})
    answer = callback(query)
    assert answer["statusCode"] == 502 and "try again" in page_text(answer)
    assert connections() == []
    assert _revokes(qbo_sim) == 1  # the grant obtained before the failure is handed back


def _revokes(qbo_sim: QboSim) -> int:
    return sum(qbo_sim.control("GET", "stats")["endpoints"].get("POST /v2/oauth2/tokens/revoke", {}).values())


def test_a_sandbox_company_picked_on_a_production_stack_is_refused_in_plain_words(qbo_sim: QboSim) -> None:
    # The default stack reads QuickBooks' production host, which answers 403 fault 3100 for a sandbox company.
    realm = qbo_sim.new_company("Sandbox Company_US_2", sandbox=True)
    refused = connect(qbo_sim, PORTAL, realm)
    text = page_text(refused)
    assert refused["statusCode"] == 403 and "text/html" in refused["headers"]["Content-Type"]
    assert "QuickBooks would not let HubBooks use this company" in text and "sandbox (test) company" in text
    assert "What to do: connect a real (not sandbox) QuickBooks Online company" in text
    assert "did not answer" not in text and connections() == []
    assert _revokes(qbo_sim) == 1


def test_sandbox_companies_are_refused_unless_allowed(qbo_sim: QboSim, monkeypatch: pytest.MonkeyPatch,
                                                      route_host, request: pytest.FixtureRequest) -> None:
    # Intuit serves sandbox companies from its sandbox host only; the test plays DNS for that host, which the
    # simulator serves as a second WSGI app over the same state (its main app refuses sandbox companies).
    sandbox_host = "http://sandbox-quickbooks.api.intuit.test"
    sandbox_server = serve_in_thread(qbo_sim.app.sandbox_host())
    request.addfinalizer(sandbox_server.stop)
    route_host(sandbox_host, sandbox_server.url)
    point_settings_at(monkeypatch, sandbox_host, qbo_sim.url, qbo_sim.client_id)
    realm = qbo_sim.new_company("Sandbox Company_US_1", sandbox=True)

    refused = connect(qbo_sim, PORTAL, realm)

    assert refused["statusCode"] == 403
    assert "Sandbox Company_US_1 is an Intuit sandbox (test) company" in page_text(refused)
    assert connections() == []
    assert sum(qbo_sim.control("GET", "stats")["endpoints"]["POST /v2/oauth2/tokens/revoke"].values()) == 1

    monkeypatch.setenv("ALLOW_QBO_SANDBOX_COMPANIES", "true")
    get_settings.cache_clear()
    allowed = connect(qbo_sim, PORTAL, realm)
    assert allowed["statusCode"] == 200
    assert [c["is_sandbox"] for c in connections()] == [True]
