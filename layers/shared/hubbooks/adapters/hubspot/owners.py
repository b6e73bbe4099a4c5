"""HubSpot's owners API (read-only) at /crm/owners/2026-03/: every owner page by page, or one owner by user id."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hubbooks.adapters.hubspot.errors import HubSpotNotFoundError
from hubbooks.adapters.hubspot.paging import follow_pages
from hubbooks.adapters.hubspot.transport import HubSpotTransport, segment, versioned
from hubbooks.models.owners import HubSpotOwner

PAGE_SIZE = 500  # the API's maximum page


class HubSpotOwners:
    def __init__(self, transport: HubSpotTransport, page_size: int = PAGE_SIZE) -> None:
        self._transport = transport
        self._page_size = page_size

    def active(self) -> list[HubSpotOwner]:
        """Every active owner (deactivated users' owners are archived and left out)."""
        return list(self._pages())

    def _pages(self) -> Iterator[HubSpotOwner]:
        def page(after: str | None) -> dict[str, Any]:
            params: dict[str, Any] = {"limit": self._page_size, "archived": "false"}
            if after:
                params["after"] = after
            return dict(self._transport.json("GET", versioned("crm/owners", "/"), params=params,
                                             action="listing the portal's HubSpot owners") or {})

        for raw in follow_pages(page):
            yield HubSpotOwner.model_validate(raw)

    def by_id(self, owner_id: str) -> HubSpotOwner | None:
        """The active owner with this owner id; None when there is none (archived, or never in this portal)."""
        return self._one(owner_id, "id", f"reading HubSpot owner {owner_id}")

    def by_user_id(self, user_id: int) -> HubSpotOwner | None:
        """The active owner of a HubSpot user; None when the user has none (deactivated, or not a user here)."""
        return self._one(str(user_id), "userId", f"reading the HubSpot owner of user {user_id}")

    def _one(self, key: str, id_property: str, action: str) -> HubSpotOwner | None:
        try:
            raw = self._transport.json("GET", versioned("crm/owners", segment(key)),
                                       params={"idProperty": id_property, "archived": "false"}, action=action)
        except HubSpotNotFoundError:
            return None
        return HubSpotOwner.model_validate(raw)
