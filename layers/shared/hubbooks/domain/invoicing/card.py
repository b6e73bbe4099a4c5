"""The card on a deal, contact or company: its linked invoices, the connected companies, and what to do next.

Fast by construction: links come from our table, one HubSpot read gives the company currency, and each QuickBooks
company answers one `select * from Invoice where Id in (...)` query however many invoices are linked. Reads that do
not depend on each other go to `run_all` together (the live wiring makes them at once): the links, the connections
and the currency first, then every company's query and invoicing settings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from typing import Any, cast

from hubbooks.domain.invoicing.cents import to_cents
from hubbooks.domain.invoicing.doc_numbers import creation_block_reason
from hubbooks.domain.invoicing.ports import (
    ConnectedCompany,
    Crm,
    InvoiceLinks,
    InvoicingSettingsStore,
    QboCompanies,
    RunAll,
    run_in_order,
)
from hubbooks.domain.invoicing.presenting import summarise
from hubbooks.domain.invoicing.rollups import rate_into
from hubbooks.domain.invoicing.status import today_in, voidable
from hubbooks.models.credits import CreditKind, CustomerCredit
from hubbooks.models.invoicing import (
    CompanyProfile,
    HubSpotObjectType,
    InvoiceLink,
    InvoiceStatus,
    InvoicingSettings,
    QboInvoice,
)
from hubbooks.models.invoicing_api import (
    CardData,
    CardSummary,
    CompanyChoice,
    CreditSummary,
    InvoiceSummary,
    NextAction,
    UnavailableInvoice,
)

Clock = Callable[[], datetime]


def company_choice(connected: ConnectedCompany, blocked_reason: str | None) -> CompanyChoice:
    return CompanyChoice(realm_id=connected.realm_id, company_name=connected.company_name,
                         country=connected.country, home_currency=connected.home_currency,
                         can_create_invoices=blocked_reason is None, blocked_reason=blocked_reason)


def company_choices(portal_id: int, connected: list[ConnectedCompany],
                    settings: InvoicingSettingsStore) -> list[CompanyChoice]:
    """From what the connect flow stored; creation re-reads QuickBooks' preferences before it writes anything."""
    return _choices(connected, {c.realm_id: settings.get(portal_id, c.realm_id)
                                for c in connected if c.custom_txn_numbers})


def _choices(connected: list[ConnectedCompany],
             settings_of: Mapping[str, InvoicingSettings | None]) -> list[CompanyChoice]:
    """Only companies with custom transaction numbers need their invoicing settings (`settings_of`)."""
    choices = []
    for company in connected:
        profile = CompanyProfile(realm_id=company.realm_id, company_name=company.company_name,
                                 country=company.country, home_currency=company.home_currency,
                                 custom_txn_numbers=company.custom_txn_numbers)
        choices.append(company_choice(company, creation_block_reason(profile, settings_of.get(company.realm_id))))
    return choices


def _next_actions(object_type: HubSpotObjectType, companies: list[CompanyChoice]) -> list[NextAction]:
    if not companies:
        return [NextAction(action="connect_quickbooks", label="Connect a QuickBooks company")]
    actions = []
    if object_type is HubSpotObjectType.DEAL:
        creatable = [c for c in companies if c.can_create_invoices]
        reason = None if creatable else "; ".join(sorted({c.blocked_reason or "" for c in companies}))
        actions.append(NextAction(action="create_invoice", label="Create invoice", enabled=bool(creatable),
                                  reason=reason))
    actions.append(NextAction(action="link_existing_invoice", label="Add existing invoice"))
    return actions


def _in_currency(invoice: InvoiceSummary, currency: str) -> tuple[Decimal, Decimal] | None:
    """(amount, balance) in `currency`: as invoiced, or QuickBooks' home-currency figures; None when neither fits."""
    if invoice.currency == currency:
        return invoice.amount, invoice.balance
    if invoice.home_currency == currency and invoice.home_amount is not None and invoice.home_balance is not None:
        return invoice.home_amount, invoice.home_balance
    return None


def credit_summary(credit: CustomerCredit) -> CreditSummary:
    return CreditSummary(kind=credit.kind, label=credit.kind.label, realm_id=credit.realm_id, txn_id=credit.txn_id,
                         number=credit.doc_number, customer=credit.customer_name, date=credit.txn_date,
                         amount=credit.total, unapplied=credit.unapplied, currency=credit.currency)


def _credit_amounts(credits: list[CustomerCredit], currency: str) -> tuple[Decimal, Decimal, int]:
    """(unapplied credit, refunded, left out) in `currency`, converted as the roll-ups convert them."""
    unapplied = refunded = Decimal("0")
    left_out = 0
    for credit in credits:
        rate = rate_into(credit, currency)
        if rate is None:
            left_out += 1
        elif credit.kind is CreditKind.CREDIT_MEMO:
            unapplied += to_cents(credit.unapplied * rate)
        else:
            refunded += to_cents(credit.total * rate)
    return unapplied, refunded, left_out


