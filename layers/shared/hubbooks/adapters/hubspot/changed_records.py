"""HubSpot records changed since a moment, through CRM search on the last-modified date (one request per page).

Contacts stamp `lastmodifieddate`, every other object `hs_lastmodifieddate` (HubSpot's default search properties,
and the simulator's property definitions). Date filters take epoch milliseconds. Search has its own limit (5 requests
per second per portal), which the transport's request budget paces (RequestKind.SEARCH).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import islice
from typing import Any

from hubbooks.adapters.hubspot.client import HubSpotClient
from hubbooks.domain.sync.hubspot_changes import ChangedRecord
from hubbooks.models.hubspot import CrmRecord
from hubbooks.models.sync import SyncObject

_MODIFIED_BY_TYPE = {"contacts": "lastmodifieddate"}


def modified_property_of(sync_object: SyncObject) -> str:
    return _MODIFIED_BY_TYPE.get(sync_object.hubspot_type, "hs_lastmodifieddate")


def _modified_property(object_type: str) -> str:
    return _MODIFIED_BY_TYPE.get(object_type, "hs_lastmodifieddate")


def _epoch_ms(at: datetime) -> str:
    return str(round(at.timestamp() * 1000))


def _instant(value: str | None) -> datetime | None:
    """HubSpot's datetime values: ISO 8601 (what search returns) or epoch milliseconds."""
    if not value:
        return None
    text = value.strip()
    try:
        if text.lstrip("-").isdigit():
            return datetime.fromtimestamp(int(text) / 1000, tz=UTC)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class HubSpotChangedRecords:
    def __init__(self, client: HubSpotClient) -> None:
        self._objects = client.objects

    def changed_since(self, object_type: str, since: datetime, *, inclusive: bool, properties: Sequence[str],
                      limit: int) -> list[ChangedRecord]:
        modified = _modified_property(object_type)
        return self._page(object_type, [{"propertyName": modified, "operator": "GTE" if inclusive else "GT",
                                         "value": _epoch_ms(since)}], modified, properties, limit)

    def changed_at(self, object_type: str, at: datetime, *, after_id: str | None, properties: Sequence[str],
                   limit: int) -> list[ChangedRecord]:
        modified = _modified_property(object_type)
        filters: list[dict[str, Any]] = [{"propertyName": modified, "operator": "EQ", "value": _epoch_ms(at)}]
        if after_id is not None:
            filters.append({"propertyName": "hs_object_id", "operator": "GT", "value": after_id})
        return self._page(object_type, filters, "hs_object_id", properties, limit)

    def _page(self, object_type: str, filters: list[dict[str, Any]], sort: str, properties: Sequence[str],
              limit: int) -> list[ChangedRecord]:
        """One search request: the first page only (the walk asks again from where it got, never by offset)."""
        modified = _modified_property(object_type)
        wanted = sorted({*properties, modified, "createdate"})
        found = islice(self._objects.search(object_type, filter_groups=[{"filters": filters}], properties=wanted,
                                            sorts=[sort], page_size=limit), limit)
        return [record for raw in found if (record := _changed(raw, modified)) is not None]


def _changed(record: CrmRecord, modified: str) -> ChangedRecord | None:
    modified_at = _instant(record.properties.get(modified)) or record.updated_at
    if modified_at is None:  # HubSpot stamps every record; a record without the stamp cannot be placed
        return None
    return ChangedRecord(hubspot_id=record.id, modified_at=modified_at,
                         created_at=_instant(record.properties.get("createdate")) or record.created_at,
                         properties=dict(record.properties))
