"""Invoice creates whose answer was lost: found in QuickBooks by the reference they carry, and linked.

Every invoice HubBooks creates carries `HubBooks reference: hubspot-deal-<portal>-<deal>-submission-<id>` in its
PrivateNote (QuickBooks keeps it; customers never see it). Before the QuickBooks write a pending-submission record is
saved; it goes once the invoice is linked. A record still there means the outcome is unknown: the change engine
links the invoice when it sees it (webhook or reconciliation), and the wizard resolves it before offering a second
create, so reopening the wizard cannot make a duplicate invoice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple, Protocol

from hubbooks.domain.invoicing.deal_sync import new_link
from hubbooks.domain.invoicing.ports import InvoiceLinks
from hubbooks.models.invoicing import HubSpotObjectType, PendingSubmission, QboInvoice

# A create still running: the invoice function times out after 25 s, retries included, so after a minute the
# outcome is as final as it will be and QuickBooks can be asked (at once, when the request recorded its end).
IN_FLIGHT = timedelta(seconds=60)
# QuickBooks stamps the invoice when it commits; look a little before the submission started.
LOOK_BACK = timedelta(minutes=5)
_REFERENCE = re.compile(r"HubBooks reference: hubspot-deal-(\d+)-(\d+)-submission-([A-Za-z0-9_-]{8,64})")


def invoice_reference(portal_id: int, deal_id: str, submission_id: str) -> str:
    return f"HubBooks reference: hubspot-deal-{portal_id}-{deal_id}-submission-{submission_id}"


class InvoiceOrigin(NamedTuple):
    portal_id: int
    deal_id: str
    submission_id: str


def origin_of(invoice: QboInvoice) -> InvoiceOrigin | None:
    found = _REFERENCE.search(invoice.private_note or "")
    return InvoiceOrigin(int(found.group(1)), found.group(2), found.group(3)) if found else None


class InvoiceSubmissions(Protocol):
    def start(self, pending: PendingSubmission) -> None: ...
    def finish(self, portal_id: int, deal_id: str, submission_id: str) -> None: ...
    def attempt_ended(self, portal_id: int, deal_id: str, submission_id: str, at: datetime) -> None:
        """The request that sent it is over (it failed without knowing whether QuickBooks made the invoice)."""
        ...
    def pending_for_deal(self, portal_id: int, deal_id: str) -> list[PendingSubmission]: ...
    def get(self, portal_id: int, deal_id: str, submission_id: str) -> PendingSubmission | None: ...


class RecentInvoices(Protocol):
    def invoices_changed_since(self, since: datetime) -> list[QboInvoice]:
        """Change data capture for invoices (one call)."""
        ...


def adopt_orphans(*, portal_id: int, realm_id: str, invoices: Sequence[QboInvoice], links: InvoiceLinks,
                  submissions: InvoiceSubmissions, now: datetime, today: date) -> list[str]:
    """Link each invoice HubBooks created for a still-pending submission of this portal; returns their numbers.

    Only pending submissions are adopted: an invoice someone unlinked on purpose stays unlinked."""
    adopted = []
    for invoice in invoices:
        origin = origin_of(invoice)
        if origin is None or origin.portal_id != portal_id:
            continue
        pending = submissions.get(portal_id, origin.deal_id, origin.submission_id)
        if pending is None or pending.realm_id != realm_id:
            continue
        if not any(link.object_type is HubSpotObjectType.DEAL and link.object_id == origin.deal_id
                   for link in links.for_invoice(portal_id, realm_id, invoice.id)):
            links.save(new_link(portal_id=portal_id, object_type=HubSpotObjectType.DEAL, object_id=origin.deal_id,
                                realm_id=realm_id, invoice=invoice, user_id=pending.user_id, now=now, today=today))
            adopted.append(invoice.doc_number or f"id {invoice.id}")
        submissions.finish(portal_id, origin.deal_id, origin.submission_id)
    return adopted


class EarlierSubmissions(NamedTuple):
    """What the wizard (and a new create) must know about the deal's earlier submissions."""

    in_flight: tuple[PendingSubmission, ...] = ()
    adopted: tuple[str, ...] = ()  # invoice numbers found in QuickBooks and linked just now

    @property
    def warnings(self) -> list[str]:
        found = [f"An earlier submission from this deal did create invoice {number} in QuickBooks, but its answer "
                 "was lost; it is now linked to this deal. Check it before creating another." for number in
                 self.adopted]
        busy = [f"An invoice for this deal is being created right now (started {p.started_at:%H:%M:%S} UTC); wait a "
                "minute and reopen the wizard before creating another." for p in self.in_flight]
        return found + busy


def resolve_earlier_submissions(*, portal_id: int, deal_id: str, submissions: InvoiceSubmissions,
                                company: Callable[[str], RecentInvoices], links: InvoiceLinks,
                                today: Callable[[str], date], now: datetime,
                                current_submission_id: str | None = None) -> EarlierSubmissions:
    """Settle the deal's pending submissions other than the current one: too recent ones are reported in flight;
    older ones are looked up in QuickBooks (one CDC call per company) and linked when found, forgotten when not."""
    pending = [p for p in submissions.pending_for_deal(portal_id, deal_id)
               if p.submission_id != current_submission_id]
    in_flight = tuple(p for p in pending if p.attempt_ended_at is None and now - p.started_at < IN_FLIGHT)
    adopted: list[str] = []
    settled = [p for p in pending if p not in in_flight]
    for realm_id in sorted({p.realm_id for p in settled}):
        since = min(p.started_at for p in settled if p.realm_id == realm_id) - LOOK_BACK
        recent = company(realm_id).invoices_changed_since(since)
        adopted += adopt_orphans(portal_id=portal_id, realm_id=realm_id, invoices=recent, links=links,
                                 submissions=submissions, now=now, today=today(realm_id))
        for p in settled:  # not found in QuickBooks: it never got there, so nothing stands in the way
            if p.realm_id == realm_id:
                submissions.finish(portal_id, p.deal_id, p.submission_id)
    return EarlierSubmissions(in_flight=in_flight, adopted=tuple(adopted))
