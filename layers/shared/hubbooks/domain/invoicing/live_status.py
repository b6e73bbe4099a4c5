"""Bring a portal's links and deals in step with QuickBooks after invoices changed there (webhook reactions).

Whatever the operation was, the invoices are re-read: the current state in QuickBooks is the truth, so events that
arrive twice or out of order still leave the right result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from hubbooks.domain.invoicing.deal_sync import RecordRef, converge_records, records_of, snapshot
from hubbooks.domain.invoicing.live_ports import LiveCompanies, LiveCompany
from hubbooks.domain.invoicing.ports import ConvergingCrm, InvoiceLinks
from hubbooks.domain.invoicing.status import today_in
from hubbooks.models.credits import CustomerCredit
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceLink, QboInvoice

IDS_PER_QUERY = 200  # the overdue check's bound: keeps `Id IN (...)` inside QuickBooks' URL and result limits
LOOKUPS_BEFORE_REALM_QUERY = 20  # more invoices than this: read the company's links at once, not one by one
_NOTHING: Mapping[str, Any] = MappingProxyType({})


class InvoiceRefresh(NamedTuple):
    """What one refresh found and did for one portal."""

    invoices: Mapping[str, QboInvoice] = _NOTHING  # linked invoices as QuickBooks has them now
    deals_by_invoice: Mapping[str, tuple[str, ...]] = _NOTHING
    deleted: tuple[str, ...] = ()  # linked invoices QuickBooks no longer has: their links were removed
    deals_written: tuple[str, ...] = ()
    others_written: int = 0  # contacts and companies whose roll-ups were written

    @property
    def linked(self) -> bool:
        return bool(self.invoices or self.deleted)

    def deals_of(self, invoice_ids: Iterable[str]) -> list[str]:
        return sorted({deal for invoice_id in invoice_ids for deal in self.deals_by_invoice.get(invoice_id, ())})

    def describe(self) -> str:
        if not self.linked:
            return "no linked invoice"
        parts = [f"{len(self.invoices)} linked invoice(s) refreshed"]
        if self.deleted:
            parts.append(f"{len(self.deleted)} deleted in QuickBooks and unlinked")
        parts.append(f"{len(self.deals_written)} deal(s) updated")
        return ", ".join(parts)


def _identity(link: InvoiceLink) -> tuple[int, str, str, str, str]:
    return (link.portal_id, link.object_type.value, link.object_id, link.realm_id, link.invoice_id)


class _LinksAsTheyWillBe:
    """The link store as it will be once the fresh snapshots are saved and `gone` deleted, so deals can be written
    from it before anything is saved."""

    def __init__(self, links: InvoiceLinks, fresh: Sequence[InvoiceLink], gone: Sequence[InvoiceLink]) -> None:
        self._links = links
        self._fresh = {_identity(link): link for link in fresh}
        self._gone = {_identity(link) for link in gone}

    def _keep(self, found: list[InvoiceLink]) -> list[InvoiceLink]:
        return [self._fresh.get(_identity(link), link) for link in found if _identity(link) not in self._gone]

    def for_object(self, portal_id: int, object_type: HubSpotObjectType, object_id: str) -> list[InvoiceLink]:
        return self._keep(self._links.for_object(portal_id, object_type, object_id))

    def credits_for_object(self, portal_id: int, object_type: HubSpotObjectType,
                           object_id: str) -> list[CustomerCredit]:
        return self._links.credits_for_object(portal_id, object_type, object_id)

    def for_realm(self, portal_id: int, realm_id: str) -> list[InvoiceLink]:
        return self._keep(self._links.for_realm(portal_id, realm_id))

    def for_invoice(self, portal_id: int, realm_id: str, invoice_id: str) -> list[InvoiceLink]:
        return self._keep(self._links.for_invoice(portal_id, realm_id, invoice_id))

    def save(self, link: InvoiceLink) -> None:
        self._links.save(link)

    def delete(self, link: InvoiceLink) -> bool:
        return self._links.delete(link)


def _read(company: LiveCompany, invoice_ids: list[str]) -> dict[str, QboInvoice]:
    found: dict[str, QboInvoice] = {}
    for start in range(0, len(invoice_ids), IDS_PER_QUERY):
        found.update({i.id: i for i in company.invoices_by_ids(invoice_ids[start:start + IDS_PER_QUERY])})
    return found


def _links_by_invoice(links: InvoiceLinks, portal_id: int, realm_id: str,
                      invoice_ids: Sequence[str]) -> dict[str, list[InvoiceLink]]:
    wanted = list(dict.fromkeys(invoice_ids))
    if len(wanted) > LOOKUPS_BEFORE_REALM_QUERY:  # a reconciliation page: one query for the company's links
        by_invoice: dict[str, list[InvoiceLink]] = {}
        for link in links.for_realm(portal_id, realm_id):
            by_invoice.setdefault(link.invoice_id, []).append(link)
        return {invoice_id: by_invoice[invoice_id] for invoice_id in wanted if invoice_id in by_invoice}
    found = {invoice_id: links.for_invoice(portal_id, realm_id, invoice_id) for invoice_id in wanted}
    return {invoice_id: invoice_links for invoice_id, invoice_links in found.items() if invoice_links}


def refresh_invoices(*, portal_id: int, realm_id: str, invoice_ids: Sequence[str], links: InvoiceLinks,
                     companies: LiveCompanies, crm: Callable[[], ConvergingCrm], clock: Callable[[], datetime],
                     company: LiveCompany | None = None,
                     known: Mapping[str, QboInvoice | None] | None = None) -> InvoiceRefresh:
    """Bring the linked ones among `invoice_ids` in line with QuickBooks: their deals first, then their snapshots.

    `known` holds invoices the caller already read (None: QuickBooks no longer has it); the others are read with one
    query. A linked invoice QuickBooks no longer has was deleted there: its links are removed, because a deleted
    invoice cannot come back and the deal properties must stop describing it. Deals are compared with what HubSpot
    shows now and only differences are written; snapshots are saved, and links removed, only after those writes
    succeeded, so a retry after a HubSpot failure still sees what is left to do. QuickBooks is asked nothing when
    none of the invoices is linked."""
    by_invoice = _links_by_invoice(links, portal_id, realm_id, invoice_ids)
    if not by_invoice:
        return InvoiceRefresh()
    company = company or companies.open(portal_id, realm_id)
    today = today_in(company.profile().time_zone, clock())
    known = known or {}
    invoices = {i: v for i, v in known.items() if i in by_invoice and v is not None}
    unread = [i for i in by_invoice if i not in known]
    if unread:
        invoices.update(_read(company, unread))
    paid_on = company.last_payment_dates([invoice for invoice in invoices.values() if invoice.payment_ids])
    gone: list[InvoiceLink] = []
    fresh_links: list[InvoiceLink] = []
    deals: dict[str, tuple[str, ...]] = {}
    for invoice_id, invoice_links in by_invoice.items():
        deals[invoice_id] = tuple(sorted({link.object_id for link in invoice_links
                                          if link.object_type is HubSpotObjectType.DEAL}))
        invoice = invoices.get(invoice_id)
        for link in invoice_links:
            if invoice is None:
                gone.append(link)
                continue
            fresh = snapshot(link, invoice, today, paid_on.get(invoice_id))
            if fresh != link:
                fresh_links.append(fresh)
    # Deals get their invoice facts and roll-ups, contacts and companies their roll-ups.
    records = records_of(link for invoice_links in by_invoice.values() for link in invoice_links)
    written_records: list[RecordRef] = []
    if records:
        view = _LinksAsTheyWillBe(links, fresh_links, gone)
        written_records = converge_records(portal_id=portal_id, records=records, links=view, crm=crm())
    written = [object_id for object_type, object_id in written_records if object_type is HubSpotObjectType.DEAL]
    for fresh in fresh_links:
        links.save(fresh)
    for link in gone:
        links.delete(link)
    return InvoiceRefresh(invoices=invoices, deals_by_invoice=deals,
                          deleted=tuple(i for i in by_invoice if i not in invoices), deals_written=tuple(written),
                          others_written=len(written_records) - len(written))
