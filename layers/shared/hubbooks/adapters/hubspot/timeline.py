"""One portal's HubSpot for the live-status reactions: the invoicing Crm plus notes on deal timelines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hubbooks.adapters.hubspot.errors import HubSpotNotFoundError
from hubbooks.adapters.hubspot.invoicing_crm import HubSpotInvoicingCrm
from hubbooks.models.hubspot import AssociationSpec, NewAssociation, RecordInput
from hubbooks.models.invoicing import HubSpotObjectType

NOTE_TO_DEAL = 214  # HubSpot-defined association type "note to deal"
# HubSpot-defined "note to contact" and "note to company", for credit memos and refunds on a customer's records.
NOTE_TO_RECORD = {HubSpotObjectType.CONTACT: 202, HubSpotObjectType.COMPANY: 190}
_PLURAL = {HubSpotObjectType.CONTACT: "contacts", HubSpotObjectType.COMPANY: "companies"}


def _epoch_ms(moment: datetime) -> str:
    return str(int(moment.timestamp() * 1000))


class HubSpotLiveCrm(HubSpotInvoicingCrm):
    def create_note(self, body: str, timestamp: datetime, deal_ids: Sequence[str]) -> str:
        to_deal = (AssociationSpec(association_type_id=NOTE_TO_DEAL),)
        record = RecordInput(properties={"hs_note_body": body, "hs_timestamp": _epoch_ms(timestamp)},
                             associations=tuple(NewAssociation(to_id=deal_id, types=to_deal) for deal_id in deal_ids))
        return self._client.objects.create("notes", record).id

    def update_note(self, note_id: str, body: str, timestamp: datetime | None) -> bool:
        properties = {"hs_note_body": body}
        if timestamp is not None:
            properties["hs_timestamp"] = _epoch_ms(timestamp)
        try:
            self._client.objects.update("notes", note_id, properties)
        except HubSpotNotFoundError:
            return False
        return True

    def notes_on_deals(self, deal_ids: Sequence[str]) -> dict[str, str]:
        """Every note on the deals, with its body: one association listing per deal, one batch read for all."""
        return self._notes_on([("deals", deal_id) for deal_id in deal_ids])

    def create_record_note(self, body: str, timestamp: datetime,
                           records: Sequence[tuple[HubSpotObjectType, str]]) -> str:
        record = RecordInput(properties={"hs_note_body": body, "hs_timestamp": _epoch_ms(timestamp)},
                             associations=tuple(NewAssociation(to_id=object_id, types=(AssociationSpec(
                                 association_type_id=NOTE_TO_RECORD[object_type]),))
                                 for object_type, object_id in records))
        return self._client.objects.create("notes", record).id

    def notes_on_records(self, records: Sequence[tuple[HubSpotObjectType, str]]) -> dict[str, str]:
        """Every note on the contacts and companies, with its body."""
        return self._notes_on([(_PLURAL[object_type], object_id) for object_type, object_id in records])

    def _notes_on(self, records: Sequence[tuple[str, str]]) -> dict[str, str]:
        note_ids = list(dict.fromkeys(linked.to_object_id for object_type, object_id in records
                                      for linked in self._client.associations.iter_linked(object_type, object_id,
                                                                                         "notes")))
        if not note_ids:
            return {}
        result = self._client.objects.batch_read("notes", note_ids, properties=("hs_note_body",))
        return {r.id: r.value("hs_note_body") or "" for r in result.results}

    def archive_note(self, note_id: str) -> None:
        try:
            self._client.objects.archive("notes", note_id)
        except HubSpotNotFoundError:
            return  # already gone: what we wanted

    def attach_note(self, note_id: str, deal_ids: Sequence[str]) -> None:
        for deal_id in deal_ids:
            self._client.associations.link_default("notes", note_id, "deals", deal_id)
