"""One portal's HubSpot API, all parts sharing one transport (and so one token source, budget and deadline)."""

from __future__ import annotations

from hubbooks.adapters.hubspot.account import HubSpotAccount
from hubbooks.adapters.hubspot.associations import HubSpotAssociations
from hubbooks.adapters.hubspot.objects import HubSpotObjects
from hubbooks.adapters.hubspot.owners import HubSpotOwners
from hubbooks.adapters.hubspot.properties import HubSpotProperties
from hubbooks.adapters.hubspot.transport import HubSpotTransport


class HubSpotClient:
    def __init__(self, transport: HubSpotTransport) -> None:
        self.transport = transport
        self.objects = HubSpotObjects(transport)
        self.properties = HubSpotProperties(transport)
        self.associations = HubSpotAssociations(transport)
        self.account = HubSpotAccount(transport)
        self.owners = HubSpotOwners(transport)
