"""Every QuickBooks invoice where it belongs: the per-company switch, and the backfill of existing invoices."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hubbooks.models.sync import BackfillStatus


class AutoLinkSettings(BaseModel):
    """Off until an admin turns it on, per QuickBooks company."""

    model_config = ConfigDict(frozen=True)

    portal_id: int
    realm_id: str
    enabled: bool = False
    enabled_at: datetime | None = None  # invoices changed in QuickBooks since then are linked as they arrive
    updated_by_user_id: int | None = None
    updated_at: datetime | None = None


class AutoLinkSettingsBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(description="Link invoices made in QuickBooks to the contact or company their customer "
                                      "is linked to, as they arrive")


MAX_BACKFILL_DAYS = 3660  # ten years: a typo such as 0202 for 2022 is refused rather than paged through


class AutoLinkBackfillBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date_from: date = Field(description="First invoice date (TxnDate) to include")
    date_to: date = Field(description="Last invoice date (TxnDate) to include")
    dry_run: bool = Field(default=True, description="Only count what would be linked, with examples")

    @model_validator(mode="after")
    def _ordered(self) -> AutoLinkBackfillBody:
        if self.date_to < self.date_from:
            raise ValueError("date_to must be on or after date_from")
        if (self.date_to - self.date_from).days > MAX_BACKFILL_DAYS:
            raise ValueError("choose a date range of at most ten years")
        return self


class AutoLinkExample(BaseModel):
    model_config = ConfigDict(frozen=True)

    invoice_id: str
    doc_number: str | None = None
    customer_name: str | None = None
    records: list[str] = Field(default_factory=list, description="HubSpot records, as 'contact 51' or 'company 7'")
    detail: str = ""


class AutoLinkRun(BaseModel):
    """A dry run or a backfill of one date range, one QuickBooks page per sync-queue message. `next_start` is the
    query position of the page still to do; a page is counted only once done, so a redelivered page is redone."""

    model_config = ConfigDict(frozen=True)

    run_id: str
    portal_id: int
    realm_id: str
    date_from: date
    date_to: date
    dry_run: bool
    status: BackfillStatus = BackfillStatus.QUEUED
    invoices_in_range: int = 0
    next_start: int = 1
    processed: int = 0
    pages_done: int = 0
    counts: dict[str, int] = Field(default_factory=dict)
    examples: dict[str, list[AutoLinkExample]] = Field(default_factory=dict)
    error: str | None = None
    started_at: datetime
    updated_at: datetime
    finished_at: datetime | None = None
    started_by_user_id: int | None = None
    version: int = 0


class AutoLinkRunView(BaseModel):
    run: AutoLinkRun
    percent: int = Field(ge=0, le=100)


class AutoLinkStep(BaseModel):
    """One page of an invoice backfill (or its dry run) for one company, on the sync queue."""

    model_config = ConfigDict(frozen=True)

    job: str = Field(default="autolink_page", pattern="^autolink_page$")
    portal_id: int
    realm_id: str
    run_id: str
    start: int = Field(ge=1)
