"""Which QuickBooks customer a deal's contact or company probably is, and a DisplayName QuickBooks will accept.

E-mail is the strongest evidence (one person, one address); then the company's name against the customer's company
or display name; then the contact's full name. Names are compared without case, punctuation or legal suffixes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from hubbooks.domain.invoicing.ports import DisplayNameTakenError
from hubbooks.models.invoice_wizard import CrmCompany, CrmContact, QboCustomer

_Created = TypeVar("_Created")

MAX_DISPLAY_NAME = 100
_LEGAL_SUFFIXES = frozenset({"inc", "incorporated", "llc", "ltd", "limited", "plc", "corp", "corporation", "co",
                             "gmbh", "pty", "sa", "sarl", "bv", "ag", "company"})
_SCORE_EMAIL = 100
_SCORE_COMPANY = 60
_SCORE_PERSON = 40
_SCORE_PARTIAL = 15


def normalise_name(name: str | None) -> str:
    words = re.findall(r"[a-z0-9]+", (name or "").casefold().replace("&", " and "))
    while words and words[-1] in _LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class CustomerMatch:
    customer: QboCustomer
    score: int
    reason: str


def _score(customer: QboCustomer, contacts: list[CrmContact], companies: list[CrmCompany]) -> tuple[int, str]:
    email = (customer.email or "").strip().casefold()
    for contact in contacts:
        if email and contact.email and email == contact.email.strip().casefold():
            return _SCORE_EMAIL, f"E-mail matches {contact.email}"
    customer_names = {normalise_name(customer.company_name), normalise_name(customer.display_name)} - {""}
    company_names = [(company.name, normalise_name(company.name)) for company in companies]
    company_names += [(contact.company_name, normalise_name(contact.company_name)) for contact in contacts]
    for label, name in company_names:
        if name and name in customer_names:
            return _SCORE_COMPANY, f"Company name matches {label}"
    for contact in contacts:
        person = normalise_name(contact.full_name)
        if person and person in customer_names:
            return _SCORE_PERSON, f"Name matches {contact.full_name}"
    for label, name in company_names:
        if name and any(name in candidate or candidate in name for candidate in customer_names):
            return _SCORE_PARTIAL, f"Name is similar to {label}"
    return 0, ""


def rank_customers(candidates: Iterable[QboCustomer], contacts: Iterable[CrmContact],
                   companies: Iterable[CrmCompany]) -> list[CustomerMatch]:
    contact_list, company_list = list(contacts), list(companies)
    seen: set[str] = set()
    matches: list[CustomerMatch] = []
    for customer in candidates:
        if customer.id in seen or not customer.active:
            continue
        seen.add(customer.id)
        score, reason = _score(customer, contact_list, company_list)
        if score:
            matches.append(CustomerMatch(customer=customer, score=score, reason=reason))
    return sorted(matches, key=lambda m: (-m.score, m.customer.display_name.casefold(), m.customer.id))


def clean_display_name(name: str) -> str:
    """QuickBooks forbids colons (they separate sub-customers) and caps the length."""
    return re.sub(r"\s+", " ", name.replace(":", " ")).strip()[:MAX_DISPLAY_NAME].strip()


def display_name_candidates(wanted: str, taken: Iterable[str], attempts: int = 20) -> list[str]:
    """The wanted name first unless taken, then "Name (2)", "Name (3)"... skipping taken ones (case-insensitive)."""
    base = clean_display_name(wanted)
    used = {name.casefold() for name in taken}
    out: list[str] = []
    number = 1
    while len(out) < attempts:
        suffix = "" if number == 1 else f" ({number})"
        candidate = base[:MAX_DISPLAY_NAME - len(suffix)].rstrip() + suffix
        if candidate.casefold() not in used:
            out.append(candidate)
        number += 1
    return out


def create_under_free_name(wanted: str, taken: Iterable[str], create: Callable[[str, int], _Created],
                           attempts: int = 20) -> _Created | None:
    """Create under the wanted name, or the first free "Name (2)"-style variant; None when all are used.

    Names are shared with vendors and employees, which cannot be listed cheaply, so `create(name, attempt)` raises
    DisplayNameTakenError on a clash at create time and the next variant is tried. Give each attempt its own
    requestid derived from the operation and `attempt`, so retries stay single."""
    for attempt, name in enumerate(display_name_candidates(wanted, taken, attempts=attempts)):
        try:
            return create(name, attempt)
        except DisplayNameTakenError:
            continue
    return None


def suggested_new_customer_name(contacts: list[CrmContact], companies: list[CrmCompany]) -> str | None:
    for company in companies:
        if company.name and company.name.strip():
            return clean_display_name(company.name)
    for contact in contacts:
        if contact.full_name:
            return clean_display_name(contact.full_name)
        if contact.email:
            return clean_display_name(contact.email)
    return None
