"""Add existing QuickBooks invoices to a deal, contact or company, and take them off again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from hubbooks.domain.invoicing.deal_properties import DEAL_PROPERTY_NAMES
from hubbooks.domain.invoicing.deal_sync import new_link, refresh_record
from hubbooks.domain.invoicing.errors import RecordNotFoundError
from hubbooks.domain.invoicing.ports import Crm, InvoiceLinks, QboCompanies, QboCompany
from hubbooks.domain.invoicing.presenting import summarise
from hubbooks.domain.invoicing.status import today_in
from hubbooks.models.invoice_wizard import InvoiceSearch
from hubbooks.models.invoicing import HubSpotObjectType
from hubbooks.models.invoicing_api import InvoiceSummary, LinkInvoicesBody, LinkResult, UnlinkResult

Clock = Callable[[], datetime]


def search_invoices(*, company: QboCompany, search: InvoiceSearch, crm: Crm,
                    clock: Clock = lambda: datetime.now(UTC)) -> list[InvoiceSummary]:
    profile = company.profile()
    today = today_in(profile.time_zone, clock())
    currency = crm.company_currency()
    return [summarise(invoice, profile, today, currency) for invoice in company.search_invoices(search)]


def _require_record(crm: Crm, object_type: HubSpotObjectType, object_id: str) -> None:
    if not crm.record_exists(object_type, object_id):
        raise RecordNotFoundError(f"There is no HubSpot {object_type.value} {object_id} in this account.")


def link_invoices(*, portal_id: int, user_id: int | None, body: LinkInvoicesBody, companies: QboCompanies,
                  links: InvoiceLinks, crm: Crm, clock: Clock = lambda: datetime.now(UTC)) -> LinkResult:
    _require_record(crm, body.object_type, body.object_id)
    company = companies.open(portal_id, body.realm_id)
    profile = company.profile()
    now = clock()
    today = today_in(profile.time_zone, now)
    wanted = list(dict.fromkeys(i.strip() for i in body.invoice_ids if i.strip()))
    already = {link.invoice_id for link in links.for_object(portal_id, body.object_type, body.object_id)
               if link.realm_id == body.realm_id}
    found = {invoice.id: invoice for invoice in company.invoices_by_ids(wanted)}
    paid_on = company.last_payment_dates([i for i in found.values() if i.payment_ids and i.id not in already])
    currency = crm.company_currency()
    linked: list[InvoiceSummary] = []
    for invoice_id in wanted:
        invoice = found.get(invoice_id)
        if invoice is None or invoice_id in already:
            continue
        links.save(new_link(portal_id=portal_id, object_type=body.object_type, object_id=body.object_id,
                            realm_id=body.realm_id, invoice=invoice, user_id=user_id, now=now, today=today,
                            last_payment_date=paid_on.get(invoice_id)))
        linked.append(summarise(invoice, profile, today, currency))
    updated = False
    if linked:
        written = refresh_record(portal_id=portal_id, object_type=body.object_type, object_id=body.object_id,
                                 links=links, crm=crm, hubspot_currency=currency)
        updated = body.object_type is HubSpotObjectType.DEAL and any(n in written for n in DEAL_PROPERTY_NAMES)
    return LinkResult(linked=linked, already_linked=[i for i in wanted if i in already],
                      not_found=[i for i in wanted if i not in found], deal_properties_updated=updated)


def unlink_invoice(*, portal_id: int, object_type: HubSpotObjectType, object_id: str, realm_id: str,
                   invoice_id: str, links: InvoiceLinks, crm: Crm) -> UnlinkResult:
    current = [link for link in links.for_object(portal_id, object_type, object_id)
               if link.realm_id == realm_id and link.invoice_id == invoice_id]
    if not current:
        raise RecordNotFoundError("That invoice is not linked to this record.")
    links.delete(current[0])
    written = refresh_record(portal_id=portal_id, object_type=object_type, object_id=object_id, links=links, crm=crm)
    updated = object_type is HubSpotObjectType.DEAL and any(name in written for name in DEAL_PROPERTY_NAMES)
    return UnlinkResult(unlinked=True, deal_properties_updated=updated)
