"""Credit memos and refunds of a QuickBooks customer, shown on the contacts and companies the customer belongs to."""


from datetime import date, datetime
from enum import StrEnum

from hubbooks.models.base import FrozenModel
from hubbooks.models.decimals import DecimalString
from hubbooks.models.invoicing import HubSpotObjectType


class CreditKind(StrEnum):
    CREDIT_MEMO = "credit_memo"  # QuickBooks CreditMemo: its unapplied part (RemainingCredit) is owed to the customer
    REFUND = "refund"  # QuickBooks RefundReceipt: money paid back to the customer

    @property
    def qbo_entity(self) -> str:
        return "CreditMemo" if self is CreditKind.CREDIT_MEMO else "RefundReceipt"

    @property
    def label(self) -> str:
        return "Credit memo" if self is CreditKind.CREDIT_MEMO else "Refund"


class QboCredit(FrozenModel):
    kind: CreditKind
    id: str
    doc_number: str | None = None
    customer_id: str
    customer_name: str | None = None
    txn_date: date
    total: DecimalString
    unapplied: DecimalString  # a memo's RemainingCredit; nothing for a refund, which is paid out in full
    currency: str
    exchange_rate: DecimalString | None = None
    home_currency: str | None = None
    last_updated: datetime


class CustomerCredit(FrozenModel):
    """A credit memo or refund shown on one contact or company: the snapshot the roll-ups and the card use, and the
    timeline note written for it."""

    portal_id: int
    realm_id: str
    kind: CreditKind
    txn_id: str
    object_type: HubSpotObjectType
    object_id: str
    doc_number: str | None = None
    customer_id: str
    customer_name: str | None = None
    txn_date: date
    total: DecimalString
    unapplied: DecimalString
    currency: str
    exchange_rate: DecimalString | None = None
    home_currency: str | None = None
    last_updated: datetime
    note_id: str | None = None
    placed_at: datetime
