"""Provider webhook events, normalised: one queue message per entity change, whatever format it arrived in."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model


class QboEntityChange(Model):
    model_config = ConfigDict(frozen=True)

    source: Literal["qbo"] = "qbo"
    event_id: str
    realm_id: str
    entity: str  # QuickBooks entity name as QBO spells it: Invoice, Payment, Customer, ...
    entity_id: str
    operation: str  # Create, Update, Delete, Merge, Void, Emailed (CloudEvents words mapped to these)
    occurred_at: datetime | None = None
    deleted_id: str | None = None


class HubSpotEvent(Model):
    model_config = ConfigDict(frozen=True)

    source: Literal["hubspot"] = "hubspot"
    event_id: str
    portal_id: int
    subscription_type: str
    object_id: int | None = None
    property_name: str | None = None
    property_value: str | None = None
    occurred_at: datetime | None = None


WebhookMessage = Annotated[QboEntityChange | HubSpotEvent, Field(discriminator="source")]
