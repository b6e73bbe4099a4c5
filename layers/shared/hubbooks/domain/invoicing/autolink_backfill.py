"""Existing QuickBooks invoices of a date range onto their customers' contacts and companies: first a dry run that
counts what would be linked, with examples, then the run.

Run page by page like the sync's backfill, by the same runner (domain/paged_runs.py): one sync-queue message per
company and page; a page that fails is delivered again and redone (placements are remembered per invoice, so nothing
is linked twice), and a cancelled run stops at the next page.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from hubbooks.domain.errors import InvalidRequestError, NotFoundError
from hubbooks.domain.invoicing.autolink import AutoLinkState, PlacementPlan, describe, place, plan_placements
from hubbooks.domain.invoicing.deal_sync import converge_records, records_of
from hubbooks.domain.invoicing.live_ports import LiveCompanies
from hubbooks.domain.invoicing.ports import ConvergingCrm, InvoiceLinks
from hubbooks.domain.invoicing.status import today_in
from hubbooks.domain.paged_runs import BackfillBusyError, PageDone, PagedRunStore, add_counts, cancel_run, run_page
from hubbooks.domain.sync.ports import SyncLinkStore
from hubbooks.models.autolink import AutoLinkExample, AutoLinkRun, AutoLinkStep
from hubbooks.models.changes import CompanyScope
from hubbooks.models.invoicing import HubSpotObjectType, QboInvoice

PAGE_SIZE = 200  # invoices per message: bounds the HubSpot writes one invocation makes for the records they land on
EXAMPLES_PER_KIND = 5


class AutoLinkRunStore(PagedRunStore[AutoLinkRun], Protocol):
    """The company's latest invoice backfill or dry run."""


class InvoicePages(Protocol):
    def count(self, date_from: date, date_to: date) -> int: ...
    def page(self, date_from: date, date_to: date, start: int, size: int) -> list[QboInvoice]:
        """Invoices dated in the range, in a stable order (by Id), from 1-based position `start`."""
        ...


def _examples(examples: dict[str, list[AutoLinkExample]], plan: PlacementPlan) -> None:
    def add(kind: str, invoice: QboInvoice, records: list[str], detail: str = "") -> None:
        bucket = examples.setdefault(kind, [])
        if len(bucket) < EXAMPLES_PER_KIND:
            bucket.append(AutoLinkExample(invoice_id=invoice.id, doc_number=invoice.doc_number,
                                          customer_name=invoice.customer_name, records=records, detail=detail))

    for placement in plan.placements:
        add("invoices_to_link", placement.invoice, [describe(r) for r in placement.records])
    for invoice in plan.customer_not_linked:
        add("customer_not_linked", invoice, [], "its QuickBooks customer is not linked to a contact or company")
    for invoice in plan.already_there:
        add("already_linked", invoice, [], "already on its customer's records, or unlinked from them on purpose")


