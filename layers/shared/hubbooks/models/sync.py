"""What the QuickBooks -> HubSpot sync is configured with and keeps: field mappings, behaviours, links, decisions.

Stored per portal, QuickBooks company (realm) and synced object; the API bodies live in models/sync_api.py. The
synced object's name, the record links and the page-by-page run record live in modules of their own (models/
sync_object.py, record_link.py, paged_runs.py), which the invoice path loads without the rest; they are named here too.
"""


from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict, Field, model_validator

from hubbooks.models.base import Model
from hubbooks.models.paged_runs import BackfillStatus as BackfillStatus
from hubbooks.models.paged_runs import PagedRun
from hubbooks.models.record_link import RecordLink as RecordLink
from hubbooks.models.sync_object import SyncObject


class FieldKind(StrEnum):
    """The kinds of value on the QuickBooks side; they decide which HubSpot property types a field may feed."""

    TEXT = "text"
    EMAIL = "email"
    PHONE = "phone"
    URL = "url"
    NUMBER = "number"
    MONEY = "money"
    DATE = "date"
    BOOLEAN = "boolean"
    ENUM = "enum"


class TextCase(StrEnum):
    KEEP = "keep"
    UPPER = "upper"
    LOWER = "lower"
    TITLE = "title"


class Transform(Model):
    """How a QuickBooks value becomes a HubSpot value where the types differ. Every part is optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    trim: bool = Field(default=True, description="Remove spaces at both ends (and collapse runs of spaces)")
    case: TextCase = Field(default=TextCase.KEEP, description="Change the letter case of text")
    decimals: int | None = Field(default=None, ge=0, le=6,
                                 description="Round numbers to this many places (amounts default to the currency's)")
    true_value: str | None = Field(default=None, max_length=100,
                                   description="Text written for true when a yes/no field feeds a text or option "
                                               "property (default: true)")
    false_value: str | None = Field(default=None, max_length=100, description="Text written for false")
    value_map: dict[str, str] = Field(default_factory=dict, max_length=200,
                                      description="QuickBooks value -> HubSpot option value, for option properties")


class FieldOwner(StrEnum):
    """Which side's value wins for one mapped field when the object syncs both ways."""

    QUICKBOOKS = "quickbooks"
    HUBSPOT = "hubspot"
    LATEST = "latest"  # the most recent change: HubSpot's change time against QuickBooks' LastUpdatedTime


class FieldMapping(Model):
    """One HubSpot property fed from one QuickBooks field of the object's entity."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_-]{1,64}$")
    hubspot_property: str = Field(min_length=1, max_length=100)
    qbo_field: str = Field(min_length=1, max_length=120)
    transform: Transform = Field(default_factory=Transform)
    enabled: bool = True
    is_default: bool = False
    owner: FieldOwner = Field(default=FieldOwner.QUICKBOOKS,
                              description="With two-way sync: whose value wins (QuickBooks, HubSpot, or the most "
                                          "recent change); one-way sync always takes QuickBooks'")


class OnCreateUpdate(StrEnum):
    CREATE_AND_UPDATE = "create_and_update"
    UPDATE_LINKED_ONLY = "update_linked_only"
    NOTHING = "nothing"


class OnDelete(StrEnum):
    ARCHIVE = "archive"
    MARK_INACTIVE = "mark_inactive"
    NOTHING = "nothing"


class SyncDirection(StrEnum):
    QBO_TO_HUBSPOT = "qbo_to_hubspot"
    BOTH = "both"


class OnHubSpotDelete(StrEnum):
    """When a linked HubSpot record is deleted: QuickBooks records are only ever made inactive, never deleted."""

    NOTHING = "nothing"
    DEACTIVATE = "deactivate"


class ItemAccount(Model):
    """A QuickBooks account new items post to (its name kept so the page can show it without asking QuickBooks)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[0-9]{1,20}$")
    name: str = Field(default="", max_length=200)


