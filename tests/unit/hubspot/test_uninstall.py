"""Removing an install: the tokens go (even when HubSpot cannot revoke them) and the install is marked removed."""

from __future__ import annotations

from datetime import UTC, datetime

from hubbooks.adapters.hubspot.errors import HubSpotUnavailableError
from hubbooks.domain.connect.hubspot_install import uninstall_portal
from hubbooks.models.hubspot import HubSpotInstall
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
