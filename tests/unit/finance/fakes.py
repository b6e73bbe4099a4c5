"""A QuickBooks company that sends and voids as QuickBooks does (EmailSent and DeliveryInfo on send; zeroed amounts,
"Voided" and a new SyncToken on void, a requestid replaying the first void), plus the finance-roles ports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from hubbooks.domain.invoicing.errors import RecordNotFoundError
from hubbooks.models.finance import FinanceRoles
from hubbooks.models.invoicing import QboInvoice
from tests.unit.invoicing.fakes import NOW
from tests.unit.invoicing.live_fakes import FakeLiveCompany

ZERO = Decimal(0)


@dataclass
class FakeDeliveringCompany(FakeLiveCompany):
    online_payments: bool = False
    emails: list[tuple[str, str]] = field(default_factory=list)  # (invoice id, address)
    voids: list[str] = field(default_factory=list)  # request ids QuickBooks carried out

    def _with_link(self, invoice: QboInvoice) -> QboInvoice:
        if self.online_payments and invoice.bill_email:
            return invoice.model_copy(update={"payment_link": f"https://connect.intuit.com/t/scs-v1-{invoice.id}"})
        return invoice

    def invoice_for_change(self, invoice_id: str) -> QboInvoice | None:
        self.calls.append("read invoice")
        found = self.invoices.get(invoice_id)
        return self._with_link(found) if found else None

    def send_invoice(self, invoice_id: str, send_to: str | None) -> QboInvoice:
        self.calls.append("send invoice")
        found = self.invoices.get(invoice_id)
        if found is None:
            raise RecordNotFoundError("That invoice no longer exists in QuickBooks.")
        address = send_to or found.bill_email
        assert address, "QuickBooks faults without an address; the domain must not get here"
        sent = found.model_copy(update={"email_status": "EmailSent", "delivered_at": NOW, "bill_email": address,
                                        "sync_token": str(int(found.sync_token or 0) + 1)})
        self.invoices[invoice_id] = sent
        self.emails.append((invoice_id, address))
        return self._with_link(sent)

    def void_invoice(self, invoice: QboInvoice, request_id: str) -> QboInvoice:
        self.calls.append("void invoice")
        if request_id in self.replays:
            return self.replays[request_id]  # type: ignore[return-value]
        current = self.invoices[invoice.id]
        assert current.sync_token == invoice.sync_token, "stale SyncToken"
        voided = current.model_copy(update={"total": ZERO, "balance": ZERO, "private_note": "Voided",
                                            "sync_token": str(int(current.sync_token or 0) + 1)})
        self.invoices[invoice.id] = voided
        self.replays[request_id] = voided
        self.voids.append(request_id)
        return voided


@dataclass
class FakeRoles:
    items: dict[int, FinanceRoles] = field(default_factory=dict)

    def get(self, portal_id: int) -> FinanceRoles | None:
        return self.items.get(portal_id)

    def save(self, roles: FinanceRoles) -> None:
        self.items[roles.portal_id] = roles


@dataclass
class FakeAdmins:
    """The portal's HubBooks admins: its installer plus those added."""

    installers: dict[int, int] = field(default_factory=dict)
    added_by_portal: dict[int, set[int]] = field(default_factory=dict)

    def is_admin(self, portal_id: int, user_id: int) -> bool:
        return self.installers.get(portal_id) == user_id or user_id in self.added(portal_id)

    def added(self, portal_id: int) -> set[int]:
        return set(self.added_by_portal.get(portal_id, set()))

    def replace(self, portal_id: int, user_ids: set[int]) -> None:
        self.added_by_portal[portal_id] = set(user_ids)

    def installer(self, portal_id: int) -> int | None:
        return self.installers.get(portal_id)

    def add(self, portal_id: int, user_id: int) -> None:
        self.added_by_portal.setdefault(portal_id, set()).add(user_id)

    def remove(self, portal_id: int, user_id: int, *, keep_one: bool) -> bool:
        added = self.added_by_portal.get(portal_id, set())
        if user_id not in added or (keep_one and len(added) <= 1):
            return False
        added.discard(user_id)
        return True


def clock() -> datetime:
    return NOW
