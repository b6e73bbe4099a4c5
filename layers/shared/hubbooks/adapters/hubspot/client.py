"""One portal's HubSpot API, all parts sharing one transport (and so one token source, budget and deadline)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from hubbooks.adapters.hubspot.associations import HubSpotAssociations
from hubbooks.adapters.hubspot.objects import HubSpotObjects
from hubbooks.adapters.hubspot.transport import HubSpotTransport

if TYPE_CHECKING:
    from hubbooks.adapters.hubspot.account import HubSpotAccount
    from hubbooks.adapters.hubspot.owners import HubSpotOwners
    from hubbooks.adapters.hubspot.properties import HubSpotProperties


class HubSpotClient:
    def __init__(self, transport: HubSpotTransport) -> None:
        self.transport = transport
        self.objects = HubSpotObjects(transport)
        self.associations = HubSpotAssociations(transport)

    # Loaded on first use: only the install and the sync settings read property definitions, only the finance
    # settings and approvals read owners, and the account details are read by the install and when a portal's cached
    # currency (kept a day) has run out, so the workers' messages do not load these parts (nor their models).
    @cached_property
    def account(self) -> HubSpotAccount:
        from hubbooks.adapters.hubspot.account import HubSpotAccount

        return HubSpotAccount(self.transport)

    @cached_property
    def properties(self) -> HubSpotProperties:
        from hubbooks.adapters.hubspot.properties import HubSpotProperties

        return HubSpotProperties(self.transport)

    @cached_property
    def owners(self) -> HubSpotOwners:
        from hubbooks.adapters.hubspot.owners import HubSpotOwners

        return HubSpotOwners(self.transport)
