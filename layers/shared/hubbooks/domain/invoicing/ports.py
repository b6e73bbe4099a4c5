"""What the invoicing use cases need from the outside world, as small Protocols.

Adapters implement them over the QuickBooks and HubSpot clients and DynamoDB; unit tests use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from hubbooks.models.credits import CustomerCredit
from hubbooks.models.invoicing import CompanyProfile, HubSpotObjectType, InvoiceLink, InvoicingSettings, QboInvoice

if TYPE_CHECKING:  # the wizard's models: the workers, which use these ports too, never define them
    from hubbooks.models.invoice_wizard import (
        CrmCompany,
        CrmContact,
        CrmDeal,
        CrmQuote,
        InvoiceSearch,
        InvoiceToCreate,
        NewCustomer,
        PaymentTerm,
        QboCustomer,
        QboItem,
        TaxCode,
    )

# Makes reads that do not depend on each other and returns their results in order; the live wiring makes them at
# once (adapters/parallel_calls.py), so a use case waits for its slowest read rather than for the sum of them.
RunAll = Callable[[Sequence[Callable[[], Any]]], list[Any]]


def run_in_order(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    return [call() for call in calls]


class DisplayNameTakenError(Exception):
    """QuickBooks already uses the DisplayName (for a customer, vendor or employee)."""


class QboCompany(Protocol):
    """One connected QuickBooks company."""

    realm_id: str

    def profile(self) -> CompanyProfile:
        """As stored when the company was connected (no QuickBooks call)."""
        ...

    def live_profile(self) -> CompanyProfile:
        """Read from QuickBooks now (preferences change there): used before anything is written."""
        ...

    def invoices_by_ids(self, invoice_ids: Sequence[str]) -> list[QboInvoice]: ...
    def last_payment_dates(self, invoices: Sequence[QboInvoice]) -> dict[str, date]:
        """Invoice id -> date of the latest payment applied to it (one query for all; none without payments)."""
        ...
    def invoices_changed_since(self, since: datetime) -> list[QboInvoice]: ...
    def search_invoices(self, search: InvoiceSearch) -> list[QboInvoice]: ...
    def doc_number_taken(self, doc_number: str) -> bool: ...
    def customers_by_ids(self, customer_ids: Sequence[str]) -> list[QboCustomer]: ...
    def search_customers(self, text: str, limit: int) -> list[QboCustomer]: ...
    def customers_matching(self, emails: Sequence[str], names: Sequence[str]) -> list[QboCustomer]: ...
    def display_names_starting(self, prefix: str) -> list[str]: ...
    def create_customer(self, customer: NewCustomer, request_id: str) -> QboCustomer: ...
    def items_by_ids(self, item_ids: Sequence[str]) -> list[QboItem]: ...
    def search_items(self, text: str, limit: int) -> list[QboItem]: ...
    def items_matching(self, names: Sequence[str], skus: Sequence[str]) -> list[QboItem]: ...
    def tax_codes(self) -> list[TaxCode]: ...
    def terms(self) -> list[PaymentTerm]: ...
    def create_invoice(self, invoice: InvoiceToCreate, request_id: str) -> QboInvoice: ...
    def invoice_pdf(self, invoice_id: str) -> bytes: ...


class ConnectedCompany(NamedTuple):
    realm_id: str
    company_name: str
    country: str
    home_currency: str
    custom_txn_numbers: bool = False


class QboCompanies(Protocol):
    def connected(self, portal_id: int) -> list[ConnectedCompany]: ...
    def open(self, portal_id: int, realm_id: str) -> QboCompany:
        """The company if the portal connected it; CompanyNotConnectedError otherwise."""
        ...


class RecordCrm(Protocol):
    """One HubSpot portal's CRM as live status writes it: the portal's currency and record properties."""

    def company_currency(self) -> str: ...
    def record_exists(self, object_type: HubSpotObjectType, object_id: str) -> bool: ...
    def update_deal(self, deal_id: str, properties: dict[str, str]) -> None: ...
    def update_record(self, object_type: HubSpotObjectType, object_id: str, properties: dict[str, str]) -> None:
        """Write properties on a deal, contact or company."""
        ...


class Crm(RecordCrm, Protocol):
    """One HubSpot portal's CRM as the wizard reads it too: the deal with its contacts, companies and quotes."""

    def deal(self, deal_id: str) -> CrmDeal: ...
    def contacts(self, contact_ids: Sequence[str]) -> list[CrmContact]: ...
    def companies(self, company_ids: Sequence[str]) -> list[CrmCompany]: ...
    def quotes(self, quote_ids: Sequence[str]) -> list[CrmQuote]: ...


class ConvergingCrm(RecordCrm, Protocol):
    """A RecordCrm that can also tell what records show now, so only differences are written."""

    def deal_property_values(self, deal_ids: Sequence[str], names: Sequence[str]) -> dict[str, dict[str, str | None]]:
        """The named properties of each deal (batch reads); deals HubSpot does not have are left out."""
        ...

    def record_property_values(self, object_type: HubSpotObjectType, object_ids: Sequence[str],
                               names: Sequence[str]) -> dict[str, dict[str, str | None]]:
        """The same for deals, contacts or companies."""
        ...


class InvoiceLinks(Protocol):
    def for_object(self, portal_id: int, object_type: HubSpotObjectType, object_id: str) -> list[InvoiceLink]: ...
    def credits_for_object(self, portal_id: int, object_type: HubSpotObjectType,
                           object_id: str) -> list[CustomerCredit]:
        """Credit memos and refunds shown on a contact or company (they lower its roll-ups)."""
        ...
    def for_realm(self, portal_id: int, realm_id: str) -> list[InvoiceLink]: ...
    def for_invoice(self, portal_id: int, realm_id: str, invoice_id: str) -> list[InvoiceLink]: ...
    def save(self, link: InvoiceLink) -> None: ...
    def delete(self, link: InvoiceLink) -> bool: ...


class InvoicingSettingsStore(Protocol):
    def get(self, portal_id: int, realm_id: str) -> InvoicingSettings | None: ...
    def save(self, settings: InvoicingSettings) -> None: ...
    def next_doc_sequence(self, portal_id: int, realm_id: str) -> int: ...
