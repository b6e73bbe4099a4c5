"""Keep a deal's invoice properties in step with its linked invoices, from the snapshots kept on the links."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from hubbooks.domain.invoicing.deal_properties import DEAL_PROPERTY_NAMES, InvoiceFacts, deal_properties
from hubbooks.domain.invoicing.ports import ConvergingCrm, Crm, InvoiceLinks
from hubbooks.domain.invoicing.status import derive_status
from hubbooks.models.invoicing import HubSpotObjectType, InvoiceLink, QboInvoice


def snapshot(link: InvoiceLink, invoice: QboInvoice, today: date) -> InvoiceLink:
    """The link with the invoice's current facts, for the overdue job and deal properties to use without QBO."""
    return link.model_copy(update={
        "doc_number": invoice.doc_number, "customer_name": invoice.customer_name, "currency": invoice.currency,
        "total": invoice.total, "balance": invoice.balance, "due_date": invoice.due_date,
        "status": derive_status(invoice, today), "last_updated": invoice.last_updated,
    })


def new_link(*, portal_id: int, object_type: HubSpotObjectType, object_id: str, realm_id: str,
             invoice: QboInvoice, user_id: int | None, now: datetime, today: date) -> InvoiceLink:
    bare = InvoiceLink(portal_id=portal_id, realm_id=realm_id, invoice_id=invoice.id, object_type=object_type,
                       object_id=object_id, linked_at=now, linked_by_user_id=user_id)
    return snapshot(bare, invoice, today)


def _facts(link: InvoiceLink) -> InvoiceFacts | None:
    if link.total is None or not link.currency or link.status is None or link.last_updated is None:
        return None
    return InvoiceFacts(realm_id=link.realm_id, invoice_id=link.invoice_id, doc_number=link.doc_number,
                        customer_name=link.customer_name, total=link.total, currency=link.currency,
                        status=link.status, due_date=link.due_date, last_updated=link.last_updated)


def desired_deal_properties(portal_id: int, deal_id: str, links: InvoiceLinks,
                            hubspot_currency: str) -> dict[str, str] | None:
    """What the deal's invoice properties should say; None when they should be left as they are."""
    deal_links = links.for_object(portal_id, HubSpotObjectType.DEAL, deal_id)
    if not deal_links:
        return dict.fromkeys(DEAL_PROPERTY_NAMES, "")
    return deal_properties([f for f in (_facts(link) for link in deal_links) if f is not None], hubspot_currency)


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


def converge_deals(*, portal_id: int, deal_ids: Sequence[str], links: InvoiceLinks, crm: ConvergingCrm,
                   hubspot_currency: str | None = None) -> list[str]:
    """Bring each deal's invoice properties in line with its links, writing only where HubSpot differs (one batch
    read first). Deals HubSpot no longer has are skipped. Returns the deals written."""
    if not deal_ids:
        return []
    currency = hubspot_currency or crm.company_currency()
    current = crm.deal_property_values(deal_ids, DEAL_PROPERTY_NAMES)
    written = []
    for deal_id in deal_ids:
        wanted = desired_deal_properties(portal_id, deal_id, links, currency)
        if wanted is None or deal_id not in current or not differs(wanted, current[deal_id]):
            continue
        crm.update_deal(deal_id, wanted)
        written.append(deal_id)
    return written


def refresh_deal_properties(*, portal_id: int, deal_id: str, links: InvoiceLinks, crm: Crm,
                            hubspot_currency: str | None = None) -> bool:
    """Write the deal's properties; True when something was written.

    With no linked invoice left the properties are cleared; with only foreign-currency invoices they are left as
    they were (a foreign invoice must not overwrite a home-currency one, nor blank it)."""
    deal_links = links.for_object(portal_id, HubSpotObjectType.DEAL, deal_id)
    if not deal_links:
        crm.update_deal(deal_id, dict.fromkeys(DEAL_PROPERTY_NAMES, ""))
        return True
    facts = [f for f in (_facts(link) for link in deal_links) if f is not None]
    properties = deal_properties(facts, hubspot_currency or crm.company_currency())
    if properties is None:
        return False
    crm.update_deal(deal_id, properties)
    return True