class SyncBehaviour(Model):
    """What happens in HubSpot when QuickBooks records change, as HubSpot's own integration offers it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    enabled: bool = False
    on_create_update: OnCreateUpdate = OnCreateUpdate.CREATE_AND_UPDATE
    on_delete: OnDelete = OnDelete.MARK_INACTIVE
    inactive_property: str | None = Field(
        default=None, max_length=100,
        description="HubSpot property set when the QuickBooks record is deleted or made inactive "
                    "(with on_delete = mark_inactive)")
    direction: SyncDirection = Field(default=SyncDirection.QBO_TO_HUBSPOT,
                                     description="both: HubSpot changes go to QuickBooks too, field by field as "
                                                 "each mapping's owner says")
    on_hubspot_create_update: OnCreateUpdate = Field(
        default=OnCreateUpdate.UPDATE_LINKED_ONLY,
        description="With two-way sync, on create and update in HubSpot: create QuickBooks customers (or items) "
                    "and update linked records / update linked records only / nothing")
    on_hubspot_delete: OnHubSpotDelete = Field(
        default=OnHubSpotDelete.NOTHING,
        description="With two-way sync, when a linked HubSpot record is deleted: make the QuickBooks record "
                    "inactive, or nothing")
    item_income_account: ItemAccount | None = Field(
        default=None, description="Products only: the Income account of QuickBooks items created from HubSpot "
                                  "products (IncomeAccountRef; required to create items)")
    item_expense_account: ItemAccount | None = Field(
        default=None, description="Products only: the Expense or Cost of Goods Sold account of items created with "
                                  "a purchase cost (ExpenseAccountRef)")

    @property
    def two_way(self) -> bool:
        return self.enabled and self.direction is SyncDirection.BOTH

    @model_validator(mode="after")
    def _inactive_property_needed(self) -> "SyncBehaviour":
        if self.on_delete is OnDelete.MARK_INACTIVE and not self.inactive_property:
            raise ValueError("on_delete 'mark_inactive' needs inactive_property: the HubSpot property to mark")
        return self


class SyncConfig(Model):
    """Everything configured for one object of one company: the behaviour and the mappings (one stored item)."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    object: SyncObject
    behaviour: SyncBehaviour
    mappings: tuple[FieldMapping, ...] = ()
    version: int = 0
    updated_at: datetime | None = None
    updated_by_user_id: int | None = None
    # When the direction last became "both": the HubSpot-side reconciliation starts there, not at the epoch, so
    # turning two-way on sends only what changes from then on (None: one way, or set before this was recorded).
    two_way_since: datetime | None = None

    def mapping(self, mapping_id: str) -> FieldMapping | None:
        return next((m for m in self.mappings if m.id == mapping_id), None)


class Candidate(Model):
    model_config = ConfigDict(frozen=True)

    hubspot_id: str
    label: str


class PendingDecision(Model):
    """A QuickBooks record that matched several HubSpot records: the admin picks one (or says create a new one).

    Two-way sync keeps the reverse case the same way: a new HubSpot product matching several QuickBooks items is kept
    under qbo_id 'hs-<HubSpot id>', its candidates being the items (their QuickBooks ids in `hubspot_id`)."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    object: SyncObject
    qbo_id: str
    qbo_label: str
    matched_on: str
    candidates: tuple[Candidate, ...]
    found_at: datetime


class HubSpotField(Model):
    """A HubSpot property as the mapping editor and validation need it (read from the portal)."""

    model_config = ConfigDict(frozen=True)

    name: str
    label: str
    type: str  # bool, date, datetime, enumeration, number, phone_number, string
    field_type: str
    options: tuple[str, ...] = ()
    read_only: bool = False
    calculated: bool = False
    unique: bool = False
    number_display_hint: str | None = None


class MappingStats(Model):
    """How one mapping has fared in the engine's runs (kept by the engine, shown as mapping status)."""

    model_config = ConfigDict(frozen=True)

    records_synced: int = 0
    last_success_at: datetime | None = None
    last_failure_at: datetime | None = None
    last_failure_reason: str | None = None


class SyncFailure(Model):
    """A QuickBooks record that could not sync, with the reason in plain words; retried until it syncs."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    object: SyncObject
    qbo_id: str
    label: str
    reason: str
    failed_at: datetime
    attempts: int = 1


class BackfillExample(Model):
    model_config = ConfigDict(frozen=True)

    object: SyncObject
    qbo_id: str
    label: str
    detail: str = ""


class BackfillRun(PagedRun):
    """A dry run or a backfill of existing records, page by page through the sync queue (one message per page).

    `next_start` is the QuickBooks query position of the page still to do per entity; a page is counted only once
    its records were written, so a page cut short by a timeout or a fault is simply done again."""

    objects: tuple[SyncObject, ...]
    entities: tuple[str, ...] = ()
    entity_index: int = 0
    totals: dict[str, int] = Field(default_factory=dict)  # QuickBooks records per entity at the start
    # Written without matching searches first (None: not decided yet): HubSpot held none of these when the run's
    # first page ran, or it refuses duplicates of their match key (contacts' e-mail) and no page met one yet.
    unmatched: tuple[SyncObject, ...] | None = None
    examples: dict[str, list[BackfillExample]] = Field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.totals.values())
