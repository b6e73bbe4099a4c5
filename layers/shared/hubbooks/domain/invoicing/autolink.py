"""Every QuickBooks invoice where it belongs: an invoice whose QuickBooks customer is linked to a HubSpot contact or
company (by the contact/company sync, or because someone linked one of that customer's invoices to the record) is
linked to that record too, when it arrives (the change engine's Invoice applier) or by a backfill.

Arrivals are the invoices QuickBooks changed since auto-linking was turned on (a full re-read by the reconciliation
does not sweep a company's whole history onto its contacts: older invoices are the backfill's, with its dry run).
Each invoice is placed on a record once: the records it was placed on are remembered, so an invoice someone unlinked
on purpose is not linked again, while a record the customer is linked to later still receives it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple, Protocol

from hubbooks.domain.invoicing.deal_sync import RecordRef, new_link
from hubbooks.domain.invoicing.live_ports import LiveCompany
from hubbooks.domain.invoicing.ports import InvoiceLinks
from hubbooks.domain.invoicing.status import today_in
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceLink, QboInvoice
from hubbooks.models.sync_object import SyncObject

if TYPE_CHECKING:
    from hubbooks.domain.sync.ports import SyncLinkStore

_SYNCED = ((SyncObject.CONTACTS, HubSpotObjectType.CONTACT), (SyncObject.COMPANIES, HubSpotObjectType.COMPANY))
_RECORD_TYPES = (HubSpotObjectType.CONTACT, HubSpotObjectType.COMPANY)


# QuickBooks stamps LastUpdatedTime with its own clock: an invoice changed just after auto-linking was turned on must
# not be missed because the clocks differ; one changed just before is linked too, which is harmless.
CLOCK_MARGIN = timedelta(minutes=5)


class AutoLinkState(Protocol):
    def enabled_since(self, portal_id: int, realm_id: str) -> datetime | None:
        """When auto-linking was turned on for the company; None while it is off."""
        ...

    def placed(self, portal_id: int, realm_id: str, invoice_ids: Sequence[str]) -> dict[str, set[RecordRef]]:
        """Records each invoice was already placed on (invoices never placed are left out)."""
        ...

    def record_placed(self, portal_id: int, realm_id: str, invoice_id: str, records: Iterable[RecordRef],
                      at: datetime) -> None:
        """Add to the invoice's placed records."""
        ...


def describe(record: RecordRef) -> str:
    return f"{record[0].value} {record[1]}"


def customer_records(*, portal_id: int, realm_id: str, customer_ids: Iterable[str],
                     realm_links: Iterable[InvoiceLink], sync_links: SyncLinkStore) -> dict[str, set[RecordRef]]:
    """QuickBooks customer -> the contacts and companies it is linked to: the sync's record links, and the records a
    person linked one of the customer's invoices to (automatic links do not spread further)."""
    wanted = sorted(set(customer_ids))
    found: dict[str, set[RecordRef]] = {}
    if not wanted:
        return found
    for sync_object, object_type in _SYNCED:
        for qbo_id, record_link in sync_links.get_many(portal_id, realm_id, sync_object, wanted).items():
            found.setdefault(qbo_id, set()).add((object_type, record_link.hubspot_id))
    chosen = set(wanted)
    for link in realm_links:
        if (link.object_type in _RECORD_TYPES and link.linked_by_user_id is not None and link.customer_id
                and link.customer_id in chosen):
            found.setdefault(link.customer_id, set()).add((link.object_type, link.object_id))
    return found


class Placement(NamedTuple):
    invoice: QboInvoice
    records: tuple[RecordRef, ...]


