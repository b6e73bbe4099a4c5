"""HubSpot webhook payloads: a JSON array of up to 100 events (the signature is checked like app-card calls)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from hubbooks.domain.errors import InvalidRequestError
from hubbooks.models.webhooks import HubSpotEvent


def parse_hubspot_webhook(body: bytes) -> list[HubSpotEvent]:
    try:
        payload = json.loads(body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidRequestError("The webhook body is not JSON.") from exc
    if not isinstance(payload, list):
        raise InvalidRequestError("A HubSpot webhook body must be a JSON array of events.")
    return [_event(item) for item in payload]


def _event(item: Any) -> HubSpotEvent:
    if not isinstance(item, dict) or "eventId" not in item or "portalId" not in item:
        raise InvalidRequestError("Each HubSpot event needs eventId and portalId.")
    try:
        return _event_fields(item)
    except (TypeError, ValueError, OverflowError) as exc:
        raise InvalidRequestError("A HubSpot event has a portalId, objectId or occurredAt that is not a number.") \
            from exc


def _event_fields(item: dict[str, Any]) -> HubSpotEvent:
    occurred = item.get("occurredAt")
    # eventId alone may repeat across subscriptions, so the dedupe key includes the subscription and object.
    event_id = f"{item.get('subscriptionId', '-')}:{item['eventId']}:{item.get('objectId', '-')}"
    return HubSpotEvent(
        event_id=event_id, portal_id=int(item["portalId"]), subscription_type=str(item.get("subscriptionType", "")),
        object_id=int(item["objectId"]) if item.get("objectId") is not None else None,
        property_name=item.get("propertyName"),
        property_value=str(item["propertyValue"]) if item.get("propertyValue") is not None else None,
        occurred_at=datetime.fromtimestamp(int(occurred) / 1000, tz=UTC) if occurred else None,
        object_type_id=_text(item.get("objectTypeId")), change_source=_text(item.get("changeSource")),
        source_id=_text(item.get("sourceId")),
    )


def _text(value: Any) -> str | None:
    return str(value)[:100] if value not in (None, "") else None
