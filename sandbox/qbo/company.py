"""One sandbox company (realm): its entities, tombstones for CDC, numbering, replay cache and sent e-mails."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.qbo.timefmt import meta_time

Entity = dict[str, Any]

CURRENCY_NAMES = {
    "USD": "United States Dollar", "GBP": "British Pound Sterling", "CAD": "Canadian Dollar",
    "AUD": "Australian Dollar", "EUR": "Euro", "NZD": "New Zealand Dollar", "JPY": "Japanese Yen",
    "CHF": "Swiss Franc", "INR": "Indian Rupee", "MXN": "Mexican Peso", "SEK": "Swedish Krona",
    "DKK": "Danish Krone", "NOK": "Norwegian Krone", "ZAR": "South African Rand", "SGD": "Singapore Dollar",
    "HKD": "Hong Kong Dollar",
}


def currency_ref(code: str) -> dict[str, str]:
    return {"value": code, "name": CURRENCY_NAMES.get(code, code)}


@dataclass
class Replay:
    status: int
    body: bytes
    content_type: str


@dataclass
class Company:
    realm_id: str
    name: str
    sandbox: bool
    zone: ZoneInfo
    created_at: float
    entities: dict[str, dict[str, Entity]] = field(default_factory=lambda: defaultdict(dict))
    # CDC needs to know when each object changed, and what was deleted.
    updated_at: dict[tuple[str, str], float] = field(default_factory=dict)
    tombstones: dict[str, dict[str, float]] = field(default_factory=lambda: defaultdict(dict))
    counters: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    next_doc_number: int = 1001
    replays: dict[str, Replay] = field(default_factory=dict)
    # Units of home currency per unit of foreign currency, as QBO's ExchangeRate field has it.
    exchange_rates: dict[str, float] = field(default_factory=dict)
    emails: list[dict[str, Any]] = field(default_factory=list)
    # The company has a QuickBooks Payments account: invoices may allow online payment and carry a payment link.
    online_payments: bool = False

    # -- preferences-derived properties -------------------------------------------------------------------------
    @property
    def preferences(self) -> Entity:
        return self.entities["Preferences"]["1"]

    @property
    def info(self) -> Entity:
        return self.entities["CompanyInfo"][self.realm_id]

    @property
    def country(self) -> str:
        return str(self.info.get("Country", "US"))

    @property
    def home_currency(self) -> str:
        return str(self.preferences["CurrencyPrefs"]["HomeCurrency"]["value"])

    @property
    def multicurrency(self) -> bool:
        return bool(self.preferences["CurrencyPrefs"].get("MultiCurrencyEnabled", False))

    @property
    def custom_txn_numbers(self) -> bool:
        return bool(self.preferences["SalesFormsPrefs"].get("CustomTxnNumbers", False))

    @property
    def is_us(self) -> bool:
        return self.country == "US"

    # -- storage ---------------------------------------------------------------------------------------------------
    def new_id(self, kind: str) -> str:
        self.counters[kind] += 1
        return str(self.counters[kind])

    def get(self, kind: str, entity_id: str) -> Entity | None:
        return self.entities[kind].get(str(entity_id))

    def all(self, kind: str) -> list[Entity]:
        return list(self.entities[kind].values())

    def put(self, kind: str, entity: Entity, now: float) -> Entity:
        self.entities[kind][entity["Id"]] = entity
        self.updated_at[(kind, entity["Id"])] = now
        return entity

    def stamp(self, entity: Entity, now: float, created: bool) -> None:
        stamp = meta_time(now, self.zone)
        meta = entity.setdefault("MetaData", {})
        if created or "CreateTime" not in meta:
            meta["CreateTime"] = stamp
        meta["LastUpdatedTime"] = stamp

    def remove(self, kind: str, entity_id: str, now: float) -> None:
        self.entities[kind].pop(entity_id, None)
        self.updated_at.pop((kind, entity_id), None)
        self.tombstones[kind][entity_id] = now

    def snapshot(self, kind: str, entity_id: str) -> Entity | None:
        found = self.get(kind, entity_id)
        return copy.deepcopy(found) if found is not None else None
