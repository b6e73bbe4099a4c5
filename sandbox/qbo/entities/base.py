"""The registry of entity kinds and helpers shared by the builders (money, references, input cleaning)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from sandbox.qbo.company import Company, Entity
from sandbox.qbo.faults import QboFault, not_found

if TYPE_CHECKING:
    from sandbox.qbo.state import SimState

COMMON_FIELDS = frozenset({"Id", "SyncToken", "MetaData", "domain", "sparse", "status"})


@dataclass
class Ctx:
    """What a builder needs besides the input: the company, the time, the request options."""

    state: SimState
    company: Company
    now: float
    options: set[str] = field(default_factory=set)
    # (realm, entity, id, operation) tuples to emit once the write succeeded
    events: list[tuple[str, str, str]] = field(default_factory=list)


Builder = Callable[[Ctx, Entity, "Entity | None"], Entity]
Hook = Callable[[Ctx, Entity, "Entity | None"], None]


@dataclass(frozen=True)
class EntityKind:
    name: str
    fields: frozenset[str]
    read_only: frozenset[str]
    build: Builder
    name_list: bool = False
    creatable: bool = True
    updatable: bool = True
    deletable: bool = False
    void_style: str | None = None  # "void" (operation=void) or "include" (operation=update&include=void)
    sendable: bool = False
    printable: bool = False
    cdc: bool = True
    singleton: bool = False
    after_write: Hook | None = None
    after_remove: Hook | None = None

    @property
    def url_name(self) -> str:
        return self.name.lower()


KINDS: dict[str, EntityKind] = {}


def register(kind: EntityKind) -> EntityKind:
    KINDS[kind.name] = kind
    return kind


def kind_by_name(name: str) -> EntityKind | None:
    lowered = name.lower()
    return next((kind for kind in KINDS.values() if kind.name.lower() == lowered), None)


def kind_by_url(segment: str) -> EntityKind | None:
    # URIs are case sensitive: only the lower-case form is a resource.
    return next((kind for kind in KINDS.values() if kind.url_name == segment), None)


# -- input helpers ----------------------------------------------------------------------------------------------------

def clean(value: Any) -> Any:
    """Client libraries send "" and null for unset fields (python-quickbooks does); QBO treats both as absent."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items() if v is not None and v != ""}
    if isinstance(value, list):
        return [clean(v) for v in value if v is not None]
    return value


def pick(data: Entity, names: frozenset[str]) -> Entity:
    return {k: v for k, v in data.items() if k in names}


def to_decimal(value: Any, element: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise QboFault("2040", "Invalid Number", f"Invalid Number : {element}", element) from exc


CENT = Decimal("0.01")


def to_money(value: Decimal | float | int | str) -> Decimal:
    """Round to cents the way QBO does: half-up (3 x 33.335 = 100.005 -> 100.01). All money arithmetic is Decimal."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal | float | int | str) -> float:
    """`to_money` as the JSON number an entity carries. Floats appear only here, at the JSON edge: a value already
    rounded to cents survives the float round trip, and every computation re-reads it with `Decimal(str(x))`."""
    return float(to_money(value))


def number(value: Decimal | float | int) -> float | int:
    """Emit whole numbers without a fraction, as QBO does for quantities and percentages."""
    as_decimal = Decimal(str(value))
    return int(as_decimal) if as_decimal == as_decimal.to_integral_value() else float(as_decimal)


def ref_value(ref: Any) -> str | None:
    if isinstance(ref, dict):
        value = ref.get("value")
        return None if value in (None, "") else str(value)
    if isinstance(ref, (str, int)) and ref != "":
        return str(ref)
    return None


def display_name(kind: str, entity: Entity) -> str | None:
    for key in ("FullyQualifiedName", "DisplayName", "Name"):
        if entity.get(key):
            return str(entity[key])
    return None


def resolve_ref(ctx: Ctx, kind: str, ref: Any, element: str, *,
                active_only: bool = True) -> tuple[Entity, dict[str, str]]:
    """Look a reference up, returning the entity and the {value, name} QBO echoes back."""
    value = ref_value(ref)
    if value is None:
        raise QboFault("2020", "Required param missing, need to supply the required value for the API",
                       f"Required parameter {element} is missing in the request", element)
    found = ctx.company.get(kind, value)
    if found is None or (active_only and found.get("Active") is False):
        raise not_found(kind, value, element)
    out = {"value": value}
    name = display_name(kind, found)
    if name:
        out["name"] = name
    return found, out


ACCOUNT_NAMES = {"1": "Services", "4": "Undeposited Funds", "79": "Sales of Product Income",
                 "80": "Cost of Goods Sold", "81": "Inventory Asset", "84": "Accounts Receivable (A/R)",
                 "86": "Discounts given"}


def account_ref(ref: Any) -> dict[str, str] | None:
    value = ref_value(ref)
    if value is None:
        return None
    out = {"value": value}
    if value in ACCOUNT_NAMES:
        out["name"] = ACCOUNT_NAMES[value]
    return out


def truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() == "true"
    return bool(value)
