"""Money a company's finance user should act on: customer payments not yet deposited, and bills not yet paid."""


from datetime import date
from decimal import Decimal

from pydantic import ConfigDict

from hubbooks.models.base import Model


class UndepositedPayment(Model):
    """A customer payment received into Undeposited Funds and in no bank deposit yet."""

    model_config = ConfigDict(frozen=True)

    id: str
    received_on: date
    amount: Decimal
    currency: str
    customer_name: str | None = None
    reference: str | None = None


class UnpaidBill(Model):
    """A QuickBooks bill with an open balance."""

    model_config = ConfigDict(frozen=True)

    id: str
    due_date: date
    balance: Decimal
    currency: str
    vendor_name: str | None = None
    doc_number: str | None = None
