"""The daily overdue check for one company: recompute linked invoices' statuses and refresh the affected deals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from hubbooks.domain.invoicing.deal_sync import RecordRef, refresh_records, snapshot
from hubbooks.domain.invoicing.ports import Crm, InvoiceLinks, QboCompanies
from hubbooks.domain.invoicing.status import today_in
from hubbooks.models.invoicing import HubSpotObjectType

Clock = Callable[[], datetime]
_IDS_PER_QUERY = 200  # keeps each `Id in (...)` query well inside QuickBooks' URL and result limits


def check_company(*, portal_id: int, realm_id: str, links: InvoiceLinks, companies: QboCompanies,
                  crm: Callable[[], Crm], clock: Clock = lambda: datetime.now(UTC)) -> str:
    """Returns a one-line outcome for the job record. The HubSpot client is built only if a deal needs writing."""
    realm_links = links.for_realm(portal_id, realm_id)
    if not realm_links:
        return "no linked invoices"
    company = companies.open(portal_id, realm_id)
    today = today_in(company.profile().time_zone, clock())
    invoice_ids = sorted({link.invoice_id for link in realm_links})
    found = {}
    for start in range(0, len(invoice_ids), _IDS_PER_QUERY):
        found.update({i.id: i for i in company.invoices_by_ids(invoice_ids[start:start + _IDS_PER_QUERY])})
    changed = 0
    records: set[RecordRef] = set()
    for link in realm_links:
        invoice = found.get(link.invoice_id)
        if invoice is None:
            continue
        fresh = snapshot(link, invoice, today)
        if fresh != link:
            links.save(fresh)
            changed += 1
            records.add((link.object_type, link.object_id))
    written: list[RecordRef] = []
    if records:  # deals for their invoice facts and roll-ups, contacts and companies for their roll-ups
        written = refresh_records(portal_id=portal_id, records=records, links=links, crm=crm())
    deals = sum(1 for object_type, _ in written if object_type is HubSpotObjectType.DEAL)
    others = len(written) - deals
    return (f"checked {len(invoice_ids)} invoices: {changed} links changed, {deals} deals updated"
            + (f", {others} contacts or companies updated" if others else ""))
