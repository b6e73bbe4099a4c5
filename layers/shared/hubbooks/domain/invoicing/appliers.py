"""The invoicing side of the change engine: Invoice, Payment and CreditMemo changes -> links, deals and notes.

Each applier gets entities as QuickBooks has them now (raw JSON; the wiring injects the JSON -> model mapping, which
lives with the QuickBooks adapter) and brings HubSpot in line; webhooks and reconciliation call the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from datetime import datetime
from typing import Any

from hubbooks.domain.invoicing.autolink import AutoLinker
from hubbooks.domain.invoicing.live_ports import LiveCompanies, PaymentNotes, PortalCrm
from hubbooks.domain.invoicing.live_status import refresh_invoices
from hubbooks.domain.invoicing.payments import apply_payments
from hubbooks.domain.invoicing.ports import InvoiceLinks
from hubbooks.domain.invoicing.status import today_in
from hubbooks.domain.invoicing.submissions import InvoiceSubmissions, adopt_orphans, origin_of
from hubbooks.models.changes import AppliedChanges, CompanyScope, EntityChange
from hubbooks.models.invoicing import QboInvoice
from hubbooks.models.payments import QboPayment

InvoiceParser = Callable[[Mapping[str, Any], str], QboInvoice]  # (Invoice JSON, home currency) -> model
PaymentParser = Callable[[Mapping[str, Any], str], QboPayment]
Clock = Callable[[], datetime]


def _tally(outcomes: Sequence[str]) -> str:
    counted: dict[str, int] = {}
    for outcome in outcomes:
        counted[outcome] = counted.get(outcome, 0) + 1
    return "; ".join(f"{n} x {text}" if n > 1 else text for text, n in counted.items())


class InvoiceApplier:
    """Linked invoices: snapshots and deal properties (deleted ones unlinked). Invoices HubBooks created whose
    create answer was lost (a pending submission, the reference in PrivateNote) are linked first, and, where the
    company has auto-linking on, invoices of customers linked to a contact or company are linked to those records."""

    entity = "Invoice"

    def __init__(self, *, links: InvoiceLinks, companies: LiveCompanies, crm: Callable[[int], PortalCrm],
                 clock: Clock, parse: InvoiceParser,
                 submissions: InvoiceSubmissions | None = None, autolink: AutoLinker | None = None) -> None:
        self._links = links
        self._autolink = autolink
        self._companies = companies
        self._crm = crm
        self._clock = clock
        self._parse = parse
        self._submissions = submissions

    def apply(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> AppliedChanges:
        company = self._companies.open(scope.portal_id, scope.realm_id)
        profile = company.profile()
        known = {c.entity_id: (self._parse(c.current, profile.home_currency) if c.current is not None else None)
                 for c in changes}
        adopted: list[str] = []
        if self._submissions is not None:
            now = self._clock()
            adopted = adopt_orphans(portal_id=scope.portal_id, realm_id=scope.realm_id,
                                    invoices=[i for i in known.values() if i is not None and origin_of(i)],
                                    links=self._links, submissions=self._submissions, now=now,
                                    today=today_in(profile.time_zone, now))
        placed = [] if self._autolink is None else self._autolink.link_arrivals(
            scope.portal_id, company, [i for i in known.values() if i is not None])
        refresh = refresh_invoices(portal_id=scope.portal_id, realm_id=scope.realm_id, invoice_ids=list(known),
                                   links=self._links, companies=self._companies,
                                   crm=lambda: self._crm(scope.portal_id), clock=self._clock, company=company,
                                   known=known)
        outcome = refresh.describe()
        if placed:
            outcome = "; ".join(filter(None, [outcome, f"auto-linked {len({link.invoice_id for link in placed})} "
                                                       f"invoice(s) to their customers' contacts and companies"]))
        if adopted:
            outcome = "; ".join(filter(None, [outcome, f"linked {len(adopted)} invoice(s) whose create answer was "
                                                       f"lost: {', '.join(adopted)}"]))
        return AppliedChanges(entity=self.entity, received=len(changes), outcome=outcome)

    def after_full_read(self, scope: CompanyScope, seen_ids: AbstractSet[str]) -> AppliedChanges:
        gone = sorted({link.invoice_id for link in self._links.for_realm(scope.portal_id, scope.realm_id)
                       if link.invoice_id not in seen_ids})
        if not gone:
            return AppliedChanges(entity=self.entity, received=0, outcome="")
        return self.apply(scope, [EntityChange(entity=self.entity, entity_id=i, current=None) for i in gone])


class PaymentApplier:
    """One note per payment on the deals of the invoices it pays, and those invoices refreshed."""

    entity = "Payment"

    def __init__(self, *, links: InvoiceLinks, companies: LiveCompanies, crm: Callable[[int], PortalCrm],
                 notes: PaymentNotes, clock: Clock, parse: PaymentParser) -> None:
        self._links = links
        self._companies = companies
        self._crm = crm
        self._notes = notes
        self._clock = clock
        self._parse = parse

    def apply(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> AppliedChanges:
        company = self._companies.open(scope.portal_id, scope.realm_id)
        home = company.profile().home_currency
        payments = {c.entity_id: (self._parse(c.current, home) if c.current is not None else None) for c in changes}
        outcomes = apply_payments(portal_id=scope.portal_id, realm_id=scope.realm_id, payments=payments,
                                  links=self._links, companies=self._companies,
                                  crm=lambda: self._crm(scope.portal_id), notes=self._notes, clock=self._clock,
                                  company=company)
        return AppliedChanges(entity=self.entity, received=len(changes), outcome=_tally(list(outcomes.values())))

    def after_full_read(self, scope: CompanyScope, seen_ids: AbstractSet[str]) -> AppliedChanges:
        gone = sorted(n.payment_id for n in self._notes.for_realm(scope.portal_id, scope.realm_id)
                      if n.payment_id not in seen_ids)
        if not gone:
            return AppliedChanges(entity=self.entity, received=0, outcome="")
        return self.apply(scope, [EntityChange(entity=self.entity, entity_id=i, current=None) for i in gone])


class CreditMemoApplier:
    """A credit memo changes the balance of the invoices it is applied to, which QuickBooks does not always announce
    as invoice changes: the linked invoices of the memo's customer are refreshed (every linked invoice of the
    company when a memo was deleted, since a deleted memo no longer says whose it was)."""

    entity = "CreditMemo"

    def __init__(self, *, links: InvoiceLinks, companies: LiveCompanies, crm: Callable[[int], PortalCrm],
                 clock: Clock) -> None:
        self._links = links
        self._companies = companies
        self._crm = crm
        self._clock = clock

    def apply(self, scope: CompanyScope, changes: Sequence[EntityChange]) -> AppliedChanges:
        realm_links = self._links.for_realm(scope.portal_id, scope.realm_id)
        if not realm_links:
            return AppliedChanges(entity=self.entity, received=len(changes), outcome="")
        any_deleted = any(c.current is None for c in changes)
        customers = {str((c.current.get("CustomerRef") or {}).get("name") or "") for c in changes
                     if c.current is not None}
        targets = sorted({link.invoice_id for link in realm_links
                          if any_deleted or (link.customer_name or "") in customers})
        if not targets:
            return AppliedChanges(entity=self.entity, received=len(changes), outcome="")
        refresh = refresh_invoices(portal_id=scope.portal_id, realm_id=scope.realm_id, invoice_ids=targets,
                                   links=self._links, companies=self._companies,
                                   crm=lambda: self._crm(scope.portal_id), clock=self._clock)
        return AppliedChanges(entity=self.entity, received=len(changes), outcome=refresh.describe())

    def after_full_read(self, scope: CompanyScope, seen_ids: AbstractSet[str]) -> AppliedChanges:
        return AppliedChanges(entity=self.entity, received=0, outcome="")  # nothing of a memo's is kept
