"""What the sync settings and engine need from the outside world, as small Protocols (fakes in tests)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from hubbooks.domain.sync.item_accounts import QboAccount
from hubbooks.domain.sync.qbo_fields import QboField
from hubbooks.models.hubspot_properties import PropertySpec
from hubbooks.models.sync import (
    Candidate,
    HubSpotField,
    MappingStats,
    PendingDecision,
    RecordLink,
    SyncConfig,
    SyncFailure,
    SyncObject,
)


class SyncConfigStore(Protocol):
    def get(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> SyncConfig | None: ...

    def save(self, config: SyncConfig) -> SyncConfig:
        """Store `config` if the stored version still equals config.version; return it with the next version.

        Raises SyncConfigChangedError when someone saved in between."""
        ...


class MappingStatsStore(Protocol):
    def stats(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> dict[str, MappingStats]: ...


class HubSpotPropertyCatalogue(Protocol):
    """The portal's properties of one object type (HubSpot answers them all in one call)."""

    def fields(self, object_type: str) -> dict[str, HubSpotField]: ...

    def ensure(self, object_type: str, group_name: str, group_label: str,
               specs: Sequence[PropertySpec]) -> list[str]:
        """Create the group and whichever of `specs` the portal lacks; return the names created."""
        ...


class QboFieldCatalogue(Protocol):
    def custom_fields(self, sync_object: SyncObject) -> list[QboField]:
        """The custom fields this company's records of the object's entity carry."""
        ...


class QboAccountCatalogue(Protocol):
    def item_accounts(self) -> list[QboAccount]:
        """The company's active Income, Expense and Cost of Goods Sold accounts (every page)."""
        ...


class AdminDirectory(Protocol):
    def is_admin(self, portal_id: int, user_id: int) -> bool: ...


class SyncLinkStore(Protocol):
    def get_many(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                 qbo_ids: Sequence[str]) -> dict[str, RecordLink]: ...
    def all_links(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> Iterator[RecordLink]: ...
    def linked_hubspot_ids(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                           hubspot_ids: Iterable[str]) -> set[str]: ...
    def by_hubspot_ids(self, portal_id: int, realm_id: str, sync_object: SyncObject,
                       hubspot_ids: Iterable[str]) -> dict[str, RecordLink]:
        """The links of these HubSpot records, by HubSpot id (two-way sync starts from HubSpot's side)."""
        ...
    def save(self, link: RecordLink) -> None: ...
    def save_many(self, links: Sequence[RecordLink]) -> None: ...
    def delete(self, link: RecordLink) -> None: ...


class DecisionStore(Protocol):
    def save(self, decision: PendingDecision) -> None: ...
    def resolve(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_id: str) -> None: ...
    def list(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> list[PendingDecision]: ...


class FailureStore(Protocol):
    def record(self, failure: SyncFailure) -> None:
        """Keep (or update, counting attempts) the record's failure."""
        ...

    def clear(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_ids: Iterable[str]) -> None: ...
    def list(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> list[SyncFailure]: ...

    def failing(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_ids: Iterable[str]) -> set[str]:
        """Which of these records have a failure kept (read by key: the batch's records, not every failure)."""
        ...


class StatsRecorder(Protocol):
    def record_success(self, portal_id: int, realm_id: str, sync_object: SyncObject, mapping_ids: Iterable[str],
                       count: int, at: datetime) -> None: ...
    def record_failure(self, portal_id: int, realm_id: str, sync_object: SyncObject, mapping_id: str,
                       reason: str, at: datetime) -> None: ...


@dataclass(frozen=True)
class WriteOutcome:
    """Per input (by its trace id): the HubSpot record written, or why HubSpot refused it."""

    written: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    # Creates refused because another record already holds one of their unique values (a contact's e-mail): the
    # caller can match them to that record instead of counting them as failed.
    conflicts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class HubSpotRecord:
    hubspot_id: str
    properties: dict[str, str | None]


@dataclass(frozen=True)
class CrmWrite:
    trace_id: str  # the QuickBooks id: HubSpot echoes it, so answers and errors map back to records
    properties: dict[str, str]
    hubspot_id: str | None = None  # None: create, keyed by the QuickBooks reference
    reference: str | None = None


class SyncCrm(Protocol):
    """One portal's CRM as the sync writes it: at most 100 records per call (the transport paces the calls)."""

    def fields(self, object_type: str) -> dict[str, HubSpotField]: ...
    def any_record(self, object_type: str) -> bool: ...

    def find(self, object_type: str, prop: str, values: Sequence[str]) -> list[tuple[str, Candidate]]:
        """HubSpot records whose `prop` is one of `values`: (their value of prop, the record)."""
        ...

    def upsert(self, object_type: str, writes: Sequence[CrmWrite], id_property: str) -> WriteOutcome:
        """Create or update by the unique `id_property` (each write's `reference`): retrying never duplicates."""
        ...

    def update(self, object_type: str, writes: Sequence[CrmWrite]) -> WriteOutcome: ...
    def archive(self, object_type: str, hubspot_ids: Sequence[str]) -> None: ...

    def read(self, object_type: str, hubspot_ids: Sequence[str], properties: Sequence[str]) -> dict[str, HubSpotRecord]:
        """The records as HubSpot has them now (batch reads of 100); deleted ones are absent."""
        ...


class QboStaleRecordError(Exception):
    """QuickBooks changed the record since we read it (stale SyncToken): read it again, then retry."""


class QboRecordRefusedError(Exception):
    """QuickBooks refused the values; the message says why in plain words."""


class QboRecords(Protocol):
    """One company's customers and items as two-way sync writes them."""

    def read_many(self, entity: str, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Current records by id (one `IN` query per 200 ids); missing ids are absent."""
        ...

    def update(self, entity: str, entity_id: str, sync_token: str, changes: dict[str, Any],
               request_id: str) -> dict[str, Any]:
        """A sparse update. Raises QboStaleRecordError or QboRecordRefusedError."""
        ...

    def create(self, entity: str, body: dict[str, Any], request_id: str) -> dict[str, Any]:
        """Raises DisplayNameTakenError (domain/invoicing/ports.py) when the name is used, or QboRecordRefusedError;
        a repeated request_id returns the record the first call created."""
        ...

    def display_names_starting(self, prefix: str) -> list[str]: ...

    def item_names_starting(self, prefix: str) -> list[str]:
        """Names of items, inactive ones too (they keep their names), starting with `prefix`."""
        ...

    def items_matching(self, key: str, value: str) -> list[dict[str, Any]]:
        """Active items whose `key` ("sku" or "name") equals `value`, ignoring case."""
        ...
