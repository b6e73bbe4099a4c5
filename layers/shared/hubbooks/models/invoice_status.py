"""An invoice's status and the one set of words people read for it (card tags and the deal property's options).

Kept apart from the invoicing models so the install flow, which only needs the labels, does not load them all.
"""


from enum import StrEnum


class InvoiceStatus(StrEnum):
    WAITING_TO_BE_SENT = "waiting_to_be_sent"
    SENT = "sent"
    PARTIALLY_PAID = "partially_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    VOIDED = "voided"


# The one set of status words: the card's tags and the options of the deal property the install creates. Portals
# installed earlier already carry these option labels, so the card follows them rather than the other way round.
STATUS_LABELS: dict[InvoiceStatus, str] = {
    InvoiceStatus.WAITING_TO_BE_SENT: "Waiting to be sent",
    InvoiceStatus.SENT: "Sent",
    InvoiceStatus.PARTIALLY_PAID: "Partially paid",
    InvoiceStatus.PAID: "Paid",
    InvoiceStatus.OVERDUE: "Overdue",
    InvoiceStatus.VOIDED: "Voided",
}
