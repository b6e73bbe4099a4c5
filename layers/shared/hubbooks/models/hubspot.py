"""HubSpot shapes at our boundary: token answers, CRM records, batch results. Property definitions (the install and
the sync settings) are in models/hubspot_properties.py, the install's own in models/hubspot_install.py, the account
details (read by the install and when a portal's cached currency runs out) in models/hubspot_account.py.

HubSpot adds fields over time, so every model ignores what it does not name; only the fields we rely on are
required.
"""


from datetime import datetime
from typing import Any, Literal

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model


class HubSpotShape(Model):
    """A HubSpot answer or request body: fields HubSpot adds are ignored, wire names accepted as aliases."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)


# ---- OAuth -----------------------------------------------------------------------------------------------------

class TokenResponse(HubSpotShape):
    """POST /oauth/2026-03/token (spec AccessTokenResponse)."""

    access_token: str = Field(repr=False)
    refresh_token: str = Field(repr=False)
    expires_in: int
    token_type: str = "bearer"
    hub_id: int | None = None
    user_id: int | None = None
    scopes: list[str] = Field(default_factory=list)


# ---- CRM records -----------------------------------------------------------------------------------------------

class AssociationRef(HubSpotShape):
    id: str
    type: str | None = None


class AssociationList(HubSpotShape):
    results: list[AssociationRef] = Field(default_factory=list)


class CrmRecord(HubSpotShape):
    """One CRM object (spec SimplePublicObject / SimplePublicObjectWithAssociations). Values are always strings."""

    id: str
    properties: dict[str, str | None] = Field(default_factory=dict)
    created_at: datetime | None = Field(default=None, alias="createdAt")
    updated_at: datetime | None = Field(default=None, alias="updatedAt")
    archived: bool = False
    associations: dict[str, AssociationList] = Field(default_factory=dict)
    trace_id: str | None = Field(default=None, alias="objectWriteTraceId")  # echoed from a batch input

    def value(self, name: str) -> str | None:
        return self.properties.get(name)

    def associated_ids(self, key: str) -> list[str]:
        """Ids under one `associations` key (HubSpot names line items "line items" here, with a space)."""
        found = self.associations.get(key) or self.associations.get(key.replace("_", " "))
        return [ref.id for ref in found.results] if found else []


class AssociationSpec(HubSpotShape):
    """A typed association given when creating a record (spec AssociationSpec)."""

    association_category: Literal["HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED"] = Field(
        default="HUBSPOT_DEFINED", alias="associationCategory")
    association_type_id: int = Field(alias="associationTypeId")


class NewAssociation(HubSpotShape):
    """Link a record being created to an existing one."""

    to_id: str
    types: tuple[AssociationSpec, ...]

    def to_wire(self) -> dict[str, Any]:
        return {"to": {"id": self.to_id}, "types": [t.model_dump(by_alias=True) for t in self.types]}


class RecordInput(HubSpotShape):
    """One record to create: its properties and the records it links to."""

    properties: dict[str, str]
    associations: tuple[NewAssociation, ...] = ()
    trace_id: str | None = None  # objectWriteTraceId: correlates a batch error with its input

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"properties": self.properties,
                                "associations": [a.to_wire() for a in self.associations]}
        if self.trace_id:
            body["objectWriteTraceId"] = self.trace_id
        return body


class RecordUpdate(HubSpotShape):
    """One record to update (by id) or upsert (by a unique property given as id_property)."""

    id: str
    properties: dict[str, str]
    id_property: str | None = None
    trace_id: str | None = None

    def to_wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {"id": self.id, "properties": self.properties}
        if self.id_property:
            body["idProperty"] = self.id_property
        if self.trace_id:
            body["objectWriteTraceId"] = self.trace_id
        return body


class BatchError(HubSpotShape):
    category: str | None = None
    message: str = ""
    context: dict[str, list[str]] = Field(default_factory=dict)
    status: str | None = None


class BatchResult(HubSpotShape):
    """Results of one batch call, or of several chunks merged. 207 answers put the failures in `errors`."""

    results: list[CrmRecord] = Field(default_factory=list)
    errors: list[BatchError] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class AssociatedRecord(HubSpotShape):
    """One row of GET /crm/objects/2026-03/{type}/{id}/associations/{toType}."""

    to_object_id: str = Field(alias="toObjectId")
    type_ids: tuple[int, ...] = ()

    @classmethod
    def from_wire(cls, raw: dict[str, Any]) -> "AssociatedRecord":
        return cls(to_object_id=str(raw["toObjectId"]),
                   type_ids=tuple(int(t["typeId"]) for t in raw.get("associationTypes") or []))
