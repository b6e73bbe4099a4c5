"""The HubSpot install, callback and uninstall routes of the OAuth function, against moto and the simulator."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import oauth_handler
import pytest
from aws_lambda_powertools.utilities import parameters

from hubbooks.adapters.aws.clients import aws_client, dynamodb_table
from hubbooks.adapters.hubspot import factory
from hubbooks.adapters.hubspot.errors import HubSpotAuthenticationError
from hubbooks.adapters.hubspot.install_factory import install_store
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.table_keys import oauth_state_key
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.config import get_settings
from hubbooks.domain.auth.token_manager import GrantRevokedError, TokenManager
from hubbooks.domain.connect.hubspot_deal_properties import DEAL_PROPERTIES, ROLLUP_GROUP, rollup_properties
from hubbooks.domain.connect.hubspot_install import INSTALL_SCOPES
from hubbooks.domain.errors import TenantNotConnectedError
from hubbooks.models.connections import QboConnection
from hubbooks.models.tokens import GrantKey, Provider
from tests.functional.hubspot.conftest import HubSpotSim
from tests.support import LambdaContext, http_event, signed_event

REDIRECT_URI = "https://api.hubbooks.test/oauth/hubspot/callback"


@pytest.fixture
def hubspot_app(aws: Any, hubspot_sim: HubSpotSim, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """A HubSpot app registered in the simulator, its credentials in the stack's secret, the URLs pointed at it."""
    app = hubspot_sim.new_app(REDIRECT_URI)
    monkeypatch.setenv("HUBSPOT_API_BASE_URL", hubspot_sim.url)
    monkeypatch.setenv("HUBSPOT_AUTHORIZE_URL", f"{hubspot_sim.url}/oauth/authorize")
    monkeypatch.setenv("HUBSPOT_CLIENT_ID", app["client_id"])
    aws_client("secretsmanager").put_secret_value(SecretId=os.environ["HUBSPOT_APP_SECRET_ARN"],
                                                  SecretString=json.dumps({"client_secret": app["client_secret"]}))
    get_settings.cache_clear()
    parameters.clear_caches()
    yield app


def _call(event: dict[str, Any]) -> dict[str, Any]:
    return oauth_handler.lambda_handler(event, LambdaContext())


# The cookies the test's browser holds between requests, as a real browser would (cleared before each test).
BROWSER: dict[str, str] = {}


@pytest.fixture(autouse=True)
def _fresh_browser() -> None:
    BROWSER.clear()


def _start_install() -> dict[str, str]:
    response = _call(http_event("GET", "/oauth/hubspot/install"))
    assert response["statusCode"] == 302
    for cookie in response.get("cookies") or []:
        name, _, rest = cookie.partition("=")
        BROWSER[name] = rest.split(";")[0]
    return {k: v[0] for k, v in parse_qs(urlsplit(response["headers"]["Location"]).query).items()}


def _consent(sim: HubSpotSim, authorize: dict[str, str], portal_id: int, approve: bool = True) -> dict[str, str]:
    answer = sim.control("POST", "authorize", {**authorize, "portal_id": portal_id, "approve": approve})
    return {k: v[0] for k, v in parse_qs(urlsplit(answer["redirect"]).query).items()}


def _callback(query: dict[str, str], cookies: dict[str, str] | None = None) -> dict[str, Any]:
    jar = BROWSER if cookies is None else cookies
    return _call(http_event("GET", "/oauth/hubspot/callback", query=query,
                            cookies=[f"{name}={value}" for name, value in jar.items()]))


def _install(sim: HubSpotSim, portal_id: int) -> dict[str, Any]:
    return _callback(_consent(sim, _start_install(), portal_id))


