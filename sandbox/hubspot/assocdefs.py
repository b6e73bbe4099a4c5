"""HUBSPOT_DEFINED association types (v4 ids), each with its inverse so both directions stay in step."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.hubspot.objecttypes import by_name


@dataclass(frozen=True)
class AssocType:
    from_type: str
    to_type: str
    type_id: int
    inverse_id: int
    label: str | None = None
    category: str = "HUBSPOT_DEFINED"

    @property
    def v3_name(self) -> str:
        """The `type` string of a v3 association entry, e.g. deal_to_contact."""
        base = f"{by_name(self.from_type).singular}_to_{by_name(self.to_type).singular}"
        return base if self.label is None or self.is_default else f"{base}_{self.label.lower().replace(' ', '_')}"

    @property
    def is_default(self) -> bool:
        return self.type_id in _DEFAULT_IDS


# (from, to, id, inverse id, label); the first unlabelled entry for a pair is its default type.
# Ids for invoice pairs are not settled in public sources (api-facts U9); these are used consistently here.
_PAIRS: list[tuple[str, str, int, int, str | None]] = [
    ("contacts", "companies", 279, 280, None), ("contacts", "companies", 1, 2, "Primary"),
    ("deals", "contacts", 3, 4, None),
    ("deals", "companies", 341, 342, None), ("deals", "companies", 5, 6, "Primary"),
    ("deals", "line_items", 19, 20, None),
    ("quotes", "deals", 64, 63, None),
    ("quotes", "line_items", 67, 68, None),
    ("quotes", "contacts", 69, 70, None), ("quotes", "contacts", 702, 703, "Signer"),
    ("quotes", "companies", 71, 72, None),
    ("notes", "contacts", 202, 201, None), ("notes", "companies", 190, 189, None),
    ("notes", "deals", 214, 213, None), ("notes", "quotes", 290, 289, None),
    ("notes", "invoices", 852, 851, None),
    ("tasks", "contacts", 204, 203, None), ("tasks", "companies", 192, 191, None),
    ("tasks", "deals", 216, 215, None),
    ("invoices", "contacts", 177, 178, None), ("invoices", "companies", 179, 180, None),
    ("invoices", "deals", 175, 176, None), ("invoices", "line_items", 409, 410, None),
    ("invoices", "quotes", 407, 408, None),
]

_DEFAULT_IDS: set[int] = set()
ALL: dict[int, AssocType] = {}
_BY_PAIR: dict[tuple[str, str], list[AssocType]] = {}

for _f, _t, _id, _inv, _label in _PAIRS:
    for fwd in (AssocType(_f, _t, _id, _inv, _label), AssocType(_t, _f, _inv, _id, _label)):
        ALL[fwd.type_id] = fwd
        pair = _BY_PAIR.setdefault((fwd.from_type, fwd.to_type), [])
        if _label is None and not any(a.label is None for a in pair):
            _DEFAULT_IDS.add(fwd.type_id)
        pair.append(fwd)


def for_pair(from_type: str, to_type: str) -> list[AssocType]:
    return list(_BY_PAIR.get((from_type, to_type), []))


def default_for(from_type: str, to_type: str) -> AssocType | None:
    for assoc in _BY_PAIR.get((from_type, to_type), []):
        if assoc.is_default:
            return assoc
    return None


def get(type_id: int) -> AssocType | None:
    return ALL.get(type_id)
