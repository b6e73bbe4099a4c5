"""The reminders' HubSpot tasks adapter against the simulator, every call checked against HubSpot's OpenAPI specs:
a task on a deal and its contacts, found again by its marker, completed; a deleted task or deal is no error."""

from __future__ import annotations

from datetime import UTC, datetime

from hubbooks.adapters.hubspot.tasks import HubSpotTasks
from hubbooks.domain.finance.reminders import TaskToOpen
from hubbooks.models.hubspot import RecordInput
from tests.functional.hubspot.conftest import HubSpotSim

MARKER = "hubbooksreminderoverduer9130i45e1"


def test_a_task_on_the_deal_and_its_contact_found_by_marker_then_completed(hubspot_sim: HubSpotSim) -> None:
    client = hubspot_sim.client(hubspot_sim.new_portal())
    contact = client.objects.create("contacts", RecordInput(properties={"email": "amy@birds.example"})).id
    deal = client.objects.create("deals", RecordInput(properties={"dealname": "Feeders"})).id
    client.associations.link_default("deals", deal, "contacts", contact)
    tasks = HubSpotTasks(client)
    assert tasks.deal_owner(deal) is None and tasks.find_task(MARKER) is None

    task_id = tasks.create_task(TaskToOpen(subject="Invoice 1045 is overdue", body=f"<p>Follow up.</p><p>{MARKER}</p>",
                                           due=datetime(2026, 9, 15, 16, tzinfo=UTC), deal_id=deal, owner_id=None))
    read = client.objects.get("tasks", task_id, properties=("hs_task_status", "hs_task_subject", "hs_timestamp"),
                              associations=("deals", "contacts"))
    assert read.value("hs_task_status") == "NOT_STARTED" and read.value("hs_task_subject") == "Invoice 1045 is overdue"
    assert read.associated_ids("deals") == [deal] and read.associated_ids("contacts") == [contact]
    assert tasks.find_task(MARKER) == task_id
    assert tasks.find_task("hubbooksreminderoverduer9130i45e2") is None  # another episode

    assert tasks.complete_task(task_id)
    assert client.objects.get("tasks", task_id, properties=("hs_task_status",)).value("hs_task_status") == "COMPLETED"
    client.objects.archive("tasks", task_id)
    assert tasks.complete_task(task_id) is False
    assert tasks.deal_owner("999999") is None
