"""Who is calling: taken only from a request whose HubSpot signature checked out."""


from pydantic import ConfigDict

from hubbooks.models.base import Model


class SignedIdentity(Model):
    model_config = ConfigDict(frozen=True)

    portal_id: int
    user_id: int
    user_email: str | None = None
    app_id: int | None = None
