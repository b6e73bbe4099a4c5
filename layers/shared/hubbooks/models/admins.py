"""The portal's HubBooks admins as the settings page shows and changes them."""


from pydantic import ConfigDict, Field

from hubbooks.models.base import Model


class AdminsView(Model):
    installer_user_id: int | None = Field(description="The HubSpot user who installed HubBooks: always an admin "
                                                      "(unknown for installs older than the record of it)")
    added_user_ids: list[int] = Field(description="HubSpot users an admin added, who may also be removed")
    you_are_admin: bool


class AddAdminBody(Model):
    model_config = ConfigDict(extra="forbid")

    user_id: int = Field(gt=0, lt=10**15, description="The HubSpot user id to make a HubBooks admin")
