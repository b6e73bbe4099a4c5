"""What HubBooks needs to know about a QuickBooks company, read from CompanyInfo and Preferences at connect time."""


from pydantic import ConfigDict, Field

from hubbooks.models.base import Model


class QboCompanyProfile(Model):
    model_config = ConfigDict(frozen=True)

    realm_id: str
    name: str
    country: str = Field(min_length=2, max_length=3)  # CompanyInfo.Country: 2 letters (US, GB, CA, AU, ...)
    home_currency: str = Field(min_length=3, max_length=3)
    custom_txn_numbers: bool
    multicurrency: bool
    is_sandbox: bool
