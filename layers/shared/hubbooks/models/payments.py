"""QuickBooks payments as the live-status reactions need them, and our record of the note each one put on a deal."""


from datetime import date, datetime
from decimal import Decimal

from hubbooks.models.base import FrozenModel


class AppliedAmount(FrozenModel):
    """The part of a payment applied to one invoice (a payment line with a LinkedTxn of type Invoice)."""

    invoice_id: str
    amount: Decimal


class QboPayment(FrozenModel):
    id: str
    txn_date: date
    total: Decimal
    currency: str
    customer_name: str | None = None
    method: str | None = None  # PaymentMethodRef's name, when QuickBooks sends it
    reference: str | None = None  # PaymentRefNum: a cheque number, a card authorisation...
    private_note: str | None = None
    applied: tuple[AppliedAmount, ...] = ()

    @property
    def invoice_ids(self) -> list[str]:
        return list(dict.fromkeys(a.invoice_id for a in self.applied))

    @property
    def voided(self) -> bool:
        # As with invoices, QuickBooks has no void flag: a void zeroes the amounts and notes "Voided".
        return self.total == 0 and (self.private_note or "").strip().lower().startswith("voided")


class PaymentNote(FrozenModel):
    """The HubSpot note that shows one QuickBooks payment on the deal timeline (one per portal and payment).

    `note_id` is empty while a worker holds the claim and is creating the note; `claimed_at` lets another worker
    take over a claim whose holder died before it could record the note."""

    portal_id: int
    realm_id: str
    payment_id: str
    note_id: str | None = None
    deal_ids: tuple[str, ...] = ()
    invoice_ids: tuple[str, ...] = ()
    body: str | None = None
    claimed_at: datetime | None = None
    updated_at: datetime | None = None
    # Notes recording the same payment that earlier versions (or lost answers) left on the deals, archived here.
    duplicates_archived: tuple[str, ...] = ()
    duplicates_checked: bool = False
