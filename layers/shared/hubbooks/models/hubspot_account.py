"""The portal's account details (GET /account-info/2026-03/details): apart from the other HubSpot shapes
(models/hubspot.py), since only the install and a portal's currency lookup, once its cached currency has run out,
read them."""


from pydantic import Field

from hubbooks.models.hubspot import HubSpotShape


class AccountDetails(HubSpotShape):
    """GET /account-info/2026-03/details."""

    portal_id: int = Field(alias="portalId")
    company_currency: str = Field(alias="companyCurrency")
    additional_currencies: list[str] = Field(default_factory=list, alias="additionalCurrencies")
    time_zone: str | None = Field(default=None, alias="timeZone")
    ui_domain: str | None = Field(default=None, alias="uiDomain")
    data_hosting_location: str | None = Field(default=None, alias="dataHostingLocation")
