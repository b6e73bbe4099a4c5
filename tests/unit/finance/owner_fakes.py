"""A portal's HubSpot owners in memory (the OwnerDirectory port), counting the calls a lookup makes."""

from __future__ import annotations

from dataclasses import dataclass, field

from hubbooks.models.owners import HubSpotOwner


@dataclass
class FakeOwnerDirectory:
    owners: list[HubSpotOwner] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)

    def add(self, owner_id: str, user_id: int | None, first: str = "", last: str = "", email: str | None = None,
            archived: bool = False) -> HubSpotOwner:
        owner = HubSpotOwner(id=owner_id, user_id=None if archived else user_id, first_name=first or None,
                             last_name=last or None, email=email, archived=archived)
        self.owners.append(owner)
        return owner

    def active(self) -> list[HubSpotOwner]:
        self.calls.append("list")
        return [o for o in self.owners if not o.archived]

    def by_id(self, owner_id: str) -> HubSpotOwner | None:
        self.calls.append(f"owner {owner_id}")
        return next((o for o in self.owners if o.id == owner_id and not o.archived), None)

    def by_user_id(self, user_id: int) -> HubSpotOwner | None:
        self.calls.append(f"user {user_id}")
        return next((o for o in self.owners if o.user_id == user_id and not o.archived), None)
