"""Which HubSpot record a QuickBooks record belongs to, before anything is created.

A stored link always wins (later changes go to the same record). Otherwise: contacts by e-mail; companies by
website domain, then by name; products by SKU, then by name. One candidate becomes a link; several are never
guessed between: the record waits for the admin's decision. HubSpot records already linked to another QuickBooks
record of the same company are not candidates (two QuickBooks records must not feed one HubSpot record).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from hubbooks.domain.sync.qbo_fields import read_value
from hubbooks.models.sync import Candidate, RecordLink, SyncObject

# (key name, HubSpot property searched) in the order they are tried.
MATCH_KEYS: dict[SyncObject, tuple[tuple[str, str], ...]] = {
    SyncObject.CONTACTS: (("email", "email"),),
    SyncObject.COMPANIES: (("domain", "domain"), ("name", "name")),
    SyncObject.PRODUCTS: (("sku", "hs_sku"), ("name", "name")),
}

# Objects whose every match key HubSpot keeps unique (a contact's primary e-mail): a create that would duplicate one
# is refused with a conflict, so matching can wait for that refusal instead of searching before every create.
MATCHED_BY_UNIQUE_KEY: frozenset[SyncObject] = frozenset({SyncObject.CONTACTS})


class MatchKind(StrEnum):
    LINKED = "linked"
    MATCHED = "matched"
    NEW = "new"
    AMBIGUOUS = "ambiguous"


@dataclass(frozen=True)
class Match:
    kind: MatchKind
    hubspot_id: str | None = None
    by: str | None = None
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)


def website_domain(url: str | None) -> str | None:
    """acme.test for 'https://www.Acme.test/about' (HubSpot's company domain has no scheme and no www.)."""
    if not url or not url.strip():
        return None
    text = url.strip()
    host = urlsplit(text if "//" in text else f"//{text}").hostname
    if not host or "." not in host:
        return None
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def normalised(key: str, value: str) -> str:
    """Keys compare as HubSpot's search does for text: case-insensitively (and we ignore repeated spaces)."""
    text = " ".join(str(value).split()).lower()
    return (website_domain(text) or text) if key == "domain" else text


def key_values(sync_object: SyncObject, record: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The record's values for each match key, normalised (see `normalised`); absent keys left out."""
    values: list[tuple[str, str]] = []
    for key, _prop in MATCH_KEYS[sync_object]:
        raw: str | None
        if key == "email":
            raw = _text(read_value(record, "PrimaryEmailAddr.Address"))
        elif key == "domain":
            raw = website_domain(_text(read_value(record, "WebAddr.URI")))
        elif key == "sku":
            raw = _text(read_value(record, "Sku"))
        else:
            raw = _text(read_value(record, "Name" if sync_object is SyncObject.PRODUCTS else "CompanyName"))
        if raw:
            values.append((key, normalised(key, raw)))
    return values


def _text(value: Any) -> str | None:
    return " ".join(str(value).split()) if value is not None and str(value).strip() else None


def decide(sync_object: SyncObject, record: Mapping[str, Any], link: RecordLink | None,
           found: Mapping[tuple[str, str], Sequence[Candidate]], taken: Collection[str] = ()) -> Match:
    """`found` holds the HubSpot records whose key equals the record's value, per (key, value); `taken` the
    HubSpot ids already linked to other QuickBooks records of this company."""
    if link is not None:
        return Match(MatchKind.LINKED, hubspot_id=link.hubspot_id, by="link")
    for key, value in key_values(sync_object, record):
        candidates = tuple(c for c in found.get((key, value), ()) if c.hubspot_id not in taken)
        if len(candidates) == 1:
            return Match(MatchKind.MATCHED, hubspot_id=candidates[0].hubspot_id, by=key)
        if len(candidates) > 1:
            return Match(MatchKind.AMBIGUOUS, by=key, candidates=candidates)
    return Match(MatchKind.NEW)
