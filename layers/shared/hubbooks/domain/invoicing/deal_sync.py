"""Keep a deal's invoice properties in step with its linked invoices, from the snapshots kept on the links."""

from __future__ import annotations

from datetime import date, datetime

from hubbooks.domain.invoicing.deal_properties import DEAL_PROPERTY_NAMES, InvoiceFacts, deal_properties
from hubbooks.domain.invoicing.ports import Crm, InvoiceLinks
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


def record_invoice_change(*, portal_id: int, realm_id: str, invoice: QboInvoice, links: InvoiceLinks, crm: Crm,
                          today: date, hubspot_currency: str | None = None) -> list[str]:
    """After HubBooks changed an invoice in QuickBooks: keep its new facts on every link and rewrite the deals it is
    linked to, without waiting for QuickBooks' webhook. Returns the deals written."""
    invoice_links = links.for_invoice(portal_id, realm_id, invoice.id)
    for link in invoice_links:
        fresh = snapshot(link, invoice, today)
        if fresh != link:
            links.save(fresh)
    deals = sorted({link.object_id for link in invoice_links if link.object_type is HubSpotObjectType.DEAL})
    currency = hubspot_currency or (crm.company_currency() if deals else None)
    return [deal_id for deal_id in deals
            if refresh_deal_properties(portal_id=portal_id, deal_id=deal_id, links=links, crm=crm,
                                       hubspot_currency=currency)]