def test_install_redirects_to_hubspot_with_scopes_and_a_signed_state(hubspot_sim: HubSpotSim,
                                                                     hubspot_app: dict[str, Any]) -> None:
    response = _call(http_event("GET", "/oauth/hubspot/install"))
    location = urlsplit(response["headers"]["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{hubspot_sim.url}/oauth/authorize"
    assert query["client_id"] == [hubspot_app["client_id"]] and query["redirect_uri"] == [REDIRECT_URI]
    assert query["scope"][0].split() == list(INSTALL_SCOPES)
    assert "." in query["state"][0] and response["headers"]["Cache-Control"] == "no-store"


def test_callback_installs_stores_tokens_and_creates_deal_properties(hubspot_sim: HubSpotSim,
                                                                     hubspot_app: dict[str, Any]) -> None:
    portal = hubspot_sim.new_portal("EUR")
    response = _install(hubspot_sim, portal)

    assert response["statusCode"] == 200, response["body"]
    assert "HubBooks is installed" in response["body"] and "EUR" in response["body"]
    assert "Created the 23 HubBooks invoice properties on deals, contacts and companies" in response["body"]
    assert "connect a QuickBooks company from a deal" in response["body"]
    install = install_store().get(portal)
    assert install is not None and install.company_currency == "EUR" and install.status == "installed"
    assert install.hub_domain and install.installed_by_user_id and "oauth" in install.scopes
    grant = dynamo_token_store().load(GrantKey(provider=Provider.HUBSPOT, portal_id=portal))
    assert grant is not None and grant.tokens.access_expires_at > datetime.now(UTC) + timedelta(minutes=25)
    raw = dynamodb_table(get_settings().app_table_name).get_item(
        Key={"pk": f"PORTAL#{portal}", "sk": "TOKEN#hubspot#-"})["Item"]
    assert grant.tokens.refresh_token.encode() not in bytes(raw["rt_ct"])  # encrypted at rest

    names = {p.name for p in DEAL_PROPERTIES}
    properties = hubspot_sim.client(portal).properties
    assert names <= properties.list_names("deals")
    for object_type in ("contacts", "companies"):  # the roll-ups
        assert {p.name for p in rollup_properties(ROLLUP_GROUP)} <= properties.list_names(object_type)


def test_installing_again_is_idempotent(hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any]) -> None:
    portal = hubspot_sim.new_portal()
    assert _install(hubspot_sim, portal)["statusCode"] == 200
    again = _install(hubspot_sim, portal)
    assert again["statusCode"] == 200 and "HubBooks is installed again" in again["body"]
    assert "All 23 HubBooks invoice properties were already in place" in again["body"]


def test_a_state_works_once(hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any]) -> None:
    query = _consent(hubspot_sim, _start_install(), hubspot_sim.new_portal())
    assert _callback(query)["statusCode"] == 200
    replay = _callback(query)
    assert replay["statusCode"] == 400 and "already used" in replay["body"]


def test_an_expired_state_is_refused(hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any]) -> None:
    authorize = _start_install()
    nonce = authorize["state"].split(".")[0]
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    dynamodb_table(get_settings().app_table_name).update_item(
        Key=oauth_state_key(nonce), UpdateExpression="SET expires_at = :past",
        ExpressionAttributeValues={":past": past})
    response = _callback(_consent(hubspot_sim, authorize, hubspot_sim.new_portal()))
    assert response["statusCode"] == 400 and "expired" in response["body"]


def test_a_forged_state_is_refused(hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any]) -> None:
    authorize = _start_install()
    authorize["state"] = authorize["state"].split(".")[0] + ".forged"
    response = _callback(_consent(hubspot_sim, authorize, hubspot_sim.new_portal()))
    assert response["statusCode"] == 400 and "started in another browser" in response["body"]


def test_an_install_finishes_only_in_the_browser_that_started_it(hubspot_sim: HubSpotSim,
                                                                 hubspot_app: dict[str, Any]) -> None:
    approved = _consent(hubspot_sim, _start_install(), hubspot_sim.new_portal())
    elsewhere = _callback(approved, cookies={})
    assert elsewhere["statusCode"] == 400 and "started in another browser" in elsewhere["body"]
    assert _callback(approved)["statusCode"] == 200


def test_denied_consent_says_so_and_uses_up_the_state(hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any]) -> None:
    authorize = _start_install()
    denied = _consent(hubspot_sim, authorize, hubspot_sim.new_portal(), approve=False)
    response = _callback(denied)
    assert response["statusCode"] == 200 and "Install cancelled" in response["body"]
    nonce = authorize["state"].split(".")[0]
    assert "Item" not in dynamodb_table(get_settings().app_table_name).get_item(Key=oauth_state_key(nonce))


def test_a_rejected_code_asks_to_start_again(hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any]) -> None:
    query = _consent(hubspot_sim, _start_install(), hubspot_sim.new_portal())
    query["code"] = "not-a-code"
    response = _callback(query)
    assert response["statusCode"] == 400 and "Start the install again" in response["body"]


