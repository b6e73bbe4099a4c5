"""The change engine wired to the stack: the appliers every QuickBooks change goes through, QuickBooks as the change
source, bookmarks in our table. Built per invocation (clients carry its deadline); nothing runs at import.

Add an entity type by registering its applier in `change_appliers` (see domain/changes/__init__.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.change_reader import QboChangeSources
from hubbooks.adapters.qbo.credits import credit_from
from hubbooks.adapters.qbo.invoicing import invoice_from
from hubbooks.adapters.qbo.payments import payment_from
from hubbooks.adapters.storage.autolink_store import DynamoAutoLinkState
from hubbooks.adapters.storage.change_bookmark_store import DynamoChangeBookmarks
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore, RememberedConnections
from hubbooks.adapters.storage.credit_store import DynamoCustomerCredits
from hubbooks.adapters.storage.submission_store import DynamoInvoiceSubmissions
from hubbooks.adapters.storage.sync_store import DynamoSyncLinks
from hubbooks.adapters.wiring.autolink import autolinker
from hubbooks.adapters.wiring.sync import sync_ports
from hubbooks.config import get_settings
from hubbooks.domain.changes.engine import ChangeEngine
from hubbooks.domain.changes.registry import ApplierRegistry
from hubbooks.domain.invoicing.appliers import CreditMemoApplier, InvoiceApplier, PaymentApplier
from hubbooks.domain.invoicing.credits import CustomerCreditApplier
from hubbooks.domain.invoicing.live_ports import LiveStatusPorts
from hubbooks.domain.sync.applier import sync_appliers
from hubbooks.models.credits import CreditKind, QboCredit
from hubbooks.models.invoicing import QboInvoice
from hubbooks.models.payments import QboPayment


def _invoice(raw: Mapping[str, Any], home_currency: str) -> QboInvoice:
    return invoice_from(dict(raw), home_currency)


def _payment(raw: Mapping[str, Any], home_currency: str) -> QboPayment:
    return payment_from(dict(raw), home_currency)


def _credit(raw: Mapping[str, Any], kind: CreditKind, home_currency: str) -> QboCredit:
    return credit_from(dict(raw), kind, home_currency)


def change_appliers(ports: LiveStatusPorts) -> ApplierRegistry:
    """Registration order is application order: invoices before the payments, credit memos and refunds that change
    them or sit beside them."""
    table = dynamodb_table(get_settings().app_table_name)
    submissions = DynamoInvoiceSubmissions(table)
    registry = ApplierRegistry()
    registry.register(InvoiceApplier(links=ports.links, companies=ports.companies, crm=ports.crm, clock=ports.clock,
                                     parse=_invoice, submissions=submissions,
                                     autolink=autolinker(ports.links, ports.clock)))
    registry.register(PaymentApplier(links=ports.links, companies=ports.companies, crm=ports.crm,
                                     notes=ports.payment_notes, clock=ports.clock, parse=_payment))
    memos = CreditMemoApplier(links=ports.links, companies=ports.companies, crm=ports.crm, clock=ports.clock)
    for kind in CreditKind:  # credit memos and refunds on their customers' contacts and companies
        registry.register(CustomerCreditApplier(
            kind=kind, credits=DynamoCustomerCredits(table), links=ports.links, sync_links=DynamoSyncLinks(table),
            state=DynamoAutoLinkState(table), companies=ports.companies, crm=ports.crm, clock=ports.clock,
            parse=_credit, inner=memos if kind is CreditKind.CREDIT_MEMO else None))
    return registry


def change_engine(ports: LiveStatusPorts, deadline: Deadline | None = None) -> ChangeEngine:
    table = dynamodb_table(get_settings().app_table_name)
    registry = change_appliers(ports)
    connections = RememberedConnections(DynamoConnectionStore(table))  # one read per company for engine and sync
    for applier in sync_appliers(sync_ports(deadline, connections)):  # customers and items: the contact/product sync
        registry.register(applier)
    return ChangeEngine(registry, QboChangeSources(connections, deadline=deadline),
                        DynamoChangeBookmarks(table), clock=lambda: datetime.now(UTC))
