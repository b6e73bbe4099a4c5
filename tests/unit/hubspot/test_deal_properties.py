"""Creating our deal property group and properties: only what is missing, and tolerant of a concurrent install."""

from __future__ import annotations

from dataclasses import dataclass, field

from hubbooks.domain.connect.hubspot_deal_properties import DEAL_GROUP, DEAL_PROPERTIES, ensure_deal_properties
from hubbooks.domain.connect.ports import PropertyExistsError
from hubbooks.models.hubspot_properties import PropertyGroupSpec, PropertySpec


@dataclass
class FakeProperties:
    groups: dict[str, PropertyGroupSpec] = field(default_factory=dict)
    properties: dict[str, PropertySpec] = field(default_factory=dict)
    raced: set[str] = field(default_factory=set)  # names another install creates just before we do

    def find_group(self, object_type: str, group_name: str) -> PropertyGroupSpec | None:
        return self.groups.get(group_name)

    def create_group(self, object_type: str, group: PropertyGroupSpec) -> PropertyGroupSpec:
        if group.name in self.raced:
            raise PropertyExistsError("exists")
        self.groups[group.name] = group
        return group

    def list_names(self, object_type: str) -> set[str]:
        return set(self.properties)

    def create(self, object_type: str, spec: PropertySpec) -> PropertySpec:
        assert spec.group_name in self.groups or spec.group_name in self.raced
        if spec.name in self.raced:
            raise PropertyExistsError("exists")
        self.properties[spec.name] = spec
        return spec


def test_creates_the_group_and_every_deal_property() -> None:
    fake = FakeProperties()
    assert ensure_deal_properties(fake) == [p.name for p in DEAL_PROPERTIES]
    assert DEAL_GROUP.name in fake.groups
    status = fake.properties["hubbooks_invoice_status"]
    assert status.type == "enumeration" and [o.label for o in status.options] == [
        "Waiting to be sent", "Sent", "Partially paid", "Paid", "Overdue", "Voided"]
    assert fake.properties["hubbooks_invoice_due_date"].type == "date"
    assert fake.properties["hubbooks_invoice_amount_billed"].number_display_hint == "currency"


def test_second_run_creates_nothing() -> None:
    fake = FakeProperties()
    ensure_deal_properties(fake)
    assert ensure_deal_properties(fake) == []


def test_losing_a_creation_race_counts_as_done() -> None:
    fake = FakeProperties(raced={DEAL_GROUP.name, "hubbooks_invoice_number"})
    created = ensure_deal_properties(fake)
    assert "hubbooks_invoice_number" not in created and len(created) == len(DEAL_PROPERTIES) - 1


def test_wire_form_of_an_enumeration_matches_property_create() -> None:
    wire = next(p for p in DEAL_PROPERTIES if p.name == "hubbooks_invoice_status").to_wire()
    assert {"name", "label", "type", "fieldType", "groupName", "options"} <= wire.keys()
    assert wire["options"][0] == {"label": "Waiting to be sent", "value": "waiting_to_be_sent", "displayOrder": 0,
                                  "hidden": False}
    text = next(p for p in DEAL_PROPERTIES if p.name == "hubbooks_invoice_number").to_wire()
    assert "options" not in text and "numberDisplayHint" not in text


def test_the_status_property_uses_the_cards_labels() -> None:
    """One set of words: the deal property's options read exactly as the card's status tags."""
    from hubbooks.domain.invoicing.presenting import STATUS_LABELS  # what the card's tags show
    from hubbooks.models.invoice_status import InvoiceStatus

    status_property = next(p for p in DEAL_PROPERTIES if p.name == "hubbooks_invoice_status")
    options = {option.value: option.label for option in status_property.options or ()}
    assert options == {status.value: STATUS_LABELS[status] for status in InvoiceStatus}
