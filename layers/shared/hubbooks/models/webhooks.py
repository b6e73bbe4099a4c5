"""Provider webhook events, normalised whatever format they arrived in, and the queue messages that carry them.

The receiver queues a verified delivery as a few batch messages (per QuickBooks company or HubSpot portal, at most
`MAX_CHANGES_PER_MESSAGE` each) and the worker fans them out. Messages holding one change or event are what earlier
versions queued; the worker still accepts them, so a deployment never strands what is already in the queue."""


from datetime import datetime
from typing import Literal

from pydantic import ConfigDict

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
    object_type_id: str | None = None  # generic object.* subscriptions: 0-1 contacts, 0-2 companies, 0-7 products
    change_source: str | None = None  # CRM_UI, API, INTEGRATION, IMPORT, ...
    source_id: str | None = None  # with INTEGRATION: the app that wrote


MAX_CHANGES_PER_MESSAGE = 100  # ~30 KB of JSON: far inside SQS's 256 KB message limit


class QboChangeBatch(Model):
    """Changes of one QuickBooks company from one delivery. `batch_id` is derived from the event ids, so a delivery
    Intuit repeats becomes the same message and is applied once."""

    model_config = ConfigDict(frozen=True)

    source: Literal["qbo_batch"] = "qbo_batch"
    batch_id: str
    realm_id: str
    changes: tuple[QboEntityChange, ...]


class HubSpotEventBatch(Model):
    model_config = ConfigDict(frozen=True)

    source: Literal["hubspot_batch"] = "hubspot_batch"
    batch_id: str
    portal_id: int
    events: tuple[HubSpotEvent, ...]


# A queued message's model by its `source` tag: the worker validates each message with that model alone, since a
# TypeAdapter over the union would build all four validators with its first message.
MESSAGE_MODELS: dict[str, type[QboChangeBatch | HubSpotEventBatch | QboEntityChange | HubSpotEvent]] = {
    "qbo_batch": QboChangeBatch, "hubspot_batch": HubSpotEventBatch, "qbo": QboEntityChange, "hubspot": HubSpotEvent}
