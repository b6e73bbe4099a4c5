"""One portal's HubSpot as the card's invoice routes use it: the live-status Crm plus the wizard's reads, deals with
their contacts, companies and quotes, quotes with their line items.

Apart from adapters/hubspot/invoicing_crm.py so that the workers do not define the wizard's models."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from hubbooks.adapters.hubspot.errors import HubSpotNotFoundError
from hubbooks.adapters.hubspot.timeline import HubSpotLiveCrm
from hubbooks.domain.invoicing.errors import RecordNotFoundError
from hubbooks.models.hubspot import CrmRecord
from hubbooks.models.invoice_wizard import CrmCompany, CrmContact, CrmDeal, CrmQuote, QuoteLineItem

_QUOTE_PROPERTIES = ("hs_title", "hs_status", "hs_expiration_date", "hs_currency")
_LINE_PROPERTIES = ("name", "quantity", "price", "hs_sku", "description", "hs_discount_percentage", "discount")


def _decimal(value: str | None) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def _or(value: Decimal | None, default: Decimal) -> Decimal:
    return default if value is None else value


def _date(value: str | None) -> date | None:
    """HubSpot sends date properties as ISO dates or datetimes, or as epoch milliseconds."""
    if not value:
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC).date()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def line_item_from(record: CrmRecord) -> QuoteLineItem:
    v = record.value
    return QuoteLineItem(id=record.id, name=v("name") or "Line item",
                         quantity=_or(_decimal(v("quantity")), Decimal(1)), price=_or(_decimal(v("price")), Decimal(0)),
                         sku=v("hs_sku") or None, description=v("description") or None,
                         discount_percent=_decimal(v("hs_discount_percentage")),
                         discount_amount=_decimal(v("discount")))


class HubSpotWizardCrm(HubSpotLiveCrm):
    def deal(self, deal_id: str) -> CrmDeal:
        try:
            record = self._client.objects.get("deals", deal_id, properties=("dealname", "deal_currency_code"),
                                              associations=("contacts", "companies", "quotes"))
        except HubSpotNotFoundError as error:
            raise RecordNotFoundError(f"There is no HubSpot deal {deal_id} in this account.") from error
        return CrmDeal(id=record.id, name=record.value("dealname"), currency=record.value("deal_currency_code"),
                       contact_ids=tuple(record.associated_ids("contacts")),
                       company_ids=tuple(record.associated_ids("companies")),
                       quote_ids=tuple(record.associated_ids("quotes")))

    def contacts(self, contact_ids: Sequence[str]) -> list[CrmContact]:
        result = self._client.objects.batch_read("contacts", list(contact_ids),
                                                 properties=("email", "firstname", "lastname", "company"))
        return [CrmContact(id=r.id, email=r.value("email"), first_name=r.value("firstname"),
                           last_name=r.value("lastname"), company_name=r.value("company")) for r in result.results]

    def companies(self, company_ids: Sequence[str]) -> list[CrmCompany]:
        result = self._client.objects.batch_read("companies", list(company_ids), properties=("name", "domain"))
        return [CrmCompany(id=r.id, name=r.value("name"), domain=r.value("domain")) for r in result.results]

    def quotes(self, quote_ids: Sequence[str]) -> list[CrmQuote]:
        """Each quote with its associations (one read each), then all their line items in one batch read."""
        records: list[CrmRecord] = []
        for quote_id in quote_ids:
            try:
                records.append(self._client.objects.get("quotes", quote_id, properties=_QUOTE_PROPERTIES,
                                                        associations=("line_items", "contacts", "companies")))
            except HubSpotNotFoundError:
                continue
        line_ids = [i for r in records for i in r.associated_ids("line_items")]
        lines = {}
        if line_ids:
            batch = self._client.objects.batch_read("line_items", line_ids, properties=_LINE_PROPERTIES)
            lines = {r.id: line_item_from(r) for r in batch.results}
        return [CrmQuote(id=r.id, title=r.value("hs_title") or f"Quote {r.id}", status=r.value("hs_status") or None,
                         expiration_date=_date(r.value("hs_expiration_date")), currency=r.value("hs_currency"),
                         line_items=tuple(lines[i] for i in r.associated_ids("line_items") if i in lines),
                         contact_ids=tuple(r.associated_ids("contacts")),
                         company_ids=tuple(r.associated_ids("companies")))
                for r in records]