def summarise_card(invoices: list[InvoiceSummary], currency: str,
                   credits: list[CustomerCredit] | None = None) -> CardSummary:
    invoiced = paid = outstanding = overdue = Decimal("0")
    counted = overdue_count = other_currency = 0
    for invoice in invoices:
        if invoice.status is InvoiceStatus.VOIDED:
            continue
        amounts = _in_currency(invoice, currency)
        if amounts is None:
            other_currency += 1
            continue
        amount, balance = amounts
        counted += 1
        invoiced += amount
        paid += amount - balance
        outstanding += balance
        if invoice.status is InvoiceStatus.OVERDUE:
            overdue += balance
            overdue_count += 1
    unapplied, refunded, left_out = _credit_amounts(credits or [], currency)
    return CardSummary(currency=currency, invoiced=invoiced, paid=paid - refunded, outstanding=outstanding - unapplied,
                       overdue=overdue, invoice_count=counted, overdue_count=overdue_count,
                       other_currency_count=other_currency + left_out, unapplied_credit=unapplied,
                       refunded=refunded)


def build_card(*, portal_id: int, object_type: HubSpotObjectType, object_id: str, links: InvoiceLinks,
               companies: QboCompanies, crm: Crm, settings: InvoicingSettingsStore,
               clock: Clock = lambda: datetime.now(UTC), run_all: RunAll = run_in_order,
               user_may_void: bool = False) -> CardData:
    first_reads = run_all([lambda: companies.connected(portal_id),
                           lambda: links.for_object(portal_id, object_type, object_id),
                           crm.company_currency])
    connected = cast(list[ConnectedCompany], first_reads[0])
    linked = cast(list[InvoiceLink], first_reads[1])
    hubspot_currency = cast(str, first_reads[2])
    names = {c.realm_id: c for c in connected}
    by_realm: dict[str, list[InvoiceLink]] = defaultdict(list)
    for link in linked:
        by_realm[link.realm_id].append(link)

    unavailable: list[UnavailableInvoice] = []
    open_companies = []
    for realm_id, realm_links in by_realm.items():
        if realm_id in names:
            open_companies.append((companies.open(portal_id, realm_id), realm_links))
        else:
            unavailable += [UnavailableInvoice(realm_id=realm_id, invoice_id=link.invoice_id, number=link.doc_number,
                                               reason="The QuickBooks company is no longer connected.")
                            for link in realm_links]
    numbered = [c.realm_id for c in connected if c.custom_txn_numbers]
    second_reads: list[Callable[[], Any]] = [partial(company.invoices_by_ids, [link.invoice_id for link in realm_links])
                                             for company, realm_links in open_companies]
    second_reads += [partial(settings.get, portal_id, realm_id) for realm_id in numbered]
    answers = run_all(second_reads)
    settings_of = dict(zip(numbered, answers[len(open_companies):], strict=True))

    summaries: list[InvoiceSummary] = []
    for (company, realm_links), invoices in zip(open_companies, answers[:len(open_companies)], strict=True):
        profile = company.profile()
        today = today_in(profile.time_zone, clock())
        found = {invoice.id: invoice for invoice in cast(list[QboInvoice], invoices)}
        for link in realm_links:
            invoice = found.get(link.invoice_id)
            if invoice is None:
                unavailable.append(UnavailableInvoice(realm_id=company.realm_id, invoice_id=link.invoice_id,
                                                      number=link.doc_number,
                                                      reason="The invoice was deleted in QuickBooks."))
                continue
            summary = summarise(invoice, profile, today, hubspot_currency)
            summaries.append(summary.model_copy(update={"can_void": user_may_void and voidable(invoice)}))
    summaries.sort(key=lambda s: (s.invoice_date, s.realm_id, s.invoice_id), reverse=True)
    choices = _choices(connected, settings_of)
    credits = [] if object_type is HubSpotObjectType.DEAL else [
        c for c in links.credits_for_object(portal_id, object_type, object_id) if c.realm_id in names]
    credits.sort(key=lambda c: (c.txn_date, c.realm_id, c.txn_id), reverse=True)
    return CardData(object_type=object_type, object_id=object_id, hubspot_currency=hubspot_currency,
                    summary=summarise_card(summaries, hubspot_currency, credits), invoices=summaries,
                    credits=[credit_summary(c) for c in credits],
                    unavailable_invoices=unavailable, companies=choices,
                    next_actions=_next_actions(object_type, choices))
