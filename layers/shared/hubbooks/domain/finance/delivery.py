"""Send and void a linked QuickBooks invoice from HubSpot; the links, the deal properties and the deal timeline follow
at once instead of waiting for QuickBooks' webhook (which later confirms the same state)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Protocol

from hubbooks.domain.errors import ConflictError
from hubbooks.domain.finance.email_address import email_problem
from hubbooks.domain.invoicing.deal_sync import record_invoice_change
from hubbooks.domain.invoicing.errors import FieldProblem, InvoiceRejectedError, RecordNotFoundError
from hubbooks.domain.invoicing.live_ports import PortalCrm
from hubbooks.domain.invoicing.ports import InvoiceLinks
from hubbooks.domain.invoicing.presenting import summarise
from hubbooks.domain.invoicing.status import is_voided, today_in, voidable
from hubbooks.domain.invoicing.wizard import request_id
from hubbooks.models.finance import InvoiceActionResult
from hubbooks.models.invoicing import CompanyProfile, HubSpotObjectType, InvoiceLink, QboInvoice
from hubbooks.models.invoicing_api import LinkedObject
from hubbooks.observability import logger

Clock = Callable[[], datetime]


class DeliveringCompany(Protocol):
    realm_id: str

    def profile(self) -> CompanyProfile: ...
    def invoice_for_change(self, invoice_id: str) -> QboInvoice | None:
        """Read now, with its SyncToken and payment link; None when QuickBooks no longer has it."""
        ...
    def send_invoice(self, invoice_id: str, send_to: str | None) -> QboInvoice: ...
    def void_invoice(self, invoice: QboInvoice, request_id: str) -> QboInvoice: ...


class DeliveringCompanies(Protocol):
    def open(self, portal_id: int, realm_id: str) -> DeliveringCompany: ...


class InvoiceNotVoidableError(ConflictError):
    code = "invoice_not_voidable"


class InvoiceNotSendableError(ConflictError):
    code = "invoice_not_sendable"


@dataclass(frozen=True)
class Actor:
    user_id: int
    email: str | None

    @property
    def name(self) -> str:
        return self.email or f"HubSpot user {self.user_id}"


def _linked(portal_id: int, realm_id: str, invoice_id: str, links: InvoiceLinks) -> list[InvoiceLink]:
    found = links.for_invoice(portal_id, realm_id, invoice_id)
    if not found:
        # Only invoices shown on a record of this portal may be acted on, not any invoice of the company.
        raise RecordNotFoundError("That invoice is not shown on any HubSpot record in this account; add it to a "
                                  "deal, contact or company first.")
    return found


def _current(company: DeliveringCompany, invoice_id: str) -> QboInvoice:
    invoice = company.invoice_for_change(invoice_id)
    if invoice is None:
        raise RecordNotFoundError("That invoice no longer exists in QuickBooks; refresh the card.")
    return invoice


def _label(invoice: QboInvoice) -> str:
    return f"Invoice {invoice.doc_number}" if invoice.doc_number else f"QuickBooks invoice {invoice.id}"


def _follow(*, portal_id: int, company: DeliveringCompany, invoice: QboInvoice, links: InvoiceLinks,
            crm: PortalCrm, note: str | None, now: datetime, payment_link: str | None = None,
            sent_to: str | None = None) -> InvoiceActionResult:
    """Links, deal properties and timeline after the QuickBooks change. HubSpot trouble becomes a warning: the change
    in QuickBooks is done, and its webhook or the daily check brings the deal up to date."""
    profile = company.profile()
    today = today_in(profile.time_zone, now)
    warnings: list[str] = []
    hubspot_currency: str | None = None
    deals: list[str] = []
    try:
        hubspot_currency = crm.company_currency()
        deals = record_invoice_change(portal_id=portal_id, realm_id=company.realm_id, invoice=invoice, links=links,
                                      crm=crm, today=today, hubspot_currency=hubspot_currency)
    except Exception as error:  # QuickBooks changed; HubSpot catches up through the webhook
        logger.warning("deal properties not updated after an invoice action", extra={"error": type(error).__name__})
        warnings.append("QuickBooks has the change, but the deal's invoice fields could not be updated yet; they "
                        "will follow within minutes.")
    linked = links.for_invoice(portal_id, company.realm_id, invoice.id)
    deal_ids = sorted({link.object_id for link in linked if link.object_type is HubSpotObjectType.DEAL})
    if note and deal_ids:
        try:
            crm.create_note(note, now, deal_ids)
        except Exception as error:  # the timeline entry is secondary to the change itself
            logger.warning("timeline note not created after an invoice action",
                           extra={"error": type(error).__name__})
            warnings.append("The deal timeline could not be updated.")
    summary = summarise(invoice, profile, today, hubspot_currency or profile.home_currency)
    return InvoiceActionResult(invoice=summary, sent_to=sent_to, payment_link=payment_link, deals_updated=deals,
                               linked_to=[LinkedObject(object_type=link.object_type, object_id=link.object_id)
                                          for link in linked], warnings=warnings)


def send_invoice(*, portal_id: int, actor: Actor, realm_id: str, invoice_id: str, to: str | None,
                 companies: DeliveringCompanies, links: InvoiceLinks, crm: PortalCrm,
                 clock: Clock = lambda: datetime.now(UTC)) -> InvoiceActionResult:
    """E-mail the invoice through QuickBooks (to `to`, or its billing e-mail); it reads as "sent" at once."""
    address = (to or "").strip() or None
    if address is not None:
        problem = email_problem(address)
        if problem:
            raise InvoiceRejectedError([FieldProblem("to", problem)], f"Please fix the address: {problem}")
    _linked(portal_id, realm_id, invoice_id, links)
    company = companies.open(portal_id, realm_id)
    invoice = _current(company, invoice_id)
    if is_voided(invoice):
        raise InvoiceNotSendableError(f"{_label(invoice)} is voided in QuickBooks, so it cannot be sent.")
    if address is None and not invoice.bill_email:
        raise InvoiceRejectedError([FieldProblem("to", "The invoice has no billing e-mail in QuickBooks; enter the "
                                                       "address to send it to.")],
                                   "Enter the address to send the invoice to: it has no billing e-mail.")
    sent = company.send_invoice(invoice_id, address)
    recipient = address or sent.bill_email or invoice.bill_email
    note = f"{_label(sent)} e-mailed from QuickBooks to {recipient} by {actor.name} (HubBooks)."
    return _follow(portal_id=portal_id, company=company, invoice=sent, links=links, crm=crm, note=note,
                   now=clock(), payment_link=sent.payment_link or invoice.payment_link, sent_to=recipient)


def _void_refusal(invoice: QboInvoice) -> str:
    if invoice.balance <= Decimal(0):
        return (f"{_label(invoice)} is paid, so it cannot be voided: voiding would leave the payment with nothing to "
                "pay. Refund or delete the payment in QuickBooks first, or issue a credit memo.")
    paid = invoice.total - invoice.balance
    return (f"{_label(invoice)} has {paid:.2f} {invoice.currency} paid against it, so it cannot be voided. Remove "
            "the payment in QuickBooks first, or issue a credit memo for the rest.")


def void_invoice(*, portal_id: int, actor: Actor, realm_id: str, invoice_id: str, companies: DeliveringCompanies,
                 links: InvoiceLinks, crm: PortalCrm,
                 clock: Clock = lambda: datetime.now(UTC)) -> InvoiceActionResult:
    """Void it in QuickBooks (the caller checked the actor may). Voiding twice changes nothing the second time."""
    _linked(portal_id, realm_id, invoice_id, links)
    company = companies.open(portal_id, realm_id)
    now = clock()
    invoice = _current(company, invoice_id)
    if is_voided(invoice):
        return _follow(portal_id=portal_id, company=company, invoice=invoice, links=links, crm=crm, note=None,
                       now=now)
    if not voidable(invoice):
        raise InvoiceNotVoidableError(_void_refusal(invoice), details={"total": str(invoice.total),
                                                                       "balance": str(invoice.balance)})
    # The SyncToken in the requestid: a retry repeats this void, while a void of a since-changed invoice is new.
    voided = company.void_invoice(invoice, request_id("void", portal_id, realm_id, invoice_id, invoice.sync_token))
    note = (f"{_label(invoice)} ({invoice.total:.2f} {invoice.currency}) voided in QuickBooks by {actor.name} "
            "(HubBooks).")
    return _follow(portal_id=portal_id, company=company, invoice=voided, links=links, crm=crm, note=note, now=now)
