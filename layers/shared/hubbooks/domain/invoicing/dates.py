"""Invoice dates: due dates from payment terms, computed as QuickBooks does, and the company's local calendar."""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the wizard's; the workers use company_time_zone only
    from hubbooks.models.invoice_wizard import PaymentTerm

# QuickBooks reports times in the company's zone but exposes no zone field; these follow its regional sandboxes.
_COUNTRY_TIME_ZONES = {
    "US": "America/Los_Angeles", "USA": "America/Los_Angeles",
    "GB": "Europe/London", "GBR": "Europe/London", "UK": "Europe/London",
    "CA": "America/Toronto", "CAN": "America/Toronto",
    "AU": "Australia/Sydney", "AUS": "Australia/Sydney",
    "IN": "Asia/Kolkata", "FR": "Europe/Paris",
}


def company_time_zone(country: str) -> str:
    return _COUNTRY_TIME_ZONES.get(country.upper(), "UTC")


def _day_in_month(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def due_date_for(term: PaymentTerm, invoice_date: date) -> date:
    """STANDARD terms add DueDays; DATE_DRIVEN terms fall on DayOfMonthDue, moving to the next month when the
    invoice is dated after that day or fewer than DueNextMonthDays before it."""
    if not term.date_driven:
        return invoice_date + timedelta(days=term.due_days or 0)
    day = term.day_of_month_due or 1
    year, month = invoice_date.year, invoice_date.month
    candidate = _day_in_month(year, month, day)
    grace = term.due_next_month_days or 0
    if invoice_date > candidate or (grace and (candidate - invoice_date).days < grace):
        month += 1
        if month > 12:
            year, month = year + 1, 1
        candidate = _day_in_month(year, month, day)
    return candidate
