"""Bodies the QuickBooks connect API answers the HubSpot settings page with."""


from datetime import datetime

from hubbooks.models.base import Model
from hubbooks.models.connections import ConnectionStatus, QboConnection


class ConnectLinkResponse(Model):
    url: str
    expires_at: datetime


class QboConnectionView(Model):
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
    def of(cls, connection: QboConnection) -> "QboConnectionView":
        return cls.model_validate(connection.model_dump(include=set(cls.model_fields)))


class QboConnectionsResponse(Model):
    portal_id: int
    connections: list[QboConnectionView]
