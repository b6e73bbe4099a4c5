"""What the live-status reactions (QuickBooks webhooks -> links, deals, timeline) need beyond the invoicing ports.

Adapters implement them over DynamoDB and the provider clients; unit tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import NamedTuple, Protocol

from hubbooks.domain.invoicing.ports import ConvergingCrm, InvoiceLinks
from hubbooks.models.invoicing import CompanyProfile, HubSpotObjectType, QboInvoice
from hubbooks.models.payments import PaymentNote, QboPayment


class RealmPortals(Protocol):
    def portals_connected_to(self, realm_id: str) -> list[int]:
        """Portals holding a live connection to the QuickBooks company (one index query, no scan)."""
        ...


class LiveCompany(Protocol):
    """One connected QuickBooks company, read for what changed."""

    realm_id: str

    def profile(self) -> CompanyProfile: ...
    def invoices_by_ids(self, invoice_ids: Sequence[str]) -> list[QboInvoice]: ...
    def last_payment_dates(self, invoices: Sequence[QboInvoice]) -> dict[str, date]: ...
    def payment(self, payment_id: str) -> QboPayment | None:
        """None when QuickBooks no longer has it (deleted)."""
        ...


class LiveCompanies(Protocol):
    def open(self, portal_id: int, realm_id: str) -> LiveCompany:
        """CompanyNotConnectedError when the portal has no live connection to the realm."""
        ...


class DealTimeline(Protocol):
    """Notes on HubSpot deals."""

    def create_note(self, body: str, timestamp: datetime, deal_ids: Sequence[str]) -> str: ...
    def update_note(self, note_id: str, body: str, timestamp: datetime | None) -> bool:
        """False when the note no longer exists in HubSpot (someone deleted it). No timestamp: keep the note's."""
        ...
    def attach_note(self, note_id: str, deal_ids: Sequence[str]) -> None: ...
    def notes_on_deals(self, deal_ids: Sequence[str]) -> dict[str, str]:
        """Note id -> body of every note on the deals (to find one by its marker before creating it again)."""
        ...
    def archive_note(self, note_id: str) -> None:
        """Archive (HubSpot's delete); a note already gone is fine."""
        ...


class PaymentNotes(Protocol):
    def get(self, portal_id: int, realm_id: str, payment_id: str) -> PaymentNote | None: ...
    def claim(self, portal_id: int, realm_id: str, payment_id: str, now: datetime) -> bool:
        """Reserve the right to create the payment's note; False if a note exists or another worker is creating it
        (a claim older than the lease may be taken over)."""
        ...
    def save(self, note: PaymentNote) -> None: ...
    def release(self, portal_id: int, realm_id: str, payment_id: str) -> None:
        """Give up a claim whose note create failed (no note recorded), so a retry may claim it at once."""
        ...
    def for_realm(self, portal_id: int, realm_id: str) -> list[PaymentNote]:
        """Every payment noted for the company (reconciliation's full read finds the deleted ones)."""
        ...


class RecordTimeline(Protocol):
    """Notes on contacts and companies (credit memos and refunds of their customer)."""

    def create_record_note(self, body: str, timestamp: datetime,
                           records: Sequence[tuple[HubSpotObjectType, str]]) -> str: ...
    def notes_on_records(self, records: Sequence[tuple[HubSpotObjectType, str]]) -> dict[str, str]: ...


class PortalCrm(ConvergingCrm, DealTimeline, RecordTimeline, Protocol):
    """One portal's HubSpot: record properties and the deal, contact and company timelines."""


class LiveStatusPorts(NamedTuple):
    """Everything one webhook change needs; built per change so clients carry the invocation's deadline."""

    realms: RealmPortals
    links: InvoiceLinks
    companies: LiveCompanies
    crm: Callable[[int], PortalCrm]  # built only when a deal or the timeline must be written
    payment_notes: PaymentNotes
    clock: Callable[[], datetime]
