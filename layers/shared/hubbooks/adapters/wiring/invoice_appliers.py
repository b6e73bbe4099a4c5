"""The invoicing side's change appliers (invoices, payments, credit memos, refunds) wired to the stack, for the change
engine (adapters/wiring/changes.py declares which entity types this module builds)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.qbo.credits import credit_from
from hubbooks.adapters.qbo.invoicing import invoice_from
from hubbooks.adapters.qbo.payments import payment_from
from hubbooks.adapters.storage.autolink_store import DynamoAutoLinkState
from hubbooks.adapters.storage.credit_store import DynamoCustomerCredits
from hubbooks.adapters.storage.submission_store import DynamoInvoiceSubmissions
from hubbooks.adapters.storage.sync_link_store import DynamoSyncLinks
from hubbooks.adapters.wiring.autolink import autolinker
from hubbooks.adapters.wiring.live_status import live_status_ports
from hubbooks.config import get_settings
from hubbooks.domain.changes.ports import ChangeApplier
from hubbooks.domain.invoicing.appliers import CreditMemoApplier, InvoiceApplier, PaymentApplier
from hubbooks.domain.invoicing.credits import CustomerCreditApplier
from hubbooks.models.credits import CreditKind, QboCredit
from hubbooks.models.invoicing import QboInvoice
from hubbooks.models.payments import QboPayment

if TYPE_CHECKING:
    from hubbooks.domain.connect.ports import ConnectionStore


def _invoice(raw: Mapping[str, Any], home_currency: str) -> QboInvoice:
    return invoice_from(dict(raw), home_currency)


def _payment(raw: Mapping[str, Any], home_currency: str) -> QboPayment:
    return payment_from(dict(raw), home_currency)


def _credit(raw: Mapping[str, Any], kind: CreditKind, home_currency: str) -> QboCredit:
    return credit_from(dict(raw), kind, home_currency)


def appliers(deadline: Deadline | None = None, connections: ConnectionStore | None = None) -> list[ChangeApplier]:
    """Invoice, Payment, CreditMemo and RefundReceipt appliers over the live-status ports, whose clients carry
    `deadline` (the invocation's when None). `connections` goes unused: the ports' QuickBooks companies read them."""
    ports = live_status_ports(deadline)
    table = dynamodb_table(get_settings().app_table_name)
    submissions = DynamoInvoiceSubmissions(table)
    built: list[ChangeApplier] = [
        InvoiceApplier(links=ports.links, companies=ports.companies, crm=ports.crm, clock=ports.clock,
                       parse=_invoice, submissions=submissions, autolink=autolinker(ports.links, ports.clock)),
        PaymentApplier(links=ports.links, companies=ports.companies, crm=ports.crm, notes=ports.payment_notes,
                       clock=ports.clock, parse=_payment)]
    memos = CreditMemoApplier(links=ports.links, companies=ports.companies, crm=ports.crm, clock=ports.clock)
    for kind in CreditKind:  # credit memos and refunds on their customers' contacts and companies
        built.append(CustomerCreditApplier(
            kind=kind, credits=DynamoCustomerCredits(table), links=ports.links, sync_links=DynamoSyncLinks(table),
            state=DynamoAutoLinkState(table), companies=ports.companies, crm=ports.crm, clock=ports.clock,
            parse=_credit, inner=memos if kind is CreditKind.CREDIT_MEMO else None))
    return built
