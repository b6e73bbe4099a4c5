"""The portal's account details (company currency, time zone, UI domain) at /account-info/2026-03/details."""

from __future__ import annotations

from hubbooks.adapters.hubspot.transport import HubSpotTransport, versioned
from hubbooks.models.hubspot_account import AccountDetails


class HubSpotAccount:
    def __init__(self, transport: HubSpotTransport) -> None:
        self._transport = transport

    def details(self) -> AccountDetails:
        raw = self._transport.json("GET", versioned("account-info", "details"), action="reading the account details")
        return AccountDetails.model_validate(raw)
