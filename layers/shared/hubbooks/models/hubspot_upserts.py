"""HubSpot's batch upsert answer (create or update by a unique property), which only the contact and product sync
uses: apart from models/hubspot.py, so the workers' invoice changes and jobs never define it.
"""


from pydantic import Field

from hubbooks.models.hubspot import BatchError, CrmRecord, HubSpotShape


class UpsertedRecord(CrmRecord):
    new: bool = False


class UpsertResult(HubSpotShape):
    results: list[UpsertedRecord] = Field(default_factory=list)
    errors: list[BatchError] = Field(default_factory=list)
