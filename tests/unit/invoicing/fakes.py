"""In-memory stand-ins for the invoicing ports: they keep QuickBooks' rules that matter here (requestid replay,
unique display names, doc numbers) so the use cases are tested against behaviour, not call counts."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from hubbooks.domain.errors import UpstreamError
from hubbooks.domain.invoicing.errors import CompanyNotConnectedError, RecordNotFoundError
from hubbooks.domain.invoicing.ports import ConnectedCompany, DisplayNameTakenError
from hubbooks.domain.invoicing.totals import PricedLine, compute_totals
from hubbooks.models.credits import CustomerCredit
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
    TaxRateShare,
)
from hubbooks.models.invoicing import (
    CompanyProfile,
    HubSpotObjectType,
    InvoiceLink,
    InvoicingSettings,
    PendingSubmission,
    QboInvoice,
)

NOW = datetime(2026, 9, 15, 15, 0, tzinfo=UTC)

US_PROFILE = CompanyProfile(realm_id="9130", company_name="Acme US", country="US", home_currency="USD",
                            default_term_id="3", time_zone="America/Los_Angeles")
GB_PROFILE = CompanyProfile(realm_id="4620", company_name="Acme UK", country="GB", home_currency="GBP",
                            default_term_id="3", time_zone="Europe/London", multicurrency=True)
TERMS = [PaymentTerm(id="1", name="Due on receipt", due_days=0), PaymentTerm(id="2", name="Net 15", due_days=15),
         PaymentTerm(id="3", name="Net 30", due_days=30)]
GB_TAX_CODES = [TaxCode(id="1", name="20.0% S", rates=(TaxRateShare(rate_id="1", percent=Decimal(20)),)),
                TaxCode(id="2", name="5.0% R", rates=(TaxRateShare(rate_id="2", percent=Decimal(5)),)),
                TaxCode(id="5", name="No VAT", taxable=False),
                TaxCode(id="9", name="Old rate", active=False, rates=(TaxRateShare(rate_id="9", percent=Decimal(17)),))]
ITEMS = [QboItem(id="1", name="Services", unit_price=Decimal(0)),
         QboItem(id="3", name="Consulting", sku="CONS-1", unit_price=Decimal(150)),
         QboItem(id="4", name="Widget", type="NonInventory", unit_price=Decimal(25), sales_tax_code_id="1"),
         QboItem(id="7", name="Hardware", type="Category")]


@dataclass
class FakeCompany:
    stored: CompanyProfile
    live: CompanyProfile | None = None
    customers: dict[str, QboCustomer] = field(default_factory=dict)
    items: dict[str, QboItem] = field(default_factory=lambda: {i.id: i for i in ITEMS})
    codes: list[TaxCode] = field(default_factory=list)
    invoices: dict[str, QboInvoice] = field(default_factory=dict)
    other_names: set[str] = field(default_factory=set)  # vendors and employees share the namespace
    replays: dict[str, object] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    payment_dates: dict[str, date] = field(default_factory=dict)  # payment id -> its date
    lose_create_answers: int = 0  # the next N creates are made, but their answer never arrives
    next_doc: int = 1001
    _ids: itertools.count = field(default_factory=lambda: itertools.count(100))

    @property
    def realm_id(self) -> str:
        return self.stored.realm_id

    def profile(self) -> CompanyProfile:
        return self.stored

    def live_profile(self) -> CompanyProfile:
        self.calls.append("preferences")
        return self.live or self.stored

    def invoices_by_ids(self, invoice_ids: Sequence[str]) -> list[QboInvoice]:
        self.calls.append("query invoices by id")
        return [self.invoices[i] for i in invoice_ids if i in self.invoices]

    def last_payment_dates(self, invoices: Sequence[QboInvoice]) -> dict[str, date]:
        if any(invoice.payment_ids for invoice in invoices):
            self.calls.append("query payments")
        return {invoice.id: max(self.payment_dates[p] for p in invoice.payment_ids if p in self.payment_dates)
                for invoice in invoices if any(p in self.payment_dates for p in invoice.payment_ids)}

    def search_invoices(self, search: InvoiceSearch) -> list[QboInvoice]:
        self.calls.append("search invoices")
        found = [i for i in self.invoices.values()
                 if (not search.doc_number or i.doc_number == search.doc_number)
                 and (not search.customer_id or i.customer_id == search.customer_id)
                 and (not search.date_from or i.txn_date >= search.date_from)
                 and (not search.date_to or i.txn_date <= search.date_to)]
        return found[:search.limit]

    def doc_number_taken(self, doc_number: str) -> bool:
        return any(i.doc_number == doc_number for i in self.invoices.values())

    def customers_by_ids(self, customer_ids: Sequence[str]) -> list[QboCustomer]:
        return [self.customers[i] for i in customer_ids if i in self.customers]

    def search_customers(self, text: str, limit: int) -> list[QboCustomer]:
        return [c for c in self.customers.values() if text.casefold() in c.display_name.casefold()][:limit]

    def customers_matching(self, emails: Sequence[str], names: Sequence[str]) -> list[QboCustomer]:
        lowered = {e.casefold() for e in emails}
        return [c for c in self.customers.values()
                if (c.email or "").casefold() in lowered
                or any(n.split()[0].casefold() in (c.display_name + " " + (c.company_name or "")).casefold()
                       for n in names)]

    def display_names_starting(self, prefix: str) -> list[str]:
        return [c.display_name for c in self.customers.values()
                if c.display_name.casefold().startswith(prefix.casefold())]

    def create_customer(self, customer: NewCustomer, request_id: str) -> QboCustomer:
        if request_id in self.replays:
            return self.replays[request_id]  # type: ignore[return-value]
        taken = {c.display_name.casefold() for c in self.customers.values()} | {n.casefold() for n in self.other_names}
        if customer.display_name.casefold() in taken:
            raise DisplayNameTakenError(customer.display_name)
        created = QboCustomer(id=str(next(self._ids)), display_name=customer.display_name,
                              company_name=customer.company_name, email=customer.email,
                              currency=customer.currency or self.stored.home_currency)
        self.customers[created.id] = created
        self.replays[request_id] = created
        return created

    def items_by_ids(self, item_ids: Sequence[str]) -> list[QboItem]:
        return [self.items[i] for i in item_ids if i in self.items]

    def search_items(self, text: str, limit: int) -> list[QboItem]:
        return [i for i in self.items.values() if text.casefold() in i.name.casefold()][:limit]

    def items_matching(self, names: Sequence[str], skus: Sequence[str]) -> list[QboItem]:
        return [i for i in self.items.values() if i.name in names or (i.sku and i.sku in skus)]

    def tax_codes(self) -> list[TaxCode]:
        return list(self.codes)

    def terms(self) -> list[PaymentTerm]:
        return list(TERMS)

    def create_invoice(self, invoice: InvoiceToCreate, request_id: str) -> QboInvoice:
        self.calls.append("create invoice")
        if request_id in self.replays:
            return self.replays[request_id]  # type: ignore[return-value]
        profile = self.live or self.stored
        if profile.custom_txn_numbers and not invoice.doc_number:
            doc = None
        else:
            doc = invoice.doc_number or str(self.next_doc)
            self.next_doc += 1
        totals = compute_totals([PricedLine(line.amount, line.tax_code_id) for line in invoice.lines],
                                {c.id: c for c in self.codes}, automated_tax=profile.is_us)
        customer = self.customers[invoice.customer_id]
        created = QboInvoice(id=str(next(self._ids)), doc_number=doc, customer_id=customer.id,
                             customer_name=customer.display_name, txn_date=invoice.txn_date,
                             due_date=invoice.due_date, total=totals.total, balance=totals.total,
                             currency=customer.currency or profile.home_currency, last_updated=NOW,
                             private_note=invoice.private_note)
        self.invoices[created.id] = created
        self.replays[request_id] = created
        if self.lose_create_answers:
            self.lose_create_answers -= 1
            raise UpstreamError("QuickBooks did not answer: read timed out")
        return created

    def invoices_changed_since(self, since: datetime) -> list[QboInvoice]:
        self.calls.append("cdc invoices")
        return [i for i in self.invoices.values() if i.last_updated >= since]

    def invoice_pdf(self, invoice_id: str) -> bytes:
        if invoice_id not in self.invoices:
            raise RecordNotFoundError("no such invoice")
        return b"%PDF-1.4 fake"


@dataclass
class FakeCompanies:
    by_realm: dict[str, FakeCompany]
    portal_id: int = 42

    def connected(self, portal_id: int) -> list[ConnectedCompany]:
        if portal_id != self.portal_id:
            return []
        return [ConnectedCompany(realm_id=c.stored.realm_id, company_name=c.stored.company_name,
                                 country=c.stored.country, home_currency=c.stored.home_currency,
                                 custom_txn_numbers=c.stored.custom_txn_numbers) for c in self.by_realm.values()]

    def open(self, portal_id: int, realm_id: str) -> FakeCompany:
        if portal_id != self.portal_id or realm_id not in self.by_realm:
            raise CompanyNotConnectedError("not connected")
        return self.by_realm[realm_id]


@dataclass
class FakeCrm:
    currency: str = "USD"
    deals: dict[str, CrmDeal] = field(default_factory=dict)
    contacts_by_id: dict[str, CrmContact] = field(default_factory=dict)
    companies_by_id: dict[str, CrmCompany] = field(default_factory=dict)
    quotes_by_id: dict[str, CrmQuote] = field(default_factory=dict)
    deal_updates: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    record_updates: list[tuple[HubSpotObjectType, str, dict[str, str]]] = field(default_factory=list)  # the others
    archived_deals: set[str] = field(default_factory=set)
    reads: int = 0

    def company_currency(self) -> str:
        self.reads += 1
        return self.currency

    def deal(self, deal_id: str) -> CrmDeal:
        if deal_id not in self.deals:
            raise RecordNotFoundError("no such deal")
        return self.deals[deal_id]

    def contacts(self, contact_ids: Sequence[str]) -> list[CrmContact]:
        return [self.contacts_by_id[i] for i in contact_ids if i in self.contacts_by_id]

    def companies(self, company_ids: Sequence[str]) -> list[CrmCompany]:
        return [self.companies_by_id[i] for i in company_ids if i in self.companies_by_id]

    def quotes(self, quote_ids: Sequence[str]) -> list[CrmQuote]:
        return [self.quotes_by_id[i] for i in quote_ids if i in self.quotes_by_id]

    def record_exists(self, object_type: HubSpotObjectType, object_id: str) -> bool:
        store = {HubSpotObjectType.DEAL: self.deals, HubSpotObjectType.CONTACT: self.contacts_by_id,
                 HubSpotObjectType.COMPANY: self.companies_by_id}[object_type]
        return object_id in store

    def update_deal(self, deal_id: str, properties: dict[str, str]) -> None:
        self.deal_updates.append((deal_id, properties))

    def update_record(self, object_type: HubSpotObjectType, object_id: str, properties: dict[str, str]) -> None:
        if object_type is HubSpotObjectType.DEAL:
            self.update_deal(object_id, properties)
        else:
            self.record_updates.append((object_type, object_id, properties))

    def deal_property_values(self, deal_ids: Sequence[str], names: Sequence[str]) -> dict[str, dict[str, str | None]]:
        """What HubSpot shows: every write so far, in order (deals in `archived_deals` are gone)."""
        return self.record_property_values(HubSpotObjectType.DEAL, deal_ids, names)

    def record_property_values(self, object_type: HubSpotObjectType, object_ids: Sequence[str],
                               names: Sequence[str]) -> dict[str, dict[str, str | None]]:
        self.reads += 1
        writes = (self.deal_updates if object_type is HubSpotObjectType.DEAL
                  else [(o, p) for t, o, p in self.record_updates if t is object_type])
        shown: dict[str, dict[str, str | None]] = {}
        for object_id, properties in writes:
            shown.setdefault(object_id, {}).update(properties)
        gone = self.archived_deals if object_type is HubSpotObjectType.DEAL else set()
        return {i: {n: shown.get(i, {}).get(n) for n in names} for i in object_ids if i not in gone}


@dataclass
class FakeCredits:
    items: dict[tuple[int, str, str, str, str, str], CustomerCredit] = field(default_factory=dict)

    @staticmethod
    def _key(credit: CustomerCredit) -> tuple[int, str, str, str, str, str]:
        return (credit.portal_id, credit.object_type.value, credit.object_id, credit.realm_id, credit.kind.value,
                credit.txn_id)

    def for_object(self, portal_id: int, object_type: HubSpotObjectType, object_id: str) -> list[CustomerCredit]:
        return [v for k, v in self.items.items() if k[:3] == (portal_id, object_type.value, object_id)]

    def for_realm(self, portal_id: int, realm_id: str) -> list[CustomerCredit]:
        return [v for v in self.items.values() if v.portal_id == portal_id and v.realm_id == realm_id]

    def save(self, credit: CustomerCredit) -> None:
        self.items[self._key(credit)] = credit

    def delete(self, credit: CustomerCredit) -> None:
        self.items.pop(self._key(credit), None)


@dataclass
class FakeLinks:
    items: dict[tuple[int, str, str, str, str], InvoiceLink] = field(default_factory=dict)
    credits: FakeCredits = field(default_factory=FakeCredits)

    def credits_for_object(self, portal_id: int, object_type: HubSpotObjectType,
                           object_id: str) -> list[CustomerCredit]:
        return self.credits.for_object(portal_id, object_type, object_id)

    @staticmethod
    def _key(link: InvoiceLink) -> tuple[int, str, str, str, str]:
        return (link.portal_id, link.object_type.value, link.object_id, link.realm_id, link.invoice_id)

    def for_object(self, portal_id: int, object_type: HubSpotObjectType, object_id: str) -> list[InvoiceLink]:
        return [v for k, v in self.items.items() if k[:3] == (portal_id, object_type.value, object_id)]

    def for_realm(self, portal_id: int, realm_id: str) -> list[InvoiceLink]:
        return [v for v in self.items.values() if v.portal_id == portal_id and v.realm_id == realm_id]

    def for_invoice(self, portal_id: int, realm_id: str, invoice_id: str) -> list[InvoiceLink]:
        return [v for v in self.for_realm(portal_id, realm_id) if v.invoice_id == invoice_id]

    def save(self, link: InvoiceLink) -> None:
        self.items[self._key(link)] = link

    def delete(self, link: InvoiceLink) -> bool:
        return self.items.pop(self._key(link), None) is not None


@dataclass
class FakeSettings:
    items: dict[tuple[int, str], InvoicingSettings] = field(default_factory=dict)
    sequences: dict[tuple[int, str], int] = field(default_factory=dict)

    def get(self, portal_id: int, realm_id: str) -> InvoicingSettings | None:
        return self.items.get((portal_id, realm_id))

    def save(self, settings: InvoicingSettings) -> None:
        self.items[(settings.portal_id, settings.realm_id)] = settings

    def next_doc_sequence(self, portal_id: int, realm_id: str) -> int:
        self.sequences[(portal_id, realm_id)] = self.sequences.get((portal_id, realm_id), 0) + 1
        return self.sequences[(portal_id, realm_id)]


def invoice(invoice_id: str = "1", *, total: str = "100.00", balance: str | None = None, due: date | None = None,
            currency: str = "USD", updated: datetime = NOW, **extra: object) -> QboInvoice:
    return QboInvoice(id=invoice_id, doc_number=extra.pop("doc_number", f"10{invoice_id}"),  # type: ignore[arg-type]
                      customer_id="1", customer_name=extra.pop("customer_name", "Amy's Bird Sanctuary"),  # type: ignore[arg-type]
                      txn_date=date(2026, 9, 1), due_date=due or date(2026, 10, 1), total=Decimal(total),
                      balance=Decimal(balance if balance is not None else total), currency=currency,
                      last_updated=updated, **extra)  # type: ignore[arg-type]


@dataclass
class FakeSubmissions:
    items: dict[tuple[int, str, str], PendingSubmission] = field(default_factory=dict)

    def start(self, pending: PendingSubmission) -> None:
        self.items[(pending.portal_id, pending.deal_id, pending.submission_id)] = pending

    def finish(self, portal_id: int, deal_id: str, submission_id: str) -> None:
        self.items.pop((portal_id, deal_id, submission_id), None)

    def get(self, portal_id: int, deal_id: str, submission_id: str) -> PendingSubmission | None:
        return self.items.get((portal_id, deal_id, submission_id))

    def attempt_ended(self, portal_id: int, deal_id: str, submission_id: str, at: datetime) -> None:
        key = (portal_id, deal_id, submission_id)
        if key in self.items:
            self.items[key] = self.items[key].model_copy(update={"attempt_ended_at": at})

    def pending_for_deal(self, portal_id: int, deal_id: str) -> list[PendingSubmission]:
        return [p for (portal, deal, _), p in self.items.items() if (portal, deal) == (portal_id, deal_id)]
