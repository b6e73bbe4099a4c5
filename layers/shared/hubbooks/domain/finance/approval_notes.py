"""Every approval decision (approved with what changed, rejected with the reason, withdrawn) as a note on the deal's
timeline, written once: the note carries a marker made from the request and the decision, and the deal's notes are
searched for it before one is created, so a retry after a lost answer finds the note instead of adding a second."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from hubbooks.domain.errors import HubBooksError
from hubbooks.domain.invoicing.note_markers import marker_paragraph, notes_carrying
from hubbooks.models.approvals import ApprovalDecision, ApprovalRequest
from hubbooks.observability import logger

DECISIONS = ("approved", "rejected", "withdrawn")
_TITLES = {"approved": "Invoice request approved", "rejected": "Invoice request rejected",
           "withdrawn": "Invoice request withdrawn"}
_FIELDS = {"term_id": "payment terms", "invoice_date": "invoice date", "due_date": "due date",
           "customer_message": "message to the customer"}
NOTE_NOT_WRITTEN = ("The decision is saved, but the deal's timeline note could not be written yet; it is written "
                    "the next time the card shows this deal's requests (refresh the card in a minute).")


class DealTimeline(Protocol):
    """Notes on a deal's timeline."""

    def notes_on_deals(self, deal_ids: Sequence[str]) -> dict[str, str]:
        """Note id -> body of every note on the deals."""
        ...
    def create_note(self, body: str, timestamp: datetime, deal_ids: Sequence[str]) -> str: ...


def decision_of(request: ApprovalRequest) -> ApprovalDecision | None:
    """The request's final decision, when it has one."""
    return next((entry for entry in reversed(request.history) if entry.action in DECISIONS), None)


def decision_marker(request: ApprovalRequest, decision: ApprovalDecision) -> str:
    return f"hubbooks-approval-{request.request_id}-{decision.action}"


def _shown(value: str | None) -> str:
    return html.escape(value) if value else "(none)"


def note_body(request: ApprovalRequest, decision: ApprovalDecision) -> str:
    """HTML for hs_note_body; everything a person typed is escaped. The marker paragraph comes last."""
    review = request.review
    what = (f"{html.escape(str(review.total))} {html.escape(review.currency)} for "
            f"{html.escape(review.customer.display_name)}, requested by HubSpot user {request.requester_user_id}")
    rows = [f"Invoice: {what}", f"Decided by: HubSpot user {decision.user_id}",
            f"When: {decision.at.strftime('%Y-%m-%d %H:%M')} UTC"]
    if decision.action == "approved":
        created = request.invoice_number or request.invoice_id
        rows.append(f"Created in QuickBooks: invoice {html.escape(created)}" if created else
                    "Created in QuickBooks")
        rows += [f"Changed {_FIELDS.get(name, html.escape(name))}: {_shown(before)} to {_shown(after)}"
                 for name, (before, after) in decision.changes.items()] or ["Changed: nothing"]
    elif decision.reason:
        rows.append(f"Reason: {html.escape(decision.reason)}")
    return (f"<p><strong>{_TITLES[decision.action]}</strong></p><p>{'<br>'.join(rows)}</p>"
            + marker_paragraph(decision_marker(request, decision)))


def ensure_decision_note(request: ApprovalRequest, timeline: Callable[[], DealTimeline]) -> bool:
    """Write the decision's note unless the deal has it already; False when HubSpot could not be reached (the
    decision itself is kept either way)."""
    decision = decision_of(request)
    if decision is None:
        return True
    marker = decision_marker(request, decision)
    try:
        crm = timeline()
        if not notes_carrying(crm.notes_on_deals([request.deal_id]), marker):
            crm.create_note(note_body(request, decision), decision.at, [request.deal_id])
    except HubBooksError as error:
        logger.warning("approval decision note not written", extra={"error": type(error).__name__})
        return False
    return True
