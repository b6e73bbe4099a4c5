"""Per-company singletons: Preferences and CompanyInfo. Updates merge into the stored object."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.qbo.company import Entity
from sandbox.qbo.entities.base import Ctx, EntityKind, ref_value, register
from sandbox.qbo.faults import business

PREFERENCE_SECTIONS = frozenset({
    "AccountingInfoPrefs", "ProductAndServicesPrefs", "SalesFormsPrefs", "EmailMessagesPrefs",
    "VendorAndPurchasesPrefs", "TimeTrackingPrefs", "TaxPrefs", "CurrencyPrefs", "ReportPrefs", "OtherPrefs",
})


def _merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def build_preferences(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    current = {k: v for k, v in (old or {}).items() if k in PREFERENCE_SECTIONS}
    merged = _merge(current, {k: v for k, v in data.items() if k in PREFERENCE_SECTIONS and isinstance(v, dict)})
    before = current.get("CurrencyPrefs", {})
    after = merged.get("CurrencyPrefs", {})
    if ref_value(after.get("HomeCurrency")) != ref_value(before.get("HomeCurrency")):
        raise business("The home currency can't be changed.", element="CurrencyPrefs.HomeCurrency")
    if before.get("MultiCurrencyEnabled") and not after.get("MultiCurrencyEnabled"):
        raise business("Multicurrency can't be turned off once it is on.", element="CurrencyPrefs")
    return merged


COMPANY_INFO_FIELDS = frozenset({
    "CompanyName", "LegalName", "CompanyAddr", "CustomerCommunicationAddr", "LegalAddr", "PrimaryPhone",
    "CompanyStartDate", "FiscalYearStartMonth", "Country", "Email", "WebAddr", "SupportedLanguages", "NameValue",
})


def build_company_info(ctx: Ctx, data: Entity, old: Entity | None) -> Entity:
    merged = copy.deepcopy(old or {})
    for key, value in data.items():
        if key in COMPANY_INFO_FIELDS and key != "Country":
            merged[key] = value
    return {k: v for k, v in merged.items() if k in COMPANY_INFO_FIELDS}


register(EntityKind("Preferences", PREFERENCE_SECTIONS, frozenset(), build_preferences, creatable=False,
                    singleton=True))
register(EntityKind("CompanyInfo", COMPANY_INFO_FIELDS, frozenset({"Country"}), build_company_info,
                    creatable=False, singleton=True))
