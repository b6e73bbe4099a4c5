"""The connect flow's rules, with in-memory stores and a scripted Intuit."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest

from hubbooks.domain.auth.oauth_state import InvalidStateError, OAuthStateService, StateProblem
from hubbooks.domain.connect.qbo_company import company_profile, is_sandbox_api
from hubbooks.domain.connect.qbo_connect import ConnectOutcome, QboConnectService
from hubbooks.domain.errors import NotFoundError
from hubbooks.domain.qbo_errors import (
    IntuitOAuthError,
    QboAuthorizationError,
    QboCompanyRefusedError,
    QboServerError,
    SandboxCompanyRefusedError,
)
from hubbooks.models.identity import SignedIdentity
from hubbooks.models.qbo_company import QboCompanyProfile
from hubbooks.models.tokens import GrantKey, Provider, TokenSet
from tests.unit.qbo.fakes import MemoryConnectionStore, MemoryStateStore, MemoryTokenStore, tokens

USER = SignedIdentity(portal_id=42, user_id=7)


class FakeIntuit:
    def __init__(self) -> None:
        self.issued = 0
        self.revoked: list[str] = []
        self.fail_revoke = False

    def authorization_url(self, *, redirect_uri: str, state: str) -> str:
        return f"https://intuit.test/connect/oauth2?state={state}&redirect_uri={redirect_uri}"

    def exchange_code(self, code: str, redirect_uri: str) -> TokenSet:
        self.issued += 1
        return tokens(f"at-{self.issued}", f"rt-{self.issued}", time.time() + 3600)

    def revoke(self, token: str) -> bool:
        if self.fail_revoke:
            raise IntuitOAuthError("Intuit is down")
        self.revoked.append(token)
        return True


class Setup:
    def __init__(self, *, sandbox: bool = False, allow_sandbox: bool = False) -> None:
        self.clock = [time.time()]
        self.intuit = FakeIntuit()
        self.connections = MemoryConnectionStore()
        self.tokens = MemoryTokenStore(time.time)
        self.states = OAuthStateService(MemoryStateStore(), b"k" * 32, clock=lambda: self.clock[0])
        self.sandbox = sandbox
        self.service = QboConnectService(
            states=self.states, authorizer=self.intuit, read_company=self.read_company,
            connections=self.connections, tokens=self.tokens, connect_url="https://api.test/oauth/qbo/connect",
            redirect_uri="https://api.test/oauth/qbo/callback", allow_sandbox=allow_sandbox,
            clock=lambda: self.clock[0])

    def read_company(self, realm_id: str, access_token: str) -> QboCompanyProfile:
        assert access_token.startswith("at-")
        return QboCompanyProfile(realm_id=realm_id, name=f"Company {realm_id}", country="GB", home_currency="GBP",
                                 custom_txn_numbers=True, multicurrency=False, is_sandbox=self.sandbox)

    def intuit_state(self) -> str:
        link = parse_qs(urlsplit(self.service.create_link(USER).url).query)["link"][0]
        return parse_qs(urlsplit(self.service.start(link)).query)["state"][0]

    def connect(self, realm_id: str = "111"):
        return self.service.complete(state=self.intuit_state(), code="code", realm_id=realm_id)


def test_a_new_company_is_connected_with_its_tokens_and_profile() -> None:
    setup = Setup()
    result = setup.connect("111")
    assert result.outcome is ConnectOutcome.CONNECTED
    connection = setup.connections.get(42, "111")
    assert connection is not None and connection.status == "connected" and connection.connected_by_user_id == 7
    assert (connection.country, connection.home_currency, connection.custom_txn_numbers) == ("GB", "GBP", True)
    grant = setup.tokens.load(GrantKey(provider=Provider.QBO, portal_id=42, realm_id="111"))
    assert grant is not None and grant.tokens.refresh_token == "rt-1"


def test_connect_links_and_intuit_states_work_once() -> None:
    setup = Setup()
    link = parse_qs(urlsplit(setup.service.create_link(USER).url).query)["link"][0]
    setup.service.start(link)
    with pytest.raises(InvalidStateError) as used:
        setup.service.start(link)
    assert used.value.problem is StateProblem.USED
    state = setup.intuit_state()
    setup.service.complete(state=state, code="c", realm_id="1")
    with pytest.raises(InvalidStateError) as again:
        setup.service.complete(state=state, code="c", realm_id="1")
    assert again.value.problem is StateProblem.USED


def test_an_old_link_has_expired() -> None:
    setup = Setup()
    link = parse_qs(urlsplit(setup.service.create_link(USER).url).query)["link"][0]
    setup.clock[0] += 11 * 60
    with pytest.raises(InvalidStateError) as expired:
        setup.service.start(link)
    assert expired.value.problem is StateProblem.EXPIRED


def test_a_link_cannot_stand_in_for_an_intuit_state() -> None:
    setup = Setup()
    link = parse_qs(urlsplit(setup.service.create_link(USER).url).query)["link"][0]
    with pytest.raises(InvalidStateError) as wrong:
        setup.service.complete(state=link, code="c", realm_id="1")
    assert wrong.value.problem is StateProblem.INVALID


def test_reconnecting_a_connected_company_replaces_its_tokens_and_says_so() -> None:
    setup = Setup()
    first = setup.connect("111")
    second = setup.connect("111")
    assert second.outcome is ConnectOutcome.REFRESHED
    assert second.connection.connected_at == first.connection.connected_at
    grant = setup.tokens.load(GrantKey(provider=Provider.QBO, portal_id=42, realm_id="111"))
    assert grant is not None and grant.tokens.refresh_token == "rt-2"


def test_several_companies_per_portal_and_disconnect_keeps_history() -> None:
    setup = Setup()
    setup.connect("111")
    setup.connect("222")
    disconnected = setup.service.disconnect(USER, "111")
    assert disconnected.status == "disconnected" and disconnected.disconnected_by_user_id == 7
    assert setup.intuit.revoked == ["rt-1"]
    assert setup.tokens.load(GrantKey(provider=Provider.QBO, portal_id=42, realm_id="111")) is None
    listed = setup.service.list_connections(42)
    assert [(c.realm_id, c.status) for c in listed] == [("222", "connected"), ("111", "disconnected")]
    assert setup.service.disconnect(USER, "111").status == "disconnected"  # repeating is harmless
    assert setup.intuit.revoked == ["rt-1"]
    assert setup.connect("111").outcome is ConnectOutcome.RECONNECTED


def test_disconnect_changes_nothing_when_intuit_cannot_revoke() -> None:
    setup = Setup()
    setup.connect("111")
    setup.intuit.fail_revoke = True
    with pytest.raises(IntuitOAuthError):
        setup.service.disconnect(USER, "111")
    connection = setup.connections.get(42, "111")
    assert connection is not None and connection.status == "connected"


def test_disconnecting_an_unknown_company_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        Setup().service.disconnect(USER, "999")


def test_sandbox_companies_are_refused_and_their_token_revoked_unless_allowed() -> None:
    refused = Setup(sandbox=True)
    with pytest.raises(SandboxCompanyRefusedError, match="sandbox"):
        refused.connect("333")
    assert refused.intuit.revoked == ["rt-1"] and refused.connections.items == {} and refused.tokens.items == {}
    allowed = Setup(sandbox=True, allow_sandbox=True)
    assert allowed.connect("333").connection.is_sandbox is True


def test_a_denial_uses_up_the_state() -> None:
    setup = Setup()
    state = setup.intuit_state()
    setup.service.cancel(state)
    setup.service.cancel("garbage")  # an unusable state on a denial is not an error
    with pytest.raises(InvalidStateError):
        setup.service.complete(state=state, code="c", realm_id="1")


def test_company_profile_reads_company_info_and_preferences() -> None:
    profile = company_profile("9", {"CompanyName": "Acme Ltd", "Country": "GB"},
                              {"CurrencyPrefs": {"HomeCurrency": {"value": "GBP"}, "MultiCurrencyEnabled": True},
                               "SalesFormsPrefs": {"CustomTxnNumbers": True}},
                              api_base_url="https://quickbooks.api.intuit.com")
    assert profile == QboCompanyProfile(realm_id="9", name="Acme Ltd", country="GB", home_currency="GBP",
                                        custom_txn_numbers=True, multicurrency=True, is_sandbox=False)


@pytest.mark.parametrize(("url", "sandbox"), [
    ("https://sandbox-quickbooks.api.intuit.com", True),
    ("https://quickbooks.api.intuit.com", False),
    ("http://127.0.0.1:8080", False),
    ("https://sandbox.qbo.example.test/", True),
])
def test_sandbox_companies_are_the_ones_served_by_a_sandbox_host(url: str, sandbox: bool) -> None:
    assert is_sandbox_api(url) is sandbox


def test_a_company_quickbooks_refuses_after_consent_is_explained_and_its_grant_revoked() -> None:
    setup = Setup()

    def refuse(realm_id: str, access_token: str) -> QboCompanyProfile:
        raise QboAuthorizationError(fault_code="3100", http_status=403)

    setup.service._read_company = refuse
    with pytest.raises(QboCompanyRefusedError, match="sandbox"):
        setup.connect("444")
    assert setup.intuit.revoked == ["rt-1"] and setup.connections.items == {} and setup.tokens.items == {}


@pytest.mark.parametrize("failing", ["read", "tokens", "connections"])
def test_any_failure_after_the_code_exchange_hands_the_grant_back(failing: str) -> None:
    setup = Setup()

    def broken(*_args: object, **_kwargs: object) -> None:
        raise QboServerError(http_status=503) if failing == "read" else RuntimeError("storage is down")

    if failing == "read":
        setup.service._read_company = broken  # type: ignore[assignment]
    else:
        store = setup.tokens if failing == "tokens" else setup.connections
        store.put = store.save = broken  # type: ignore[method-assign,union-attr]
    with pytest.raises((QboServerError, RuntimeError)):
        setup.connect("555")
    assert setup.intuit.revoked == ["rt-1"]


def test_a_failed_reconnect_leaves_a_live_connection_alone() -> None:
    setup = Setup()
    setup.connect("666")
    setup.service._read_company = lambda realm_id, access_token: (_ for _ in ()).throw(QboServerError(http_status=503))
    with pytest.raises(QboServerError):
        setup.connect("666")
    assert setup.intuit.revoked == []  # revoking would disconnect the company the portal already uses
