"""Links between records (associations v4 semantics at /crm/associations/2026-03 and /crm/objects/2026-03)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from hubbooks.adapters.hubspot.paging import BATCH_LIMIT, chunks, follow_pages
from hubbooks.adapters.hubspot.transport import HubSpotTransport, segment, versioned
from hubbooks.models.hubspot import AssociatedRecord, AssociationSpec

ASSOCIATION_PAGE_LIMIT = 500


class HubSpotAssociations:
    def __init__(self, transport: HubSpotTransport) -> None:
        self._transport = transport

    def link_default(self, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        """The unlabelled association HubSpot defines for the pair (no type id to look up)."""
        path = versioned("crm/objects", f"{segment(from_type)}/{segment(from_id)}/associations/default/"
                                        f"{segment(to_type)}/{segment(to_id)}")
        self._transport.request("PUT", path, action=f"linking {from_type} {from_id} to {to_type} {to_id}")

    def link_labelled(self, from_type: str, from_id: str, to_type: str, to_id: str,
                      types: Sequence[AssociationSpec]) -> None:
        path = versioned("crm/objects", f"{segment(from_type)}/{segment(from_id)}/associations/"
                                        f"{segment(to_type)}/{segment(to_id)}")
        self._transport.request("PUT", path, json=[t.model_dump(by_alias=True) for t in types],
                                action=f"linking {from_type} {from_id} to {to_type} {to_id}")

    def link_default_many(self, from_type: str, to_type: str, pairs: Sequence[tuple[str, str]]) -> None:
        path = versioned("crm/associations", f"{segment(from_type)}/{segment(to_type)}/batch/associate/default")
        inputs = [{"from": {"id": from_id}, "to": {"id": to_id}} for from_id, to_id in pairs]
        for chunk in chunks(inputs, BATCH_LIMIT):
            self._transport.request("POST", path, json={"inputs": list(chunk)},
                                    action=f"linking {from_type} to {to_type} in bulk")

    def iter_linked(self, from_type: str, from_id: str, to_type: str) -> Iterator[AssociatedRecord]:
        path = versioned("crm/objects", f"{segment(from_type)}/{segment(from_id)}/associations/{segment(to_type)}")

        def fetch(after: str | None) -> dict[str, Any]:
            params: dict[str, Any] = {"limit": ASSOCIATION_PAGE_LIMIT}
            if after:
                params["after"] = after
            return self._transport.json("GET", path, params=params,
                                        action=f"listing the {to_type} linked to {from_type} {from_id}")

        for raw in follow_pages(fetch):
            yield AssociatedRecord.from_wire(raw)
