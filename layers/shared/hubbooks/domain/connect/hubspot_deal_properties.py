"""The properties HubBooks writes invoice facts into: on deals the latest invoice's facts (mirroring HubSpot's own
QuickBooks integration), and on deals, contacts and companies the roll-ups across all their linked invoices.

Names carry our `hubbooks_` prefix so a portal that also runs HubSpot's integration keeps both sets apart.
Creating them is idempotent: what exists is left alone, what is missing is created, and losing a creation race
to a concurrent install (409) counts as success.

The specs are built the first time they are needed (an install, or the sync's catalogue), not at import: building
them validates their models, which every cold start importing this module would otherwise pay for.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from hubbooks.domain.connect.ports import PropertyApi, PropertyExistsError
from hubbooks.domain.invoicing.rollups import (
    LAST_PAYMENT_DATE,
    OUTSTANDING,
    OVERDUE_AMOUNT,
    OVERDUE_COUNT,
    TOTAL_INVOICED,
    TOTAL_PAID,
)
from hubbooks.models.hubspot_properties import PropertyGroupSpec, PropertyOption, PropertySpec
from hubbooks.models.invoice_status import STATUS_LABELS, InvoiceStatus

DEALS = "deals"
CONTACTS = "contacts"
COMPANIES = "companies"


@cache
def deal_group() -> PropertyGroupSpec:
    return PropertyGroupSpec(name="hubbooks_invoice", label="QuickBooks invoice (HubBooks)", display_order=-1)


@cache
def rollup_group() -> PropertyGroupSpec:
    """Contacts and companies get a group of their own: there is no single invoice to describe there, only totals."""
    return PropertyGroupSpec(name="hubbooks_invoices", label="QuickBooks invoices (HubBooks)", display_order=-1)


@cache
def invoice_status_options() -> tuple[PropertyOption, ...]:
    """The card shows the same words (STATUS_LABELS is the one source), so a deal's status reads alike in both."""
    return tuple(PropertyOption(label=STATUS_LABELS[status], value=status.value, display_order=order, hidden=False)
                 for order, status in enumerate(InvoiceStatus))


def _deal_property(name: str, label: str, type_: str, field_type: str, description: str,
                   group: PropertyGroupSpec | None = None, **extra: object) -> PropertySpec:
    return PropertySpec.model_validate({"name": name, "label": label, "type": type_, "fieldType": field_type,
                                        "groupName": (group or deal_group()).name, "description": description,
                                        **extra})


def rollup_properties(group: PropertyGroupSpec) -> tuple[PropertySpec, ...]:
    """The roll-ups, in the HubSpot account's company currency (foreign invoices at QuickBooks' recorded rate)."""
    money = {"numberDisplayHint": "currency"}
    return (
        _deal_property(TOTAL_INVOICED, "Total invoiced (QuickBooks)", "number", "number",
                       "Sum of all linked QuickBooks invoices, voided ones excluded.", group, **money),
        _deal_property(TOTAL_PAID, "Total paid (QuickBooks)", "number", "number",
                       "What has been paid against the linked QuickBooks invoices.", group, **money),
        _deal_property(OUTSTANDING, "Outstanding balance (QuickBooks)", "number", "number",
                       "What is still owed on the linked QuickBooks invoices.", group, **money),
        _deal_property(OVERDUE_AMOUNT, "Overdue amount (QuickBooks)", "number", "number",
                       "What is owed on linked invoices past their due date.", group, **money),
        _deal_property(OVERDUE_COUNT, "Overdue invoices (QuickBooks)", "number", "number",
                       "How many linked invoices are past their due date and unpaid.", group),
        _deal_property(LAST_PAYMENT_DATE, "Last payment date (QuickBooks)", "date", "date",
                       "When the latest payment on a linked invoice was made.", group),
    )


@cache
def deal_properties() -> tuple[PropertySpec, ...]:
    return (
        _deal_property("hubbooks_invoice_amount_billed", "Invoice amount billed", "number", "number",
                       "Total of the QuickBooks invoice created for this deal.", numberDisplayHint="currency"),
        _deal_property("hubbooks_invoice_recipient", "Invoice recipient", "string", "text",
                       "The QuickBooks customer the invoice is addressed to."),
        _deal_property("hubbooks_invoice_number", "Invoice number", "string", "text",
                       "The QuickBooks invoice number (DocNumber)."),
        _deal_property("hubbooks_invoice_status", "Invoice status", "enumeration", "select",
                       "Where the QuickBooks invoice stands: sent, paid, overdue...",
                       options=invoice_status_options()),
        _deal_property("hubbooks_invoice_due_date", "Invoice due date", "date", "date",
                       "When the QuickBooks invoice is due."),
        *rollup_properties(deal_group()),
    )


@cache
def record_properties() -> dict[str, tuple[PropertyGroupSpec, tuple[PropertySpec, ...]]]:
    return {DEALS: (deal_group(), deal_properties()),
            CONTACTS: (rollup_group(), rollup_properties(rollup_group())),
            COMPANIES: (rollup_group(), rollup_properties(rollup_group()))}


_BUILT_ON_ACCESS: dict[str, Callable[[], Any]] = {
    "DEAL_GROUP": deal_group, "ROLLUP_GROUP": rollup_group, "INVOICE_STATUS_OPTIONS": invoice_status_options,
    "DEAL_PROPERTIES": deal_properties, "RECORD_PROPERTIES": record_properties}


def __getattr__(name: str) -> Any:
    """The specs as constants (DEAL_GROUP, ROLLUP_GROUP, INVOICE_STATUS_OPTIONS, DEAL_PROPERTIES, RECORD_PROPERTIES),
    built on first access."""
    if name in _BUILT_ON_ACCESS:
        return _BUILT_ON_ACCESS[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def ensure_properties(properties: PropertyApi, object_type: str, group: PropertyGroupSpec,
                      specs: Sequence[PropertySpec]) -> list[str]:
    """Create the group and whichever of `specs` are missing; returns the names created this time."""
    if properties.find_group(object_type, group.name) is None:
        with contextlib.suppress(PropertyExistsError):  # a concurrent install created it first
            properties.create_group(object_type, group)
    existing = properties.list_names(object_type)
    created: list[str] = []
    for spec in specs:
        if spec.name in existing:
            continue
        try:
            properties.create(object_type, spec)
        except PropertyExistsError:
            continue
        created.append(spec.name)
    return created


def ensure_deal_properties(properties: PropertyApi) -> list[str]:
    """Create the group and whichever deal properties are missing; returns the names created this time."""
    return ensure_properties(properties, DEALS, deal_group(), deal_properties())


def ensure_invoice_properties(properties: PropertyApi) -> list[str]:
    """Deals, contacts and companies: whatever is missing is created; returns `<object type>.<name>` of each."""
    return [f"{object_type}.{name}" for object_type, (group, specs) in record_properties().items()
            for name in ensure_properties(properties, object_type, group, specs)]
