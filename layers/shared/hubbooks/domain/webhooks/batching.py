"""A verified webhook delivery -> a few queue messages: grouped per company (or portal), bounded in size, with ids
derived from the events so a repeated delivery maps to the same messages."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import TypeVar

from hubbooks.models.webhooks import (
    MAX_CHANGES_PER_MESSAGE,
    HubSpotEvent,
    HubSpotEventBatch,
    QboChangeBatch,
    QboEntityChange,
)

_T = TypeVar("_T")


def _batch_id(event_ids: Sequence[str]) -> str:
    return hashlib.sha256("\n".join(event_ids).encode()).hexdigest()[:32]


def _chunks(items: Sequence[_T], size: int = MAX_CHANGES_PER_MESSAGE) -> list[Sequence[_T]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def qbo_batches(changes: Sequence[QboEntityChange]) -> list[QboChangeBatch]:
    by_realm: dict[str, list[QboEntityChange]] = {}
    for change in changes:
        by_realm.setdefault(change.realm_id, []).append(change)
    return [QboChangeBatch(batch_id=_batch_id([c.event_id for c in chunk]), realm_id=realm_id, changes=tuple(chunk))
            for realm_id, realm_changes in by_realm.items() for chunk in _chunks(realm_changes)]


def hubspot_batches(events: Sequence[HubSpotEvent]) -> list[HubSpotEventBatch]:
    by_portal: dict[int, list[HubSpotEvent]] = {}
    for event in events:
        by_portal.setdefault(event.portal_id, []).append(event)
    return [HubSpotEventBatch(batch_id=_batch_id([e.event_id for e in chunk]), portal_id=portal_id,
                              events=tuple(chunk))
            for portal_id, portal_events in by_portal.items() for chunk in _chunks(portal_events)]
