"""Invoice status from QuickBooks' fields and the company's calendar date."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hubbooks.domain.invoicing.status import derive_status, is_voided, today_in, was_sent
from hubbooks.models.invoicing import InvoiceStatus
from tests.unit.invoicing.fakes import invoice

TODAY = date(2026, 9, 15)


@pytest.mark.parametrize(("fields", "expected"), [
    ({}, InvoiceStatus.WAITING_TO_BE_SENT),
    ({"email_status": "NeedToSend"}, InvoiceStatus.WAITING_TO_BE_SENT),
    ({"email_status": "EmailSent"}, InvoiceStatus.SENT),
    ({"delivered_at": datetime(2026, 9, 2, tzinfo=UTC)}, InvoiceStatus.SENT),
    ({"print_status": "PrintComplete"}, InvoiceStatus.SENT),
    ({"print_status": "NeedToPrint"}, InvoiceStatus.WAITING_TO_BE_SENT),
    ({"balance": "40.00"}, InvoiceStatus.PARTIALLY_PAID),
    ({"balance": "40.00", "email_status": "EmailSent"}, InvoiceStatus.PARTIALLY_PAID),
    ({"balance": "0"}, InvoiceStatus.PAID),
    ({"balance": "0", "due": date(2026, 1, 1)}, InvoiceStatus.PAID),
    ({"due": date(2026, 9, 14)}, InvoiceStatus.OVERDUE),
    ({"due": date(2026, 9, 14), "balance": "10.00"}, InvoiceStatus.OVERDUE),
    ({"due": date(2026, 9, 14), "email_status": "EmailSent"}, InvoiceStatus.OVERDUE),
    ({"due": TODAY}, InvoiceStatus.WAITING_TO_BE_SENT),
    ({"due": date(2026, 9, 16), "email_status": "EmailSent"}, InvoiceStatus.SENT),
    ({"total": "0", "balance": "0", "private_note": "Voided"}, InvoiceStatus.VOIDED),
    ({"total": "0", "balance": "0", "private_note": "Voided - wrong customer", "due": date(2026, 1, 1)},
     InvoiceStatus.VOIDED),
    ({"total": "0", "balance": "0"}, InvoiceStatus.PAID),
])
def test_status(fields: dict, expected: InvoiceStatus) -> None:
    fields = dict(fields)
    total = fields.pop("total", "100.00")
    balance = fields.pop("balance", None)
    due = fields.pop("due", None)
    assert derive_status(invoice(total=total, balance=balance, due=due, **fields), TODAY) is expected


def test_an_invoice_without_a_due_date_is_never_overdue() -> None:
    unpaid = invoice().model_copy(update={"due_date": None})
    assert derive_status(unpaid, date(2030, 1, 1)) is InvoiceStatus.WAITING_TO_BE_SENT


def test_a_voided_note_on_an_invoice_that_still_has_amounts_is_not_a_void() -> None:
    assert not is_voided(invoice(private_note="Voided"))


def test_sent_helpers() -> None:
    assert was_sent(invoice(email_status="EmailSent"))
    assert not was_sent(invoice())


def test_today_follows_the_company_time_zone() -> None:
    late_evening_in_london = datetime(2026, 9, 15, 23, 30, tzinfo=UTC)  # 00:30 on the 16th in London (BST)
    assert today_in("Europe/London", late_evening_in_london) == date(2026, 9, 16)
    assert today_in("America/Los_Angeles", late_evening_in_london) == date(2026, 9, 15)


def test_an_unknown_time_zone_falls_back_to_utc() -> None:
    assert today_in("Mars/Olympus", datetime(2026, 9, 15, 23, 30, tzinfo=UTC)) == date(2026, 9, 15)


def test_overdue_flips_at_the_companys_midnight_not_utcs() -> None:
    due_15th = invoice(due=date(2026, 9, 15))
    utc_evening = datetime(2026, 9, 15, 23, 30, tzinfo=UTC)
    assert derive_status(due_15th, today_in("Europe/London", utc_evening)) is InvoiceStatus.OVERDUE
    assert derive_status(due_15th, today_in("America/Los_Angeles", utc_evening)) is InvoiceStatus.WAITING_TO_BE_SENT
