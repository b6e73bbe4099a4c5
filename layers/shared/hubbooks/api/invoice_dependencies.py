"""What the invoice routes work with, built per request from the signed identity (nothing at import time)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from hubbooks.adapters.aws.clients import thread_safe_table
from hubbooks.adapters.business_clock import Clock, business_clock
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.wizard_crm import HubSpotWizardCrm
from hubbooks.adapters.parallel_calls import run_all
from hubbooks.adapters.qbo.invoice_wizard import QboWizardCompanies, QboWizardCompany
from hubbooks.adapters.storage.connection_store import DynamoConnectionStore
from hubbooks.adapters.storage.currency_cache import DynamoCurrencyCache
from hubbooks.adapters.storage.finance_roles_store import DynamoFinanceRoles
from hubbooks.adapters.storage.invoice_link_store import DynamoInvoiceLinks, DynamoInvoicingSettings
from hubbooks.adapters.storage.prefetched_items import with_card_context
from hubbooks.adapters.storage.reminder_store import DynamoReminderSettings
from hubbooks.adapters.storage.submission_store import DynamoInvoiceSubmissions
from hubbooks.adapters.storage.sync_store import DynamoSyncAdmins
from hubbooks.api.deadlines import card_request_deadline
from hubbooks.api.signed_requests import signed_identity
from hubbooks.config import get_settings
from hubbooks.models.identity import SignedIdentity


@dataclass
class Invoicing:
    """The ports for one signed request; providers' clients are built only when a step needs them."""

    identity: SignedIdentity
    deadline: Deadline = field(default_factory=Deadline)

    @cached_property
    def _table(self) -> Any:
        return thread_safe_table(get_settings().app_table_name)  # the card reads it from several threads at once

    def read_card_context(self) -> None:
        """For the card, before anything else: the portal's items it needs (companies, roles, admins, currency) in
        one BatchGetItem, which every store of this request then reads from (the card writes nothing)."""
        self._table = with_card_context(self._table, self.identity.portal_id)

    @cached_property
    def links(self) -> DynamoInvoiceLinks:
        return DynamoInvoiceLinks(self._table)

    @cached_property
    def submissions(self) -> DynamoInvoiceSubmissions:
        return DynamoInvoiceSubmissions(self._table)

    @cached_property
    def settings(self) -> DynamoInvoicingSettings:
        return DynamoInvoicingSettings(self._table)

    @cached_property
    def companies(self) -> QboWizardCompanies:
        return QboWizardCompanies(DynamoConnectionStore(self._table), deadline=self.deadline)

    @cached_property
    def crm(self) -> HubSpotWizardCrm:
        """Deals with their records and quotes, deal properties and the deal timeline of the caller's portal."""
        return HubSpotWizardCrm(hubspot_client(self.identity.portal_id, deadline=self.deadline),
                              self.identity.portal_id, DynamoCurrencyCache(self._table))

    @cached_property
    def roles(self) -> DynamoFinanceRoles:
        return DynamoFinanceRoles(self._table)

    @cached_property
    def reminder_settings(self) -> DynamoReminderSettings:
        return DynamoReminderSettings(self._table)

    @cached_property
    def admins(self) -> DynamoSyncAdmins:
        """The portal's HubBooks admins (installer plus those added), shared with the sync settings."""
        return DynamoSyncAdmins(self._table)

    @cached_property
    def clock(self) -> Clock:
        """Business "now": the system clock, or the simulators' clock in the sandbox."""
        return business_clock()

    @staticmethod
    def run_all(calls: Sequence[Callable[[], Any]]) -> list[Any]:
        """Independent reads at once (the card's links, connections and currency; then each company's query)."""
        return run_all(calls)

    def company(self, realm_id: str) -> QboWizardCompany:
        return self.companies.open(self.identity.portal_id, realm_id)


def invoicing_for(router: APIGatewayHttpRouter) -> Invoicing:
    return Invoicing(signed_identity(router), card_request_deadline(router.lambda_context))
