"""HubSpot owners: who records and tasks can be assigned to, and the pickers' view of them."""


from pydantic import ConfigDict, Field

from hubbooks.models.base import Model


class HubSpotOwner(Model):
    """GET /crm/owners/2026-03/ (HubSpot's PublicOwner). `id` is what records and tasks are assigned to; `user_id`
    is the user HubSpot's signed requests name, absent for a deactivated user (whose owner is archived)."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    id: str
    user_id: int | None = Field(default=None, alias="userId")
    email: str | None = None
    first_name: str | None = Field(default=None, alias="firstName")
    last_name: str | None = Field(default=None, alias="lastName")
    archived: bool = False

    @property
    def display_name(self) -> str:
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return name or self.email or f"Owner {self.id}"


class OwnerOption(Model):
    owner_id: str = Field(description="Assign records and tasks to this id")
    user_id: int | None = Field(description="The HubSpot user id signed requests carry (approvers, admins)")
    name: str
    email: str | None = None


class OwnersView(Model):
    owners: list[OwnerOption] = Field(description="Active owners of the portal, by name")
