"""Bodies the QuickBooks connect API answers the HubSpot settings page with."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from hubbooks.models.connections import ConnectionStatus, QboConnection


class ConnectLinkResponse(BaseModel):
    url: str
    expires_at: datetime


class QboConnectionView(BaseModel):
    realm_id: str
    company_name: str
    country: str
    home_currency: str
    multicurrency: bool
    custom_txn_numbers: bool
    is_sandbox: bool
    status: ConnectionStatus
    connected_at: datetime
    disconnected_at: datetime | None = None
    needs_reconnect_since: datetime | None = None

    @classmethod
    def of(cls, connection: QboConnection) -> QboConnectionView:
        return cls.model_validate(connection.model_dump(include=set(cls.model_fields)))


class QboConnectionsResponse(BaseModel):
    portal_id: int
    connections: list[QboConnectionView]
