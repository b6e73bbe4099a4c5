"""Deterministic markers on what HubBooks creates in HubSpot, so a retry finds what a lost answer already made.

A payment note ends with `HubBooks reference: qbo-payment-<realm>-<payment>`: before creating a note, the deals'
notes are searched for it. Notes written by versions before the marker existed are recognised by their content
(our title, the payment's date and reference) and archived when a payment's recorded note is checked once.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from hubbooks.models.payments import QboPayment

REFERENCE_LABEL = "HubBooks reference: "
_TITLES = ("<strong>Payment received in QuickBooks</strong>", "<strong>Payment voided in QuickBooks</strong>")


def payment_note_marker(realm_id: str, payment_id: str) -> str:
    return f"qbo-payment-{realm_id}-{payment_id}"


def marker_paragraph(marker: str) -> str:
    return f"<p>{REFERENCE_LABEL}{html.escape(marker)}</p>"


def carries(body: str, marker: str) -> bool:
    return marker_paragraph(marker) in body


def notes_carrying(bodies: Mapping[str, str], marker: str) -> list[str]:
    """Note ids whose body carries the marker, oldest id first (HubSpot ids grow)."""
    return sorted((note_id for note_id, body in bodies.items() if carries(body, marker)),
                  key=lambda note_id: (len(note_id), note_id))


def is_unmarked_copy(body: str, payment: QboPayment | None) -> bool:
    """A note an earlier version wrote for this payment: our title, no marker, the same date and reference."""
    if REFERENCE_LABEL in body or not any(title in body for title in _TITLES) or payment is None:
        return False
    if f"Date: {payment.txn_date.isoformat()}" not in body:
        return False
    if payment.reference and f"Reference: {html.escape(payment.reference)}" not in body:
        return False
    return not payment.customer_name or f"Customer: {html.escape(payment.customer_name)}" in body
