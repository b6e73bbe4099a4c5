"""Removing an install: the tokens go (even when HubSpot cannot revoke them) and the install is marked removed."""

from __future__ import annotations

from datetime import UTC, datetime

from hubbooks.adapters.hubspot.errors import HubSpotUnavailableError
from hubbooks.domain.connect.hubspot_install import uninstall_app, uninstall_portal
from hubbooks.domain.errors import UpstreamError
from hubbooks.models.hubspot_install import HubSpotInstall
from hubbooks.models.tokens import GrantKey, Provider, TokenSet
from tests.unit.hubspot.fakes import MemoryInstallStore, MemoryTokenStore

KEY = GrantKey(provider=Provider.HUBSPOT, portal_id=42)
NOW = 1_800_000_000.0


def _installed() -> tuple[MemoryTokenStore, MemoryInstallStore]:
    tokens, installs = MemoryTokenStore(), MemoryInstallStore()
    tokens.put(KEY, TokenSet(access_token="at", refresh_token="rt", access_expires_at=datetime.now(UTC)))
    installs.save(HubSpotInstall(portal_id=42, company_currency="USD", installed_at=datetime.now(UTC)))
    return tokens, installs


def test_revokes_deletes_and_marks_uninstalled() -> None:
    tokens, installs = _installed()
    revoked: list[str] = []
    assert uninstall_portal(42, tokens=tokens, installs=installs, revoke=revoked.append, clock=lambda: NOW)
    assert revoked == ["rt"] and tokens.load(KEY) is None
    install = installs.get(42)
    assert install is not None and install.status == "uninstalled"
    assert install.uninstalled_at == datetime.fromtimestamp(NOW, tz=UTC)


def test_a_failed_revocation_still_deletes_our_copy() -> None:
    tokens, installs = _installed()

    def failing_revoke(_: str) -> None:
        raise HubSpotUnavailableError("down")

    assert uninstall_portal(42, tokens=tokens, installs=installs, revoke=failing_revoke)
    assert tokens.load(KEY) is None


def test_the_webhook_path_does_not_revoke_and_tolerates_repeats() -> None:
    tokens, installs = _installed()
    assert uninstall_portal(42, tokens=tokens, installs=installs, revoke=None)
    assert not uninstall_portal(42, tokens=tokens, installs=installs, revoke=None)  # HubSpot retried the event


def test_a_portal_that_never_installed() -> None:
    assert not uninstall_portal(99, tokens=MemoryTokenStore(), installs=MemoryInstallStore())


class FakeCompanies:
    def __init__(self, *companies: tuple[str, str], unreachable: frozenset[str] = frozenset()) -> None:
        self.connected = dict(companies)
        self.unreachable = unreachable

    def still_connected(self, portal_id: int) -> list[tuple[str, str]]:
        return list(self.connected.items())

    def disconnect(self, portal_id: int, realm_id: str) -> None:
        if realm_id in self.unreachable:
            raise UpstreamError("QuickBooks did not answer; try again.")
        del self.connected[realm_id]


def test_the_admin_chooses_to_disconnect_quickbooks_too() -> None:
    tokens, installs = _installed()
    companies = FakeCompanies(("1", "Acme US"), ("2", "Acme UK"))
    outcome = uninstall_app(42, qbo_companies="disconnect", companies=companies, tokens=tokens, installs=installs)
    assert outcome.disconnected == ("Acme US", "Acme UK") and companies.connected == {}
    assert tokens.load(KEY) is None and "access revoked at Intuit" in outcome.message()


def test_the_admin_keeps_quickbooks_for_a_reinstall() -> None:
    tokens, installs = _installed()
    companies = FakeCompanies(("1", "Acme US"))
    outcome = uninstall_app(42, qbo_companies="keep", companies=companies, tokens=tokens, installs=installs)
    assert outcome.kept == ("Acme US",) and companies.connected == {"1": "Acme US"}
    assert tokens.load(KEY) is None and "Install HubBooks again" in outcome.message()


def test_a_company_quickbooks_cannot_disconnect_now_is_reported_for_a_retry() -> None:
    tokens, installs = _installed()
    companies = FakeCompanies(("1", "Acme US"), ("2", "Acme UK"), unreachable=frozenset({"2"}))
    outcome = uninstall_app(42, qbo_companies="disconnect", companies=companies, tokens=tokens, installs=installs)
    assert outcome.disconnected == ("Acme US",) and outcome.not_disconnected == ("Acme UK",)
    assert "uninstall again" in outcome.message() and tokens.load(KEY) is None
    again = uninstall_app(42, qbo_companies="disconnect", companies=FakeCompanies(("2", "Acme UK")), tokens=tokens,
                          installs=installs)
    assert again.disconnected == ("Acme UK",)