def test_hubspot_failing_mid_install_gives_a_retry_page(hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("hubbooks.adapters.hubspot.transport.time.sleep", lambda _: None)  # backoff, not wait
    query = _consent(hubspot_sim, _start_install(), hubspot_sim.new_portal())
    hubspot_sim.control("POST", "faults", {"status": 503, "rate": 1.0, "path_prefix": "/account-info/"})
    response = _callback(query)
    assert response["statusCode"] == 502 and "try the install again" in response["body"]
    assert "HubSpot correlation id" in response["body"]


def test_tokens_refresh_ahead_of_expiry_and_a_401_is_no_refresh_trigger(hubspot_sim: HubSpotSim,
                                                                         hubspot_app: dict[str, Any]) -> None:
    portal = hubspot_sim.new_portal()
    assert _install(hubspot_sim, portal)["statusCode"] == 200
    oauth = factory.hubspot_oauth_client()
    on_sim_time = TokenManager(dynamo_token_store(), oauth.refresh, clock=hubspot_sim.app.clock.now)
    on_wall_time = TokenManager(dynamo_token_store(), oauth.refresh)

    hubspot_sim.app.clock.advance(26 * 60)  # within 5 minutes of the 30-minute expiry
    client = factory.hubspot_client(portal, token_manager=on_sim_time)
    assert client.account.details().portal_id == portal
    assert on_sim_time.refreshes == 1

    hubspot_sim.app.clock.advance(31 * 60)  # the refreshed token has expired at HubSpot, not by our clock
    stale = factory.hubspot_client(portal, token_manager=on_wall_time)
    with pytest.raises(HubSpotAuthenticationError):
        stale.account.details()
    assert on_wall_time.refreshes == 0


def _installer(portal: int) -> int:
    """Only a HubBooks admin may uninstall: the user who installed the app is one."""
    install = install_store().get(portal)
    assert install is not None and install.installed_by_user_id is not None
    return int(install.installed_by_user_id)


def test_signed_uninstall_removes_the_portals_tokens(hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any]) -> None:
    portal = hubspot_sim.new_portal()
    assert _install(hubspot_sim, portal)["statusCode"] == 200
    key = GrantKey(provider=Provider.HUBSPOT, portal_id=portal)
    refresh_token = dynamo_token_store().load(key).tokens.refresh_token  # type: ignore[union-attr]

    unsigned = _call(http_event("DELETE", "/oauth/hubspot/install", query={"portalId": portal, "userId": 1}))
    assert unsigned["statusCode"] == 401 and dynamo_token_store().load(key) is not None

    not_admin = _call(signed_event("DELETE", "/oauth/hubspot/install", portal_id=portal, user_id=_installer(portal) + 1,
                                   secret=hubspot_app["client_secret"]))
    assert not_admin["statusCode"] == 403 and "Only a HubBooks admin" in json.loads(not_admin["body"])["message"]
    assert dynamo_token_store().load(key) is not None

    response = _call(signed_event("DELETE", "/oauth/hubspot/install", portal_id=portal, user_id=_installer(portal),
                                  secret=hubspot_app["client_secret"]))
    assert response["statusCode"] == 200
    body = json.loads(response["body"])
    assert {k: body[k] for k in ("portal_id", "uninstalled", "qbo_companies")} == {
        "portal_id": portal, "uninstalled": True, "qbo_companies": "disconnect"}
    assert dynamo_token_store().load(key) is None
    install = install_store().get(portal)
    assert install is not None and install.status == "uninstalled" and install.uninstalled_at
    with pytest.raises(GrantRevokedError):
        factory.hubspot_oauth_client().refresh(refresh_token)  # revoked at HubSpot too
    with pytest.raises(TenantNotConnectedError):
        factory.hubspot_client(portal).account.details()


def _connect_company(portal: int, realm_id: str, name: str) -> None:
    DynamoConnectionStore(dynamodb_table(get_settings().app_table_name)).save(QboConnection(
        portal_id=portal, realm_id=realm_id, company_name=name, country="US", home_currency="USD",
        connected_at=datetime.now(UTC), connected_by_user_id=1))


def _stored_status(portal: int, realm_id: str) -> str:
    connection = DynamoConnectionStore(dynamodb_table(get_settings().app_table_name)).get(portal, realm_id)
    assert connection is not None
    return connection.status


def _installed_with_a_company(sim: HubSpotSim, realm_id: str, name: str) -> int:
    portal = sim.new_portal()
    assert _install(sim, portal)["statusCode"] == 200
    _connect_company(portal, realm_id, name)
    return portal


def _uninstall(portal: int, app: dict[str, Any], choice: str) -> tuple[int, dict[str, Any]]:
    response = _call(signed_event("DELETE", "/oauth/hubspot/install", portal_id=portal, user_id=_installer(portal),
                                  secret=app["client_secret"], query={"qboCompanies": choice}))
    return response["statusCode"], json.loads(response["body"])


def test_uninstall_keeping_quickbooks_and_the_reinstall_page_says_what_it_found(
        hubspot_sim: HubSpotSim, hubspot_app: dict[str, Any]) -> None:
    portal = _installed_with_a_company(hubspot_sim, "4620816365", "Acme US")

    status, body = _uninstall(portal, hubspot_app, "keep")
    assert status == 200 and body["kept"] == ["Acme US"] and body["disconnected"] == []
    assert "Kept connected for a reinstall: Acme US" in body["message"]
    assert _stored_status(portal, "4620816365") == "connected"
    assert dynamo_token_store().load(GrantKey(provider=Provider.HUBSPOT, portal_id=portal)) is None

    again = _install(hubspot_sim, portal)
    assert again["statusCode"] == 200 and "HubBooks is installed again" in again["body"]
    assert "found 1 QuickBooks company still connected: Acme US" in again["body"]
    assert "Deal properties added" not in again["body"]


def test_uninstall_disconnecting_quickbooks_leaves_nothing_connected(hubspot_sim: HubSpotSim,
                                                                     hubspot_app: dict[str, Any]) -> None:
    portal = _installed_with_a_company(hubspot_sim, "4620816366", "Acme UK")

    status, body = _uninstall(portal, hubspot_app, "disconnect")
    assert status == 200 and body["disconnected"] == ["Acme UK"], body
    assert _stored_status(portal, "4620816366") == "disconnected"
    assert _uninstall(portal, hubspot_app, "maybe")[0] == 422
