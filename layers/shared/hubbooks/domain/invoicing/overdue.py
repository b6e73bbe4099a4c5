"""The daily overdue check for one company: recompute linked invoices' statuses and bring their deals in line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from hubbooks.domain.invoicing.live_ports import LiveCompanies
from hubbooks.domain.invoicing.live_status import refresh_invoices
from hubbooks.domain.invoicing.ports import ConvergingCrm, InvoiceLinks

Clock = Callable[[], datetime]


def check_company(*, portal_id: int, realm_id: str, links: InvoiceLinks, companies: LiveCompanies,
                  crm: Callable[[], ConvergingCrm], clock: Clock = lambda: datetime.now(UTC)) -> str:
    """Returns a one-line outcome for the job record.

    Every linked deal is compared with what HubSpot shows now (batch reads) and only differences are written, so a
    deal whose write failed earlier (a HubSpot outage) is repaired even though its snapshot no longer changes."""
    realm_links = links.for_realm(portal_id, realm_id)
    if not realm_links:
        return "no linked invoices"
    before = set(realm_links)
    invoice_ids = sorted({link.invoice_id for link in realm_links})
    refresh = refresh_invoices(portal_id=portal_id, realm_id=realm_id, invoice_ids=invoice_ids, links=links,
                               companies=companies, crm=crm, clock=clock)
    changed = sum(1 for link in links.for_realm(portal_id, realm_id) if link not in before)
    others = refresh.others_written
    return (f"checked {len(invoice_ids)} invoices: {changed} links changed, {len(refresh.deals_written)} deals "
            "updated" + (f", {others} contacts or companies updated" if others else ""))
