"""The invoicing Crm port over the HubSpot client: the portal's currency, record properties read and written.

The wizard's reads (deals with their contacts, companies and quotes, quotes with their line items) are in
adapters/hubspot/wizard_crm.py, which the workers never load."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from hubbooks.adapters.hubspot.client import HubSpotClient
from hubbooks.adapters.hubspot.errors import HubSpotNotFoundError
from hubbooks.models.invoicing import HubSpotObjectType

_PLURAL = {HubSpotObjectType.DEAL: "deals", HubSpotObjectType.CONTACT: "contacts",
           HubSpotObjectType.COMPANY: "companies"}


class CurrencyCache(Protocol):
    def get(self, portal_id: int) -> str | None: ...
    def put(self, portal_id: int, currency: str) -> None: ...


class HubSpotInvoicingCrm:
    def __init__(self, client: HubSpotClient, portal_id: int, currency_cache: CurrencyCache | None = None) -> None:
        self._client = client
        self._portal_id = portal_id
        self._currency_cache = currency_cache
        self._currency: str | None = None

    def company_currency(self) -> str:
        if self._currency is None:  # at most one lookup per request, however many steps ask
            cached = self._currency_cache.get(self._portal_id) if self._currency_cache else None
            if cached is None:
                cached = self._client.account.details().company_currency.upper()
                if self._currency_cache:
                    self._currency_cache.put(self._portal_id, cached)
            self._currency = cached
        return self._currency

    def record_exists(self, object_type: HubSpotObjectType, object_id: str) -> bool:
        try:
            self._client.objects.get(_PLURAL[object_type], object_id)
        except HubSpotNotFoundError:
            return False
        return True

    def deal_property_values(self, deal_ids: Sequence[str], names: Sequence[str]) -> dict[str, dict[str, str | None]]:
        return self.record_property_values(HubSpotObjectType.DEAL, deal_ids, names)

    def record_property_values(self, object_type: HubSpotObjectType, object_ids: Sequence[str],
                               names: Sequence[str]) -> dict[str, dict[str, str | None]]:
        # batch_read sends 100 ids per call; ids HubSpot does not have come back as errors, i.e. left out here.
        result = self._client.objects.batch_read(_PLURAL[object_type], list(dict.fromkeys(object_ids)),
                                                 properties=tuple(names))
        return {r.id: {name: r.value(name) for name in names} for r in result.results}

    def update_deal(self, deal_id: str, properties: dict[str, str]) -> None:
        self.update_record(HubSpotObjectType.DEAL, deal_id, properties)

    def update_record(self, object_type: HubSpotObjectType, object_id: str, properties: dict[str, str]) -> None:
        self._client.objects.update(_PLURAL[object_type], object_id, properties)
