"""The sync settings API's bodies: what each route accepts and answers (these shape the OpenAPI document)."""


from datetime import datetime

from pydantic import ConfigDict, Field

from hubbooks.models.base import Model
from hubbooks.models.sync import (
    BackfillRun,
    FieldKind,
    FieldMapping,
    FieldOwner,
    ItemAccount,
    MappingStats,
    OnCreateUpdate,
    OnDelete,
    OnHubSpotDelete,
    PendingDecision,
    SyncBehaviour,
    SyncDirection,
    SyncFailure,
    SyncObject,
    Transform,
)
from hubbooks.models.sync_health import SyncHealth


class _Body(Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BehaviourBody(_Body):
    enabled: bool
    on_create_update: OnCreateUpdate = OnCreateUpdate.CREATE_AND_UPDATE
    on_delete: OnDelete = OnDelete.MARK_INACTIVE
    inactive_property: str | None = Field(default="hubbooks_qbo_active", max_length=100)
    direction: SyncDirection = SyncDirection.QBO_TO_HUBSPOT
    on_hubspot_create_update: OnCreateUpdate = OnCreateUpdate.UPDATE_LINKED_ONLY
    on_hubspot_delete: OnHubSpotDelete = OnHubSpotDelete.NOTHING
    income_account_id: str | None = Field(
        default=None, pattern=r"^[0-9]{1,20}$",
        description="Products: the Income account (GET /app/qbo/{realm_id}/item-accounts) of QuickBooks items created "
                    "from HubSpot products; required when they are created")
    expense_account_id: str | None = Field(
        default=None, pattern=r"^[0-9]{1,20}$",
        description="Products: the Expense or Cost of Goods Sold account of items created with a purchase cost")
    expected_version: int | None = Field(default=None, ge=0,
                                         description="The settings version the form was opened on; a later save by "
                                                     "someone else makes this one fail with 409")

    def behaviour(self) -> SyncBehaviour:
        return SyncBehaviour(enabled=self.enabled, on_create_update=self.on_create_update, on_delete=self.on_delete,
                             inactive_property=self.inactive_property if self.on_delete is OnDelete.MARK_INACTIVE
                             else None, direction=self.direction,
                             on_hubspot_create_update=self.on_hubspot_create_update,
                             on_hubspot_delete=self.on_hubspot_delete,
                             item_income_account=ItemAccount(id=self.income_account_id)
                             if self.income_account_id else None,
                             item_expense_account=ItemAccount(id=self.expense_account_id)
                             if self.expense_account_id else None)


class MappingBody(_Body):
    hubspot_property: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_]+$")
    qbo_field: str = Field(min_length=1, max_length=120)
    transform: Transform = Field(default_factory=Transform)
    enabled: bool = True
    owner: FieldOwner = Field(default=FieldOwner.QUICKBOOKS,
                              description="With two-way sync: whose value wins for this field")


class ProblemView(Model):
    code: str
    field: str
    message: str


class MappingView(Model):
    """A mapping with its status: whether it can work now, and how it has fared."""

    mapping: FieldMapping
    valid: bool
    problems: list[ProblemView]
    stats: MappingStats


class ObjectSyncView(Model):
    realm_id: str
    object: SyncObject
    qbo_entity: str
    behaviour: SyncBehaviour
    version: int
    updated_at: datetime | None
    can_edit: bool = Field(description="Whether the signed-in user may change these settings")
    mappings: list[MappingView]


class CompanySyncView(Model):
    realm_id: str
    objects: list[ObjectSyncView]


class HubSpotFieldView(Model):
    name: str
    label: str
    type: str
    field_type: str
    options: list[str]
    writable: bool
    reason_not_writable: str | None = None


class QboFieldView(Model):
    path: str
    label: str
    kind: FieldKind
    options: list[str]
    calculated: bool


class CatalogueView(Model):
    object: SyncObject
    hubspot: list[HubSpotFieldView]
    qbo: list[QboFieldView]


class AccountView(Model):
    id: str
    name: str = Field(description="The full name, parent accounts first (FullyQualifiedName)")
    account_type: str
    account_sub_type: str | None = None
    classification: str | None = None


class ItemAccountsView(Model):
    """The company's active accounts a new QuickBooks item may post to."""

    income: list[AccountView] = Field(description="Income accounts (IncomeAccountRef)")
    expense: list[AccountView] = Field(description="Expense and Cost of Goods Sold accounts (ExpenseAccountRef)")


class BackfillBody(_Body):
    objects: list[SyncObject] = Field(min_length=1, max_length=3)
    dry_run: bool = Field(description="True: only report what would happen")


class BackfillView(Model):
    run: BackfillRun
    percent: int = Field(description="Records processed of those QuickBooks had at the start, 0-100")


class ObjectHealth(Model):
    object: SyncObject
    enabled: bool
    failing: list[SyncFailure]
    decisions: list[PendingDecision]


class JobRunView(Model):
    job: str
    finished_at: datetime
    outcome: str


class SyncHealthView(SyncHealth):
    """The change pipeline's health (reconciliation, dead letters) with the sync's per-record detail."""

    objects: list[ObjectHealth]
    last_runs: list[JobRunView]
    backfill: BackfillRun | None


class RetryBody(_Body):
    object: SyncObject
    qbo_id: str | None = Field(default=None, pattern=r"^[0-9A-Za-z_-]{1,40}$",
                               description="One record; leave out to retry every failing record (up to 200)")


class RetryView(Model):
    retried: int
    outcome: str
    still_failing: list[SyncFailure]


class DecisionBody(_Body):
    hubspot_id: str = Field(pattern=r"^[0-9]{1,20}$",
                            description="The candidate picked: the HubSpot record this QuickBooks record is; for a "
                                        "decision kept under 'hs-<HubSpot id>' (a new HubSpot product matching "
                                        "several QuickBooks items), the QuickBooks item it is")
