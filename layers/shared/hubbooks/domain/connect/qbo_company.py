"""Read a company's profile from QBO's CompanyInfo and Preferences, and tell sandbox companies apart.

How to tell a sandbox company: QBO's API bodies carry no sandbox flag (CompanyInfo of a sandbox company looks like
any other). What separates them is where they live: Intuit serves sandbox companies only from its sandbox host,
sandbox-quickbooks.api.intuit.com, reached with the app's Development keys, and production companies only from
quickbooks.api.intuit.com with Production keys. So the company is a sandbox company exactly when QBO_API_BASE_URL
names a sandbox host (a host whose first label starts with "sandbox"), and a stack configured for the sandbox host
refuses connections unless ALLOW_QBO_SANDBOX_COMPANIES is on.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from hubbooks.models.qbo_company import QboCompanyProfile


def is_sandbox_api(api_base_url: str) -> bool:
    host = (urlsplit(api_base_url).hostname or "").lower()
    return host.split(".", 1)[0].startswith("sandbox")


def company_profile(realm_id: str, company_info: dict[str, Any], preferences: dict[str, Any], *,
                    api_base_url: str) -> QboCompanyProfile:
    # Imported here: the invoicing adapter every worker loads needs is_sandbox_api only, not the profile model.
    from hubbooks.models.qbo_company import QboCompanyProfile

    currency_prefs = preferences.get("CurrencyPrefs") or {}
    home_currency = currency_prefs.get("HomeCurrency")
    # HomeCurrency is an object ({"value": "USD"}) in JSON, a plain string in some older payloads.
    currency = home_currency.get("value") if isinstance(home_currency, dict) else home_currency
    sales_prefs = preferences.get("SalesFormsPrefs") or {}
    return QboCompanyProfile(
        realm_id=realm_id,
        name=str(company_info.get("CompanyName") or company_info.get("LegalName") or f"Company {realm_id}"),
        country=str(company_info.get("Country") or "US").upper(),
        home_currency=str(currency or "USD").upper(),
        custom_txn_numbers=bool(sales_prefs.get("CustomTxnNumbers", False)),
        multicurrency=bool(currency_prefs.get("MultiCurrencyEnabled", False)),
        is_sandbox=is_sandbox_api(api_base_url),
    )