class PlacementPlan:
    """What auto-linking would do for some invoices: the placements, and why the others are left alone. A plain
    class, not a dataclass: every invoice batch loads it, and a dataclass compiles its methods when defined."""

    __slots__ = ("already_there", "customer_not_linked", "placements")

    def __init__(self) -> None:
        self.placements: list[Placement] = []
        self.customer_not_linked: list[QboInvoice] = []
        self.already_there: list[QboInvoice] = []

    def counts(self) -> dict[str, int]:
        return {"invoices_to_link": len(self.placements),
                "links_to_make": sum(len(p.records) for p in self.placements),
                "customer_not_linked": len(self.customer_not_linked), "already_linked": len(self.already_there)}


def plan_placements(*, portal_id: int, realm_id: str, invoices: Sequence[QboInvoice], links: InvoiceLinks,
                    sync_links: SyncLinkStore, state: AutoLinkState) -> PlacementPlan:
    plan = PlacementPlan()
    if not invoices:
        return plan
    realm_links = links.for_realm(portal_id, realm_id)
    targets = customer_records(portal_id=portal_id, realm_id=realm_id, customer_ids=[i.customer_id for i in invoices],
                               realm_links=realm_links, sync_links=sync_links)
    linked_now: dict[str, set[RecordRef]] = {}
    for link in realm_links:
        linked_now.setdefault(link.invoice_id, set()).add((link.object_type, link.object_id))
    placed = state.placed(portal_id, realm_id, [i.id for i in invoices if targets.get(i.customer_id)])
    for invoice in invoices:
        wanted = targets.get(invoice.customer_id)
        if not wanted:
            plan.customer_not_linked.append(invoice)
            continue
        new = wanted - linked_now.get(invoice.id, set()) - placed.get(invoice.id, set())
        if new:
            plan.placements.append(Placement(invoice, tuple(sorted(new, key=lambda r: (r[0].value, r[1])))))
        else:
            plan.already_there.append(invoice)
    return plan


def place(*, portal_id: int, realm_id: str, plan: PlacementPlan, links: InvoiceLinks, state: AutoLinkState,
          now: datetime, today: date, paid_on: Mapping[str, date]) -> list[InvoiceLink]:
    """Save the plan's links (snapshotted now) and remember them; returns the links made."""
    made: list[InvoiceLink] = []
    for placement in plan.placements:
        invoice = placement.invoice
        for object_type, object_id in placement.records:
            link = new_link(portal_id=portal_id, object_type=object_type, object_id=object_id, realm_id=realm_id,
                            invoice=invoice, user_id=None, now=now, today=today,
                            last_payment_date=paid_on.get(invoice.id))
            links.save(link)
            made.append(link)
        state.record_placed(portal_id, realm_id, invoice.id, placement.records, now)
    return made


class AutoLinker:
    """What the Invoice applier calls for the invoices of a change batch, before it refreshes the linked ones."""

    def __init__(self, *, links: InvoiceLinks, sync_links: SyncLinkStore, state: AutoLinkState,
                 clock: Callable[[], datetime]) -> None:
        self._links = links
        self._sync_links = sync_links
        self._state = state
        self._clock = clock

    def link_arrivals(self, portal_id: int, company: LiveCompany, invoices: Sequence[QboInvoice]) -> list[InvoiceLink]:
        """Links made; nothing (and no QuickBooks or HubSpot call) while the company has auto-linking off."""
        if not invoices:
            return []
        since = self._state.enabled_since(portal_id, company.realm_id)
        if since is None:
            return []
        arrived = [invoice for invoice in invoices if invoice.last_updated >= since - CLOCK_MARGIN]
        if not arrived:
            return []
        plan = plan_placements(portal_id=portal_id, realm_id=company.realm_id, invoices=arrived, links=self._links,
                               sync_links=self._sync_links, state=self._state)
        if not plan.placements:
            return []
        now = self._clock()
        paid_on = company.last_payment_dates([p.invoice for p in plan.placements if p.invoice.payment_ids])
        return place(portal_id=portal_id, realm_id=company.realm_id, plan=plan, links=self._links, state=self._state,
                     now=now, today=today_in(company.profile().time_zone, now), paid_on=paid_on)
