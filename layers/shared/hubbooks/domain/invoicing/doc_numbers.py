"""Invoice numbers when a QuickBooks company has "Custom transaction numbers" on.

QuickBooks then leaves DocNumber empty unless the caller supplies one, so by default HubBooks refuses to create
invoices there. A company can opt in to HubBooks numbering: a short prefix plus a sequence, each number checked
against QuickBooks before use because people also type numbers by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hubbooks.domain.invoicing.errors import CustomNumbersRequiredError, FieldProblem
from hubbooks.models.invoicing import CompanyProfile, InvoicingSettings

MAX_DOC_NUMBER_LENGTH = 21
MAX_PREFIX_LENGTH = 12
_PREFIX = re.compile(r"^[A-Za-z0-9/_.#-]*$")

CUSTOM_NUMBERS_MESSAGE = (
    "This QuickBooks company expects a number typed on every invoice (Custom transaction numbers is on), so HubBooks "
    "cannot create invoices in it yet. Either turn it off in QuickBooks under Account and settings > Sales > "
    "Custom transaction numbers, or let HubBooks number the invoices in this company's HubBooks settings."
)


def prefix_problems(prefix: str) -> list[FieldProblem]:
    problems = []
    if len(prefix) > MAX_PREFIX_LENGTH:
        problems.append(FieldProblem("doc_number_prefix", f"Use at most {MAX_PREFIX_LENGTH} characters."))
    if not _PREFIX.match(prefix):
        problems.append(FieldProblem("doc_number_prefix", "Use letters, digits and - / _ . # only."))
    return problems


def format_doc_number(prefix: str, sequence: int) -> str:
    number = f"{prefix}{sequence}"
    if len(number) > MAX_DOC_NUMBER_LENGTH:
        raise ValueError(f"invoice number {number!r} exceeds QuickBooks' {MAX_DOC_NUMBER_LENGTH} characters")
    return number


def creation_block_reason(profile: CompanyProfile, settings: InvoicingSettings | None) -> str | None:
    if profile.custom_txn_numbers and not (settings and settings.assign_doc_numbers):
        return CUSTOM_NUMBERS_MESSAGE
    return None


def ensure_invoices_can_be_numbered(profile: CompanyProfile, settings: InvoicingSettings | None) -> None:
    reason = creation_block_reason(profile, settings)
    if reason:
        raise CustomNumbersRequiredError(reason, details={"realm_id": profile.realm_id,
                                                          "qbo_setting": "Account and settings > Sales > "
                                                                         "Custom transaction numbers"})


def assign_doc_number(prefix: str, next_sequence: Callable[[], int], is_taken: Callable[[str], bool],
                      attempts: int = 25) -> str:
    """The next sequence number not already used in QuickBooks; sequences are never reused, so gaps are possible."""
    for _ in range(attempts):
        number = format_doc_number(prefix, next_sequence())
        if not is_taken(number):
            return number
    raise CustomNumbersRequiredError(
        f"The next {attempts} invoice numbers after prefix {prefix!r} are already used in QuickBooks; "
        "choose another prefix in the HubBooks settings for this company.")
