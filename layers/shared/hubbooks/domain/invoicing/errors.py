"""Invoicing errors: each says what the salesperson can change, and field errors name the wizard field."""

from __future__ import annotations

from typing import NamedTuple

from hubbooks.domain.errors import ConflictError, HubBooksError, InvalidRequestError, NotFoundError


class FieldProblem(NamedTuple):
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class InvoiceRejectedError(InvalidRequestError):
    """The wizard's input cannot make a valid invoice; `details.fields` lists every problem at once."""

    status_code = 422
    code = "invalid_invoice"

    def __init__(self, problems: list[FieldProblem], message: str | None = None) -> None:
        summary = message or "Please fix the invoice: " + "; ".join(p.message for p in problems)
        super().__init__(summary, details={"fields": [p.as_dict() for p in problems]})
        self.problems = problems


class CustomNumbersRequiredError(ConflictError):
    code = "custom_transaction_numbers"


class CompanyNotConnectedError(NotFoundError):
    code = "company_not_connected"


class RecordNotFoundError(NotFoundError):
    code = "record_not_found"


class QuoteNotUsableError(InvalidRequestError):
    status_code = 422
    code = "quote_not_usable"


class QuickBooksRejectedError(HubBooksError):
    """QuickBooks refused a write for a reason the user can fix (its message, translated, is in `message`)."""

    status_code = 422
    code = "quickbooks_rejected"
