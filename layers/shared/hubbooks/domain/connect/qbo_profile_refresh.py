"""Keep a connected company's stored profile in step with QuickBooks: name, country (and with it the time zone the
product dates invoices in), home currency, custom transaction numbers and multicurrency.

The profile is read at connect time and used by the card and the settings page without asking QuickBooks; when a
bookkeeper turns on custom transaction numbers afterwards, the wizard (which reads live preferences) blocks while the
settings page, reading the stored profile, never offers the opt-in. A scheduled job and QuickBooks' Preferences and
CompanyInfo webhooks call this so both follow QuickBooks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from hubbooks.models.connections import ConnectionRef, QboConnection
from hubbooks.models.qbo_company import QboCompanyProfile

NOT_CONNECTED = "skipped: company not connected"


class ConnectionProfiles(Protocol):
    def get(self, portal_id: int, realm_id: str) -> QboConnection | None: ...
    def update_profile(self, portal_id: int, realm_id: str, changes: dict[str, Any]) -> bool: ...


ProfileReader = Callable[[ConnectionRef], QboCompanyProfile]


def profile_changes(connection: QboConnection, live: QboCompanyProfile) -> dict[str, Any]:
    current = {"company_name": live.name, "country": live.country, "home_currency": live.home_currency,
               "custom_txn_numbers": live.custom_txn_numbers, "multicurrency": live.multicurrency}
    return {name: value for name, value in current.items() if getattr(connection, name) != value}


def refresh_company_profile(ref: ConnectionRef, *, connections: ConnectionProfiles, read_profile: ProfileReader) -> str:
    """Returns a one-line outcome for the job record or the webhook log."""
    connection = connections.get(ref.portal_id, ref.realm_id)
    if connection is None or connection.status != "connected":
        return NOT_CONNECTED
    changes = profile_changes(connection, read_profile(ref))
    if not changes:
        return "profile unchanged"
    if not connections.update_profile(ref.portal_id, ref.realm_id, changes):
        return NOT_CONNECTED  # disconnected while QuickBooks was being read: a disconnect is never undone
    described = ", ".join(f"{name} {getattr(connection, name)!r} -> {value!r}" for name, value in changes.items())
    return f"profile updated: {described}"