@dataclass
class AutoLinkBackfill:
    store: AutoLinkRunStore
    pages: Callable[[CompanyScope], InvoicePages]
    send: Callable[[AutoLinkStep], object]  # onto the sync queue
    links: InvoiceLinks
    sync_links: SyncLinkStore
    state: AutoLinkState
    companies: LiveCompanies
    crm: Callable[[int], ConvergingCrm]
    clock: Callable[[], datetime]
    new_id: Callable[[], str] = lambda: uuid.uuid4().hex[:16]

    def start(self, scope: CompanyScope, *, date_from: date, date_to: date, dry_run: bool,
              user_id: int) -> AutoLinkRun:
        if not dry_run and self.state.enabled_since(scope.portal_id, scope.realm_id) is None:
            raise InvalidRequestError("Turn on linking QuickBooks invoices automatically before backfilling (a dry "
                                      "run works without it).")
        current = self.store.current(scope.portal_id, scope.realm_id)
        if current is not None and current.status.active:
            raise BackfillBusyError("An invoice backfill or dry run is already running for this company; wait for "
                                    "it or cancel it.")
        self.companies.open(scope.portal_id, scope.realm_id)  # only a connected company: CompanyNotConnectedError
        now = self.clock()
        run = AutoLinkRun(run_id=self.new_id(), portal_id=scope.portal_id, realm_id=scope.realm_id,
                          date_from=date_from, date_to=date_to, dry_run=dry_run,
                          invoices_in_range=self.pages(scope).count(date_from, date_to), started_at=now, updated_at=now,
                          started_by_user_id=user_id)
        self.store.start(run)
        self.send(AutoLinkStep(portal_id=scope.portal_id, realm_id=scope.realm_id, run_id=run.run_id,
                                     start=1))
        return run

    def progress(self, scope: CompanyScope) -> AutoLinkRun:
        run = self.store.current(scope.portal_id, scope.realm_id)
        if run is None:
            raise NotFoundError("No invoice backfill or dry run has been started for this company yet.")
        return run

    def cancel(self, scope: CompanyScope) -> AutoLinkRun:
        return cancel_run(lambda: self.progress(scope), self.store.save, self.clock)

    # -- one page, from the sync queue ---------------------------------------------------------------------------
    def step(self, step: AutoLinkStep) -> str:
        scope = CompanyScope(portal_id=step.portal_id, realm_id=step.realm_id)
        return run_page(
            self.store, portal_id=scope.portal_id, realm_id=scope.realm_id, run_id=step.run_id,
            is_next=lambda run: step.start == run.next_start, page=lambda run: self._page(scope, run, step),
            clock=self.clock, send_next=lambda saved: self.send(AutoLinkStep(
                portal_id=scope.portal_id, realm_id=scope.realm_id, run_id=saved.run_id, start=saved.next_start)))

    def _page(self, scope: CompanyScope, run: AutoLinkRun, step: AutoLinkStep) -> PageDone:
        invoices = self.pages(scope).page(run.date_from, run.date_to, step.start, PAGE_SIZE)
        plan = plan_placements(portal_id=scope.portal_id, realm_id=scope.realm_id, invoices=invoices,
                               links=self.links, sync_links=self.sync_links, state=self.state)
        if not run.dry_run:
            self._link(scope, plan, invoices)
        examples = {kind: list(found) for kind, found in run.examples.items()}
        _examples(examples, plan)
        finished = len(invoices) < PAGE_SIZE
        return PageDone(records=len(invoices), finished=finished, changes={
            "counts": add_counts(run.counts, plan.counts()), "examples": examples,
            "next_start": step.start + PAGE_SIZE},
            summary=f"invoices from {step.start}: {len(invoices)} read, {len(plan.placements)} "
                    f"{'would be ' if run.dry_run else ''}linked" + (" (finished)" if finished else ""))

    def _link(self, scope: CompanyScope, plan: PlacementPlan, invoices: list[QboInvoice]) -> None:
        if plan.placements:
            company = self.companies.open(scope.portal_id, scope.realm_id)
            now = self.clock()
            paid_on = company.last_payment_dates([p.invoice for p in plan.placements if p.invoice.payment_ids])
            place(portal_id=scope.portal_id, realm_id=scope.realm_id, plan=plan, links=self.links, state=self.state,
                  now=now, today=today_in(company.profile().time_zone, now), paid_on=paid_on)
        # Every contact and company the page's invoices are on is brought in line, not only those just linked: a
        # page whose HubSpot writes failed is redone with its links already placed, and its records still need them.
        page_ids = {invoice.id for invoice in invoices}
        records = records_of(link for link in self.links.for_realm(scope.portal_id, scope.realm_id)
                             if link.invoice_id in page_ids and link.object_type is not HubSpotObjectType.DEAL)
        if records:
            converge_records(portal_id=scope.portal_id, records=records, links=self.links,
                             crm=self.crm(scope.portal_id))
