"""The deal properties HubBooks writes invoice facts into, mirroring those of HubSpot's own QuickBooks integration.

Names carry our `hubbooks_` prefix so a portal that also runs HubSpot's integration keeps both sets apart.
Creating them is idempotent: what exists is left alone, what is missing is created, and losing a creation race
to a concurrent install (409) counts as success.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Protocol

from hubbooks.adapters.hubspot.errors import HubSpotConflictError
from hubbooks.models.hubspot import PropertyGroupSpec, PropertyOption, PropertySpec
from hubbooks.models.invoice_status import STATUS_LABELS, InvoiceStatus

DEALS = "deals"
DEAL_GROUP = PropertyGroupSpec(name="hubbooks_invoice", label="QuickBooks invoice (HubBooks)", display_order=-1)

# The card shows the same words (STATUS_LABELS is the one source), so a deal's status reads alike in both places.
INVOICE_STATUS_OPTIONS = tuple(
    PropertyOption(label=STATUS_LABELS[status], value=status.value, display_order=order, hidden=False)
    for order, status in enumerate(InvoiceStatus)
)


def _deal_property(name: str, label: str, type_: str, field_type: str, description: str,
                   **extra: object) -> PropertySpec:
    return PropertySpec.model_validate({"name": name, "label": label, "type": type_, "fieldType": field_type,
                                        "groupName": DEAL_GROUP.name, "description": description, **extra})


DEAL_PROPERTIES: tuple[PropertySpec, ...] = (
    _deal_property("hubbooks_invoice_amount_billed", "Invoice amount billed", "number", "number",
                   "Total of the QuickBooks invoice created for this deal.", numberDisplayHint="currency"),
    _deal_property("hubbooks_invoice_recipient", "Invoice recipient", "string", "text",
                   "The QuickBooks customer the invoice is addressed to."),
    _deal_property("hubbooks_invoice_number", "Invoice number", "string", "text",
                   "The QuickBooks invoice number (DocNumber)."),
    _deal_property("hubbooks_invoice_status", "Invoice status", "enumeration", "select",
                   "Where the QuickBooks invoice stands: sent, paid, overdue...", options=INVOICE_STATUS_OPTIONS),
    _deal_property("hubbooks_invoice_due_date", "Invoice due date", "date", "date",
                   "When the QuickBooks invoice is due."),
)


class PropertyApi(Protocol):
    def find_group(self, object_type: str, group_name: str) -> PropertyGroupSpec | None: ...
    def create_group(self, object_type: str, group: PropertyGroupSpec) -> PropertyGroupSpec: ...
    def list_names(self, object_type: str) -> set[str]: ...
    def create(self, object_type: str, spec: PropertySpec) -> PropertySpec: ...


def ensure_properties(properties: PropertyApi, object_type: str, group: PropertyGroupSpec,
                      specs: Sequence[PropertySpec]) -> list[str]:
    """Create the group and whichever of `specs` are missing; returns the names created this time."""
    if properties.find_group(object_type, group.name) is None:
        with contextlib.suppress(HubSpotConflictError):  # a concurrent install created it first
            properties.create_group(object_type, group)
    existing = properties.list_names(object_type)
    created: list[str] = []
    for spec in specs:
        if spec.name in existing:
            continue
        try:
            properties.create(object_type, spec)
        except HubSpotConflictError:
            continue
        created.append(spec.name)
    return created


def ensure_deal_properties(properties: PropertyApi) -> list[str]:
    return ensure_properties(properties, DEALS, DEAL_GROUP, DEAL_PROPERTIES)
