"""A QuickBooks company connected to a HubSpot portal (tokens live apart from it, encrypted)."""


from datetime import datetime
from typing import Literal

from pydantic import ConfigDict

from hubbooks.models.base import Model

ConnectionStatus = Literal["connected", "needs_reconnect", "disconnected"]


class QboConnection(Model):
    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    company_name: str
    country: str
    home_currency: str
    custom_txn_numbers: bool = False
    multicurrency: bool = False
    is_sandbox: bool = False
    # connected: tokens work. needs_reconnect: Intuit refused the refresh token (revoked in QuickBooks, expired);
    # the user must connect again. disconnected: the user disconnected it; the record stays as history.
    status: ConnectionStatus = "connected"
    connected_at: datetime
    connected_by_user_id: int | None = None
    disconnected_at: datetime | None = None
    disconnected_by_user_id: int | None = None
    needs_reconnect_since: datetime | None = None


class ConnectionRef(Model):
    """Just enough to address one connection (schedule fan-out, queue messages)."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
