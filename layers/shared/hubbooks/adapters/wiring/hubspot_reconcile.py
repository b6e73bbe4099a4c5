"""The HubSpot side of the hourly reconciliation wired to the stack: each portal's CRM search on the sync's request
budget, bookmarks in our table, and the two-way engine reading the searched records without a second HubSpot call."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot.changed_records import HubSpotChangedRecords, modified_property_of
from hubbooks.adapters.hubspot.factory import hubspot_client
from hubbooks.adapters.hubspot.rate_budget import sync_budget
from hubbooks.adapters.hubspot.sync_crm import HubSpotSyncCrm
from hubbooks.adapters.storage.hubspot_bookmark_store import DynamoHubSpotBookmarks
from hubbooks.adapters.wiring.invocation import current_deadline
from hubbooks.adapters.wiring.sync import sync_ports
from hubbooks.adapters.wiring.two_way import two_way_sync
from hubbooks.config import get_settings
from hubbooks.domain.sync.hubspot_changes import HubSpotReconcilePorts, HubSpotReconciliation
from hubbooks.domain.sync.ports import FailureStore, SyncCrm
from hubbooks.domain.sync.prefetched import PrefetchedCrm, PrefetchedLinks, PrefetchedRecords
from hubbooks.models.sync import HubSpotField, SyncFailure, SyncObject


class FailuresListedOnce:
    """The engine looks for a kept failure after every record it sends or finds unchanged: during a reconciliation
    the company's failures are listed once per object (kept current by this run's own records and clears)."""

    def __init__(self, store: FailureStore) -> None:
        self._store = store
        self._listed: dict[tuple[int, str, SyncObject], list[SyncFailure]] = {}

    def list(self, portal_id: int, realm_id: str, sync_object: SyncObject) -> list[SyncFailure]:
        key = (portal_id, realm_id, sync_object)
        if key not in self._listed:
            self._listed[key] = self._store.list(portal_id, realm_id, sync_object)
        return list(self._listed[key])

    def record(self, failure: SyncFailure) -> None:
        self._store.record(failure)
        self._listed.pop((failure.portal_id, failure.realm_id, failure.object), None)

    def clear(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_ids: Iterable[str]) -> None:
        self._store.clear(portal_id, realm_id, sync_object, qbo_ids)
        self._listed.pop((portal_id, realm_id, sync_object), None)

    def failing(self, portal_id: int, realm_id: str, sync_object: SyncObject, qbo_ids: Iterable[str]) -> set[str]:
        return self._store.failing(portal_id, realm_id, sync_object, qbo_ids)


class _ReconcileCrm(PrefetchedCrm):
    """The portal's CRM as the engine reads it during a reconciliation: the page's records, and the portal's
    properties read again when a mapped one is missing from the container's remembered list (a custom property made
    and mapped minutes ago must not be skipped, since the bookmark then moves past the records that carry it)."""

    def __init__(self, crm: SyncCrm, prefetched: PrefetchedRecords) -> None:
        super().__init__(crm, prefetched)
        self._portal_crm = crm
        self._mapped = prefetched

    def fields(self, object_type: str) -> dict[str, HubSpotField]:
        if isinstance(self._portal_crm, HubSpotSyncCrm):
            return self._portal_crm.fields(object_type, expect=self._mapped.mapped)
        return self._portal_crm.fields(object_type)


def hubspot_reconciliation(deadline: Deadline | None = None) -> HubSpotReconciliation:
    deadline = deadline or current_deadline()
    table = dynamodb_table(get_settings().app_table_name)
    ports = sync_ports(deadline)
    prefetched, links = PrefetchedRecords(), PrefetchedLinks(ports.links)
    engine = two_way_sync(deadline, dataclasses.replace(
        ports, failures=FailuresListedOnce(ports.failures), links=links,
        crm=lambda portal_id: _ReconcileCrm(ports.crm(portal_id), prefetched)))
    return HubSpotReconciliation(HubSpotReconcilePorts(
        configs=ports.configs, links=links, bookmarks=DynamoHubSpotBookmarks(table),
        records=lambda portal_id: HubSpotChangedRecords(hubspot_client(portal_id, deadline=deadline,
                                                                       budget=sync_budget())),
        two_way=engine, prefetched=prefetched, clock=ports.clock, seconds_left=deadline.spare_seconds),
        modified_property=modified_property_of)
