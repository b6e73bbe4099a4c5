"""Keep HubSpot records' invoice properties in step with their linked invoices, from the snapshots kept on the links.

This is the one place record properties are derived: a deal gets its latest invoice's facts and the roll-ups, a
contact or company the roll-ups. Every path that changes an invoice (creation, linking, webhooks, the daily check,
send and void) saves fresh snapshots and then calls `refresh_records`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from hubbooks.domain.invoicing.deal_properties import DEAL_PROPERTY_NAMES, InvoiceFacts, deal_properties
from hubbooks.domain.invoicing.ports import ConvergingCrm, InvoiceLinks, RecordCrm
from hubbooks.domain.invoicing.rollups import ROLLUP_PROPERTY_NAMES, rollup
from hubbooks.domain.invoicing.status import derive_status
from hubbooks.models.credits import CustomerCredit
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceLink, QboInvoice

RecordRef = tuple[HubSpotObjectType, str]


def snapshot(link: InvoiceLink, invoice: QboInvoice, today: date,
             last_payment_date: date | None = None) -> InvoiceLink:
    """The link with the invoice's current facts, for the overdue job and record properties to use without QBO.

    The last payment date is kept from the link unless given: QuickBooks' invoice does not carry it."""
    return link.model_copy(update={
        "doc_number": invoice.doc_number, "customer_id": invoice.customer_id, "customer_name": invoice.customer_name,
        "currency": invoice.currency,
        "total": invoice.total, "balance": invoice.balance, "due_date": invoice.due_date,
        "invoice_date": invoice.txn_date,
        "status": derive_status(invoice, today), "last_updated": invoice.last_updated,
        "exchange_rate": invoice.exchange_rate, "home_currency": invoice.home_currency or link.home_currency,
        "last_payment_date": last_payment_date or (link.last_payment_date if invoice.payment_ids else None),
    })


def new_link(*, portal_id: int, object_type: HubSpotObjectType, object_id: str, realm_id: str,
             invoice: QboInvoice, user_id: int | None, now: datetime, today: date,
             last_payment_date: date | None = None) -> InvoiceLink:
    bare = InvoiceLink(portal_id=portal_id, realm_id=realm_id, invoice_id=invoice.id, object_type=object_type,
                       object_id=object_id, linked_at=now, linked_by_user_id=user_id)
    return snapshot(bare, invoice, today, last_payment_date)


def _facts(link: InvoiceLink) -> InvoiceFacts | None:
    if link.total is None or not link.currency or link.status is None or link.last_updated is None:
        return None
    return InvoiceFacts(realm_id=link.realm_id, invoice_id=link.invoice_id, doc_number=link.doc_number,
                        customer_name=link.customer_name, total=link.total, currency=link.currency,
                        status=link.status, due_date=link.due_date, last_updated=link.last_updated)


def record_properties(object_type: HubSpotObjectType, record_links: list[InvoiceLink],
                      hubspot_currency: str, credits: Sequence[CustomerCredit] = ()) -> dict[str, str]:
    """What to write on one record. With no linked invoice left a deal's invoice facts are cleared; with only
    foreign-currency invoices they are left as they were (a foreign invoice must not overwrite a home-currency one,
    nor blank it). The roll-ups are always written: they count every invoice they can convert."""
    properties = rollup(record_links, hubspot_currency, credits).properties()
    if object_type is HubSpotObjectType.DEAL:
        if not record_links:
            properties.update(dict.fromkeys(DEAL_PROPERTY_NAMES, ""))
        else:
            latest = deal_properties([f for f in map(_facts, record_links) if f is not None], hubspot_currency)
            properties.update(latest or {})
    return properties


def _credits(links: InvoiceLinks, portal_id: int, object_type: HubSpotObjectType,
             object_id: str) -> list[CustomerCredit]:
    """A customer's credits sit on its contacts and companies; deals carry only their own invoices."""
    if object_type is HubSpotObjectType.DEAL:
        return []
    return links.credits_for_object(portal_id, object_type, object_id)


def refresh_record(*, portal_id: int, object_type: HubSpotObjectType, object_id: str, links: InvoiceLinks,
                   crm: RecordCrm, hubspot_currency: str | None = None) -> dict[str, str]:
    """Write one record's invoice properties from its links; returns what was written."""
    record_links = links.for_object(portal_id, object_type, object_id)
    properties = record_properties(object_type, record_links, hubspot_currency or crm.company_currency(),
                                   _credits(links, portal_id, object_type, object_id))
    crm.update_record(object_type, object_id, properties)
    return properties


