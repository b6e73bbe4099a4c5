"""Every QuickBooks invoice where it belongs: the per-company switch (models/autolink_settings.py, which every invoice
batch reads; named here too), and the backfill of existing invoices."""


from datetime import date

from pydantic import ConfigDict, Field, model_validator

from hubbooks.models.autolink_settings import AutoLinkSettings as AutoLinkSettings
from hubbooks.models.base import Model
from hubbooks.models.paged_runs import PagedRun


class AutoLinkSettingsBody(Model):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = Field(description="Link invoices made in QuickBooks to the contact or company their customer "
                                      "is linked to, as they arrive")


MAX_BACKFILL_DAYS = 3660  # ten years: a typo such as 0202 for 2022 is refused rather than paged through


class AutoLinkBackfillBody(Model):
    model_config = ConfigDict(extra="forbid")

    date_from: date = Field(description="First invoice date (TxnDate) to include")
    date_to: date = Field(description="Last invoice date (TxnDate) to include")
    dry_run: bool = Field(default=True, description="Only count what would be linked, with examples")

    @model_validator(mode="after")
    def _ordered(self) -> "AutoLinkBackfillBody":
        if self.date_to < self.date_from:
            raise ValueError("date_to must be on or after date_from")
        if (self.date_to - self.date_from).days > MAX_BACKFILL_DAYS:
            raise ValueError("choose a date range of at most ten years")
        return self


class AutoLinkExample(Model):
    model_config = ConfigDict(frozen=True)

    invoice_id: str
    doc_number: str | None = None
    customer_name: str | None = None
    records: list[str] = Field(default_factory=list, description="HubSpot records, as 'contact 51' or 'company 7'")
    detail: str = ""


class AutoLinkRun(PagedRun):
    """A dry run or a backfill of one date range, one QuickBooks page per sync-queue message. `next_start` is the
    query position of the page still to do; a page is counted only once done, so a redelivered page is redone."""

    date_from: date
    date_to: date
    invoices_in_range: int = 0
    examples: dict[str, list[AutoLinkExample]] = Field(default_factory=dict)


class AutoLinkRunView(Model):
    run: AutoLinkRun
    percent: int = Field(ge=0, le=100)


class AutoLinkStep(Model):
    """One page of an invoice backfill (or its dry run) for one company, on the sync queue."""

    model_config = ConfigDict(frozen=True)

    job: str = Field(default="autolink_page", pattern="^autolink_page$")
    portal_id: int
    realm_id: str
    run_id: str
    start: int = Field(ge=1)
