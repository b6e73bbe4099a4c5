"""The reminders' TaskCrm over the HubSpot client: tasks on a deal and its contacts, found again by their marker."""

from __future__ import annotations

from hubbooks.adapters.hubspot.client import HubSpotClient
from hubbooks.adapters.hubspot.errors import HubSpotNotFoundError
from hubbooks.domain.finance.reminders import TaskToOpen
from hubbooks.models.hubspot import AssociationSpec, NewAssociation, RecordInput

TASK_TO_DEAL = 216  # HubSpot-defined association types
TASK_TO_CONTACT = 204


def _epoch_ms(task: TaskToOpen) -> str:
    return str(int(task.due.timestamp() * 1000))


class HubSpotTasks:
    def __init__(self, client: HubSpotClient) -> None:
        self._client = client

    def deal_owner(self, deal_id: str) -> str | None:
        try:
            record = self._client.objects.get("deals", deal_id, properties=("hubspot_owner_id",))
        except HubSpotNotFoundError:
            return None
        return record.value("hubspot_owner_id") or None

    def create_task(self, task: TaskToOpen) -> str:
        properties = {"hs_task_subject": task.subject, "hs_task_body": task.body, "hs_timestamp": _epoch_ms(task),
                      "hs_task_status": "NOT_STARTED", "hs_task_type": "TODO", "hs_task_priority": "HIGH"}
        if task.owner_id:
            properties["hubspot_owner_id"] = task.owner_id
        associations: list[NewAssociation] = []
        if task.deal_id is not None:
            try:
                deal = self._client.objects.get("deals", task.deal_id, associations=("contacts",))
                contacts = deal.associated_ids("contacts")
            except HubSpotNotFoundError:
                contacts = []
            associations = [NewAssociation(to_id=task.deal_id,
                                           types=(AssociationSpec(association_type_id=TASK_TO_DEAL),))]
            associations += [NewAssociation(to_id=contact,
                                            types=(AssociationSpec(association_type_id=TASK_TO_CONTACT),))
                             for contact in contacts]
        return self._client.objects.create("tasks", RecordInput(properties=properties,
                                                                associations=tuple(associations))).id

    def find_task(self, marker: str) -> str | None:
        found = self._client.objects.search("tasks", filter_groups=[{"filters": [
            {"propertyName": "hs_task_body", "operator": "CONTAINS_TOKEN", "value": marker}]}],
            properties=("hs_task_status",), page_size=10)
        return next((record.id for record in found), None)

    def complete_task(self, task_id: str) -> bool:
        try:
            self._client.objects.update("tasks", task_id, {"hs_task_status": "COMPLETED"})
        except HubSpotNotFoundError:
            return False
        return True
