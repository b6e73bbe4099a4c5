"""Step 8: create the draft invoice in QuickBooks and link it to the deal.

Everything is checked before the one QuickBooks write. An earlier submission for the deal whose outcome is unknown
is settled first (found in QuickBooks and linked, or known never to have got there), so a user who reopens the
wizard after a lost answer is told about the invoice instead of making a second one. The write carries a requestid
derived from the portal, deal and submission, so a retried submission gets the same invoice back from QuickBooks;
the caller additionally wraps this in Powertools idempotency so a completed submission is answered from its record
without calling anyone. A pending-submission record lives from just before the write until the invoice is linked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from hubbooks.domain.errors import ConflictError
from hubbooks.domain.invoicing.deal_sync import new_link, refresh_deal_properties
from hubbooks.domain.invoicing.doc_numbers import assign_doc_number, ensure_invoices_can_be_numbered
from hubbooks.domain.invoicing.errors import QuickBooksRejectedError
from hubbooks.domain.invoicing.ports import Crm, InvoiceLinks, InvoicingSettingsStore, QboCompanies
from hubbooks.domain.invoicing.preparation import prepare_invoice
from hubbooks.domain.invoicing.presenting import summarise
from hubbooks.domain.invoicing.status import today_in
from hubbooks.domain.invoicing.submissions import (
    EarlierSubmissions,
    InvoiceSubmissions,
    invoice_reference,
    resolve_earlier_submissions,
)
from hubbooks.domain.invoicing.wizard import catalogue_for, request_id, usable_quote
from hubbooks.models.invoice_wizard import InvoiceSubmission
from hubbooks.models.invoicing import HubSpotObjectType, PendingSubmission
from hubbooks.models.invoicing_api import CreatedInvoice, LinkedObject
from hubbooks.observability import logger

Clock = Callable[[], datetime]


def settle_earlier_submissions(*, portal_id: int, deal_id: str, submissions: InvoiceSubmissions,
                               companies: QboCompanies, links: InvoiceLinks, crm: Crm, now: datetime,
                               current_submission_id: str | None = None) -> EarlierSubmissions:
    """The deal's earlier submissions whose outcome was unknown, settled (an invoice found is linked and the deal's
    properties rewritten); what the user must be told comes back."""
    earlier = resolve_earlier_submissions(
        portal_id=portal_id, deal_id=deal_id, submissions=submissions,
        company=lambda realm_id: companies.open(portal_id, realm_id), links=links,
        today=lambda realm_id: today_in(companies.open(portal_id, realm_id).profile().time_zone, now), now=now,
        current_submission_id=current_submission_id)
    if earlier.adopted:
        refresh_deal_properties(portal_id=portal_id, deal_id=deal_id, links=links, crm=crm)
    return earlier


def create_invoice(*, portal_id: int, user_id: int | None, deal_id: str, submission: InvoiceSubmission, crm: Crm,
                   companies: QboCompanies, links: InvoiceLinks, settings: InvoicingSettingsStore,
                   submissions: InvoiceSubmissions, clock: Clock = lambda: datetime.now(UTC)) -> CreatedInvoice:
    now = clock()
    earlier = settle_earlier_submissions(portal_id=portal_id, deal_id=deal_id, submissions=submissions,
                                         companies=companies, links=links, crm=crm, now=now,
                                         current_submission_id=submission.submission_id)
    if earlier.warnings:
        raise ConflictError(" ".join(earlier.warnings), details={"adopted": list(earlier.adopted)})
    company = companies.open(portal_id, submission.realm_id)
    deal = crm.deal(deal_id)
    if submission.quote_id:
        usable_quote(crm, deal, submission.quote_id, now)
    catalogue = catalogue_for(company, submission, live=True)
    profile = catalogue.profile
    company_settings = settings.get(portal_id, profile.realm_id)
    ensure_invoices_can_be_numbered(profile, company_settings)
    today = today_in(profile.time_zone, now)
    prepared = prepare_invoice(submission, catalogue, today)

    # The reference lets reconciliation (and the wizard) find and link this invoice if QuickBooks' answer is lost.
    invoice = prepared.invoice.model_copy(update={
        "private_note": f"Created by HubBooks from HubSpot deal {deal.name or deal.id} (deal id {deal.id}). "
                        + invoice_reference(portal_id, deal.id, submission.submission_id)})
    if profile.custom_txn_numbers and company_settings is not None:
        number = assign_doc_number(company_settings.doc_number_prefix,
                                   lambda: settings.next_doc_sequence(portal_id, profile.realm_id),
                                   company.doc_number_taken)
        invoice = invoice.model_copy(update={"doc_number": number})
    submissions.start(PendingSubmission(portal_id=portal_id, deal_id=deal.id, submission_id=submission.submission_id,
                                        realm_id=profile.realm_id, user_id=user_id, started_at=now))
    try:
        created = company.create_invoice(invoice, request_id("invoice", portal_id, deal.id, submission.submission_id))
    except QuickBooksRejectedError:
        submissions.finish(portal_id, deal.id, submission.submission_id)  # refused: certainly nothing was made
        raise
    except Exception:
        # No answer, a 5xx, a timeout: QuickBooks may have made it. Whoever asks next looks it up at once.
        submissions.attempt_ended(portal_id, deal.id, submission.submission_id, clock())
        raise

    links.save(new_link(portal_id=portal_id, object_type=HubSpotObjectType.DEAL, object_id=deal.id,
                        realm_id=profile.realm_id, invoice=created, user_id=user_id, now=now, today=today))
    submissions.finish(portal_id, deal.id, submission.submission_id)
    hubspot_currency = crm.company_currency()
    warnings: list[str] = []
    try:
        updated = refresh_deal_properties(portal_id=portal_id, deal_id=deal.id, links=links, crm=crm,
                                          hubspot_currency=hubspot_currency)
    except Exception as error:  # the invoice exists and is linked; the overdue check rewrites the properties later
        logger.warning("deal properties not updated after invoice creation", extra={"error": type(error).__name__})
        updated = False
        warnings.append("The invoice was created, but the deal's invoice fields could not be updated yet; they will "
                        "be updated by the next daily check.")
    if not updated and not warnings:
        warnings.append(f"The invoice is in {created.currency}, not the HubSpot company currency "
                        f"({hubspot_currency}), so the deal's invoice fields were left as they were.")
    return CreatedInvoice(invoice=summarise(created, profile, today, hubspot_currency),
                          linked_to=LinkedObject(object_type=HubSpotObjectType.DEAL, object_id=deal.id),
                          deal_properties_updated=updated, warnings=warnings)
