"""An ambiguous match resolved with "create a new record instead", on the applier's fakes: one new record linked (so
later changes go to it, not to the candidates), idempotent on retry, and a clear refusal when nothing can be made."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import pytest

from hubbooks.domain.sync.decisions import NewRecordRefusedError, NoDecisionWaitingError, create_instead
from hubbooks.domain.sync.defaults import QBO_REFERENCE_PROPERTY
from hubbooks.models.sync import Candidate, OnCreateUpdate, PendingDecision, SyncObject
from tests.unit.sync.test_applier import SCOPE, World, item


@pytest.fixture
def world() -> World:
    return World()


def _ambiguous(world: World) -> tuple[str, str, dict[str, Any]]:
    """Item 3 "Gizmo" matches two HubSpot products by name, so it waits for the admin."""
    world.turn_on(SyncObject.PRODUCTS)
    first = world.crm.add("products", name="Gizmo")
    second = world.crm.add("products", name="gizmo")
    change = item("3", "Gizmo", price=12.5)
    world.items.apply(SCOPE, [change])
    assert ("9130", SyncObject.PRODUCTS, "3") in world.decisions.items
    assert change.current is not None
    return first, second, dict(change.current)


def _create(world: World, current: Mapping[str, Any] | None, qbo_id: str = "3") -> str:
    return create_instead(scope=SCOPE, sync_object=SyncObject.PRODUCTS, qbo_id=qbo_id, writer=world.items,
                          read=lambda: current, decisions=world.decisions, links=world.links,
                          failures=world.failures).hubspot_id


def test_a_new_record_is_created_linked_and_later_changes_go_to_it(world: World) -> None:
    first, second, current = _ambiguous(world)
    made = _create(world, current)
    assert made not in (first, second) and len(world.crm.records["products"]) == 3
    assert world.crm.records["products"][made]["name"] == "Gizmo"
    assert world.crm.records["products"][made][QBO_REFERENCE_PROPERTY]
    link = world.links.items[(1, "9130", SyncObject.PRODUCTS, "3")]
    assert link.hubspot_id == made and link.matched_by == "created"
    assert world.decisions.items == {}

    world.items.apply(SCOPE, [item("3", "Gizmo Pro", price=14)])  # a later change in QuickBooks
    assert world.crm.records["products"][made]["name"] == "Gizmo Pro"
    assert world.crm.records["products"][first] == {"name": "Gizmo"}
    assert world.crm.records["products"][second] == {"name": "gizmo"}


def test_a_retry_finds_the_link_and_creates_nothing_more(world: World) -> None:
    _first, _second, current = _ambiguous(world)
    made = _create(world, current)
    # The answer was lost after the link was saved and the decision is listed again: the retry only resolves it.
    world.decisions.save(PendingDecision(portal_id=1, realm_id="9130", object=SyncObject.PRODUCTS, qbo_id="3",
                                         qbo_label="Gizmo", matched_on="name",
                                         candidates=(Candidate(hubspot_id="1", label="Gizmo"),),
                                         found_at=datetime(2026, 11, 30, tzinfo=UTC)))
    calls_before = dict(world.crm.calls)
    assert _create(world, current) == made and len(world.crm.records["products"]) == 3
    assert world.decisions.items == {} and world.crm.calls == calls_before


def test_a_lost_create_answer_is_found_by_the_reference_not_made_twice(world: World) -> None:
    _first, _second, current = _ambiguous(world)
    made = _create(world, current)
    world.links.items.clear()  # as if the link was never saved after HubSpot made the record
    world.decisions.save(PendingDecision(portal_id=1, realm_id="9130", object=SyncObject.PRODUCTS, qbo_id="3",
                                         qbo_label="Gizmo", matched_on="name", candidates=(),
                                         found_at=datetime(2026, 11, 30, tzinfo=UTC)))
    assert _create(world, current) == made and len(world.crm.records["products"]) == 3


def test_nothing_waiting_is_a_404(world: World) -> None:
    _ambiguous(world)
    with pytest.raises(NoDecisionWaitingError, match="No decision is waiting for QuickBooks record 99"):
        _create(world, {"Id": "99", "Name": "X"}, qbo_id="99")


@pytest.mark.parametrize(("arrange", "said"), [
    (lambda w: w.turn_on(SyncObject.PRODUCTS, enabled=False), "The product sync is off"),
    (lambda w: w.turn_on(SyncObject.PRODUCTS, on_create_update=OnCreateUpdate.UPDATE_LINKED_ONLY),
     "only linked records are updated"),
])
def test_settings_that_create_nothing_are_explained(world: World, arrange: Any, said: str) -> None:
    _first, _second, current = _ambiguous(world)
    arrange(world)
    with pytest.raises(NewRecordRefusedError, match=said):
        _create(world, current)
    assert ("9130", SyncObject.PRODUCTS, "3") in world.decisions.items  # still waiting


def test_a_record_deleted_in_quickbooks_since_is_explained(world: World) -> None:
    _ambiguous(world)
    with pytest.raises(NewRecordRefusedError, match="deleted in QuickBooks"):
        _create(world, None)


def test_hubspot_refusing_the_record_keeps_the_decision_with_the_reason(world: World) -> None:
    _first, _second, current = _ambiguous(world)
    world.crm.refuse_values.add("Gizmo")
    with pytest.raises(NewRecordRefusedError, match=r"No new HubSpot product was created \(HubSpot refused it"):
        _create(world, current)
    assert ("9130", SyncObject.PRODUCTS, "3") in world.decisions.items