def refresh_records(*, portal_id: int, records: Iterable[RecordRef], links: InvoiceLinks, crm: RecordCrm,
                    hubspot_currency: str | None = None) -> list[RecordRef]:
    """Rewrite each record once (deals first); returns the records written. The currency is read once."""
    ordered = sorted(set(records), key=lambda ref: (ref[0] is not HubSpotObjectType.DEAL, ref[0].value, ref[1]))
    if not ordered:
        return []
    currency = hubspot_currency or crm.company_currency()
    for object_type, object_id in ordered:
        refresh_record(portal_id=portal_id, object_type=object_type, object_id=object_id, links=links, crm=crm,
                       hubspot_currency=currency)
    return ordered


def records_of(links: Iterable[InvoiceLink]) -> list[RecordRef]:
    return sorted({(link.object_type, link.object_id) for link in links}, key=lambda r: (r[0].value, r[1]))


def _same_value(wanted: str, current: str | None) -> bool:
    current = current or ""
    if wanted == current:
        return True
    try:  # HubSpot gives numbers back in its own format ("540" for "540.00")
        return bool(wanted and current) and Decimal(wanted) == Decimal(current)
    except InvalidOperation:
        return False


def differs(wanted: Mapping[str, str], current: Mapping[str, str | None]) -> bool:
    return any(not _same_value(value, current.get(name)) for name, value in wanted.items())


def _names(object_type: HubSpotObjectType) -> tuple[str, ...]:
    return (*DEAL_PROPERTY_NAMES, *ROLLUP_PROPERTY_NAMES) if object_type is HubSpotObjectType.DEAL \
        else ROLLUP_PROPERTY_NAMES


def converge_records(*, portal_id: int, records: Iterable[RecordRef], links: InvoiceLinks, crm: ConvergingCrm,
                     hubspot_currency: str | None = None) -> list[RecordRef]:
    """Bring each record's invoice properties in line with its links, writing only where HubSpot differs (one batch
    read per object type first). Records HubSpot no longer has are skipped. Returns the records written."""
    wanted_records = sorted(set(records), key=lambda ref: (ref[0] is not HubSpotObjectType.DEAL, ref[0].value,
                                                           ref[1]))
    if not wanted_records:
        return []
    currency = hubspot_currency or crm.company_currency()
    written: list[RecordRef] = []
    for object_type in dict.fromkeys(ref[0] for ref in wanted_records):
        ids = [object_id for kind, object_id in wanted_records if kind is object_type]
        current = crm.record_property_values(object_type, ids, _names(object_type))
        for object_id in ids:
            wanted = record_properties(object_type, links.for_object(portal_id, object_type, object_id), currency,
                                       _credits(links, portal_id, object_type, object_id))
            if object_id not in current or not differs(wanted, current[object_id]):
                continue
            crm.update_record(object_type, object_id, wanted)
            written.append((object_type, object_id))
    return written


def converge_deals(*, portal_id: int, deal_ids: Sequence[str], links: InvoiceLinks, crm: ConvergingCrm,
                   hubspot_currency: str | None = None) -> list[str]:
    """converge_records for deals only; returns the deals written."""
    written = converge_records(portal_id=portal_id, records=[(HubSpotObjectType.DEAL, d) for d in deal_ids],
                               links=links, crm=crm, hubspot_currency=hubspot_currency)
    return [object_id for _, object_id in written]


def refresh_deal_properties(*, portal_id: int, deal_id: str, links: InvoiceLinks, crm: RecordCrm,
                            hubspot_currency: str | None = None) -> bool:
    """Write the deal's properties; True when its invoice facts were written (False when only foreign-currency
    invoices are linked: then just its roll-ups change)."""
    currency = hubspot_currency or crm.company_currency()
    deal_links = links.for_object(portal_id, HubSpotObjectType.DEAL, deal_id)
    properties = record_properties(HubSpotObjectType.DEAL, deal_links, currency)
    crm.update_record(HubSpotObjectType.DEAL, deal_id, properties)
    return any(name in properties for name in DEAL_PROPERTY_NAMES)


def record_invoice_change(*, portal_id: int, realm_id: str, invoice: QboInvoice, links: InvoiceLinks, crm: RecordCrm,
                          today: date, hubspot_currency: str | None = None) -> list[str]:
    """After HubBooks changed an invoice in QuickBooks: keep its new facts on every link and rewrite every record it
    is linked to, without waiting for QuickBooks' webhook. Returns the deals written."""
    invoice_links = links.for_invoice(portal_id, realm_id, invoice.id)
    for link in invoice_links:
        fresh = snapshot(link, invoice, today)
        if fresh != link:
            links.save(fresh)
    written = refresh_records(portal_id=portal_id, records=records_of(invoice_links), links=links, crm=crm,
                              hubspot_currency=hubspot_currency)
    return [object_id for object_type, object_id in written if object_type is HubSpotObjectType.DEAL]
