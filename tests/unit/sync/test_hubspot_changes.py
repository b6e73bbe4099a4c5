"""The HubSpot side of the reconciliation on fakes: the key walk (windows past 10,000 results, a millisecond shared by
a whole page), the bookmark (a fresh one starts when two-way was turned on, moves per applied chunk, resumes after a
deadline or an outage), overlap de-duplication, our own writes sending nothing, and the records worth handing over."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest

from hubbooks.domain.sync.hubspot_changes import (
    ChangedRecord,
    HubSpotReconcileFailedError,
    HubSpotReconcilePorts,
    HubSpotReconciliation,
    behind_in_quickbooks,
    walk,
)
from hubbooks.domain.sync.prefetched import PrefetchedCrm, PrefetchedLinks, PrefetchedRecords
from hubbooks.domain.sync.two_way import ObjectChanges, TwoWaySync
from hubbooks.models.changes import CompanyScope, EntityChange
from hubbooks.models.hubspot_changes import HubSpotChangeBookmark
from hubbooks.models.sync import FieldOwner, OnCreateUpdate, RecordLink, SyncObject
from tests.unit.sync.test_applier import NOW, SCOPE
from tests.unit.sync.test_two_way import T0, TwoWayWorld

SEARCH_CAP = 10_000  # HubSpot refuses (400) to page past 10,000 results of one query


@dataclass
class FakeSearch:
    """HubSpot's CRM search over stamped records: filters on the last-modified time (GTE, GT, EQ + id GT), one sort,
    pages of at most 200, and no window past 10,000 results (a query can only ever see its first 10,000)."""

    stamps: dict[str, tuple[datetime, datetime]] = field(default_factory=dict)  # id -> (modified, created)
    properties: dict[str, dict[str, str]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def stamp(self, hubspot_id: str, modified: datetime, created: datetime | None = None) -> None:
        previous = self.stamps.get(hubspot_id)
        self.stamps[hubspot_id] = (modified, created or (previous[1] if previous else modified))

    def _record(self, hubspot_id: str, wanted: Sequence[str]) -> ChangedRecord:
        modified, created = self.stamps[hubspot_id]
        values = self.properties.get(hubspot_id, {})
        return ChangedRecord(hubspot_id=hubspot_id, modified_at=modified, created_at=created,
                             properties={p: values.get(p) for p in wanted})

    def changed_since(self, object_type: str, since: datetime, *, inclusive: bool, properties: Sequence[str],
                      limit: int) -> list[ChangedRecord]:
        assert limit <= 200
        self.calls.append("since")
        hits = sorted((m, int(h)) for h, (m, _c) in self.stamps.items() if (m >= since if inclusive else m > since))
        # HubSpot orders ties in no documented way: here the reverse of id order, so nothing can lean on it.
        hits.sort(key=lambda hit: (hit[0], -hit[1]))
        return [self._record(str(h), properties) for _m, h in hits[:min(limit, SEARCH_CAP)]]

    def changed_at(self, object_type: str, at: datetime, *, after_id: str | None, properties: Sequence[str],
                   limit: int) -> list[ChangedRecord]:
        self.calls.append("at")
        hits = sorted(int(h) for h, (m, _c) in self.stamps.items()
                      if m == at and (after_id is None or int(h) > int(after_id)))
        return [self._record(str(h), properties) for h in hits[:limit]]


def test_a_walk_sees_every_record_once_past_ten_thousand_results_with_one_search_a_page() -> None:
    search = FakeSearch()
    for n in range(12_345):
        search.stamp(str(n + 1), T0 + timedelta(milliseconds=n // 3))  # three records a millisecond
    seen = [r.hubspot_id for page in walk(search, "contacts", T0, ["email"]) for r in page]
    assert sorted(seen, key=int) == [str(n + 1) for n in range(12_345)]  # each once, none missing
    # One search per page: ceil(12,345 / 200) = 62, plus one because each page after the first starts with the
    # (at most two) records of the previous page's last millisecond again.
    assert len(search.calls) == 63 and set(search.calls) == {"since"}


def test_a_millisecond_that_fills_whole_pages_is_walked_by_id() -> None:
    search = FakeSearch()
    for n in range(450):  # a batch write: 450 records stamped the same millisecond
        search.stamp(str(n + 1), T0 + timedelta(seconds=1))
    for n in range(5):
        search.stamp(str(1000 + n), T0 + timedelta(seconds=2 + n))
    seen = [r.hubspot_id for page in walk(search, "contacts", T0, []) for r in page]
    assert len(seen) == len(set(seen)) == 455
    assert search.calls == ["since", "at", "at", "at", "since"]


def test_records_of_the_boundary_millisecond_are_not_handed_over_twice() -> None:
    search = FakeSearch()
    for n in range(190):
        search.stamp(str(n + 1), T0 + timedelta(milliseconds=n))
    for n in range(30):  # straddle the first page's end
        search.stamp(str(500 + n), T0 + timedelta(seconds=5))
    pages = list(walk(search, "contacts", T0, []))
    seen = [r.hubspot_id for page in pages for r in page]
    assert len(seen) == len(set(seen)) == 220 and len(pages) == 2


# ---- the reconciliation, on the two-way engine with fake HubSpot and QuickBooks -----------------------------------

class Budget:
    """The invocation's remaining time: plenty, or running out after a number of checks."""

    def __init__(self, checks: int | None = None) -> None:
        self.checks = checks

    def __call__(self) -> float:
        if self.checks is None:
            return 600.0
        self.checks -= 1
        return 600.0 if self.checks >= 0 else 5.0


@dataclass
class FakeBookmarks:
    stored: dict[tuple[CompanyScope, SyncObject], HubSpotChangeBookmark] = field(default_factory=dict)
    saves: int = 0

    def get(self, scope: CompanyScope, sync_object: SyncObject) -> HubSpotChangeBookmark | None:
        return self.stored.get((scope, sync_object))

    def save(self, bookmark: HubSpotChangeBookmark) -> None:
        self.saves += 1
        self.stored[(CompanyScope(portal_id=bookmark.portal_id, realm_id=bookmark.realm_id), bookmark.object)] = \
            bookmark


class ReconcileWorld(TwoWayWorld):
    def __init__(self) -> None:
        super().__init__()
        self.search = FakeSearch(properties=self.crm.records.setdefault("contacts", {}))
        self.bookmarks = FakeBookmarks()
        self.budget = Budget()
        self.now = NOW
        self.prefetched = PrefetchedRecords()
        self.link_lookups = 0
        lookup = self.links.by_hubspot_ids

        def counted(*args: Any) -> dict[str, RecordLink]:
            self.link_lookups += 1
            return lookup(*args)

        self.links.by_hubspot_ids = counted  # type: ignore[method-assign]
        self.shared_links = PrefetchedLinks(self.links)
        # The two-way world's engine, reading through the reconciliation's prefetched records and links.
        self.engine = TwoWaySync(dataclasses.replace(
            self.two_way._ports, links=self.shared_links, clock=lambda: self.now,
            crm=lambda portal_id: PrefetchedCrm(self.crm, self.prefetched)))
        self.reconciliation = HubSpotReconciliation(HubSpotReconcilePorts(
            configs=self.configs, links=self.shared_links, bookmarks=self.bookmarks,
            records=lambda portal_id: self.search,
            two_way=self.engine, prefetched=self.prefetched, clock=lambda: self.now,
            seconds_left=lambda: self.budget()), modified_property=lambda sync_object: "lastmodifieddate")

    def two_way_since(self, at: datetime) -> None:
        config = self.configs.get(1, "9130", SyncObject.CONTACTS)
        assert config is not None
        self.configs.save(config.model_copy(update={"two_way_since": at}))

    def edit(self, hubspot_id: str, at: datetime, **values: str) -> None:
        """Someone (or something) writes the HubSpot record: HubSpot stamps its last-modified date."""
        self.crm.records["contacts"][hubspot_id].update(values)
        self.search.stamp(hubspot_id, at)

    def run(self) -> str:
        return self.reconciliation.reconcile(SCOPE).describe()

    def bookmark(self) -> HubSpotChangeBookmark:
        return self.bookmarks.stored[(SCOPE, SyncObject.CONTACTS)]


@pytest.fixture
def world() -> ReconcileWorld:
    return ReconcileWorld()


def _linked_contacts(world: ReconcileWorld, count: int, at: datetime) -> list[str]:
    """Customers the one-way sync brought over, linked, each stamped by that (our own) write at `at`."""
    for n in range(count):
        world.qbo.add(str(n + 1), DisplayName=f"Client {n + 1}", GivenName="Client", FamilyName=str(n + 1),
                      PrimaryEmailAddr={"Address": f"client{n + 1}@x.test"})
    changes = [EntityChange(entity="Customer", entity_id=str(n + 1), current=world.qbo.records[str(n + 1)])
               for n in range(count)]
    for start in range(0, count, 100):
        world.customers.apply(SCOPE, changes[start:start + 100])
    links = world.links.get_many(1, "9130", SyncObject.CONTACTS, [str(n + 1) for n in range(count)])
    ids = [links[str(n + 1)].hubspot_id for n in range(count)]
    for hubspot_id in ids:
        world.search.stamp(hubspot_id, at, created=at)
    world.calls()
    return ids


def test_a_hubspot_edit_no_webhook_carried_reaches_quickbooks_and_the_bookmark_moves(world) -> None:
    world.both_ways(owners={"email": FieldOwner.HUBSPOT})
    world.two_way_since(T0)
    (hubspot_id,) = _linked_contacts(world, 1, T0 - timedelta(days=1))
    world.edit(hubspot_id, T0 + timedelta(minutes=20), email="amy@custom.test")
    world.now = T0 + timedelta(hours=1)
    assert "1 updated in QuickBooks" in world.run()
    assert world.qbo.updates == [("1", {"PrimaryEmailAddr": {"Address": "amy@custom.test"}})]
    assert world.calls() == {}  # the search page's values were used: no batch read of the record
    assert world.bookmark().changed_since == world.now  # walked to the end: the next run starts at this one's start
    # The next run reads five minutes back and finds nothing new: nothing is written again.
    world.now += timedelta(hours=1)
    assert "0 checked" in world.run() and len(world.qbo.updates) == 1


def test_a_fresh_bookmark_starts_when_two_way_was_turned_on_not_at_the_epoch(world) -> None:
    world.both_ways(owners={"email": FieldOwner.HUBSPOT})
    world.two_way_since(T0)
    (hubspot_id,) = _linked_contacts(world, 1, T0 - timedelta(days=1))
    world.edit(hubspot_id, T0 - timedelta(minutes=1), email="before@two-way.test")  # before two-way was on
    world.now = T0 + timedelta(hours=1)
    assert "0 checked" in world.run() and world.qbo.updates == []
    assert world.bookmark().started_at == T0 and world.bookmark().two_way_since == T0
    # Turned off and on again later: a new start, edits in between are not sent.
    world.edit(hubspot_id, T0 + timedelta(hours=2), email="while@off.test")
    world.two_way_since(T0 + timedelta(hours=3))
    world.now = T0 + timedelta(hours=4)
    assert "0 checked" in world.run() and world.qbo.updates == []


def test_our_own_writes_bump_the_modified_date_and_send_nothing(world) -> None:
    world.both_ways(owners={"email": FieldOwner.HUBSPOT, "phone": FieldOwner.LATEST})
    world.two_way_since(T0)
    _linked_contacts(world, 150, T0 + timedelta(minutes=10))  # the one-way sync (our app) wrote all of them
    world.now = T0 + timedelta(hours=1)
    outcome = world.run()
    assert "150 checked" in outcome and "150 unchanged" in outcome, outcome
    assert world.qbo.updates == [] and world.qbo.creates == [] and world.calls() == {}
    assert world.link_lookups == 3  # one look-up per chunk of 50, shared with the engine


def test_the_overlap_is_read_again_but_what_was_applied_is_not_handed_over_twice(world) -> None:
    world.both_ways(owners={"email": FieldOwner.HUBSPOT})
    world.two_way_since(T0)
    first, second = _linked_contacts(world, 2, T0 - timedelta(days=1))
    world.edit(first, T0 + timedelta(minutes=58), email="first@edit.test")
    world.now = T0 + timedelta(hours=1)
    world.run()
    assert world.bookmark().recent == {first: round((T0 + timedelta(minutes=58)).timestamp() * 1000)}
    # Next run: the first record is inside the overlap (same stamp: skipped), the second changed since.
    world.edit(second, T0 + timedelta(minutes=70), email="second@edit.test")
    world.now = T0 + timedelta(hours=2)
    outcome = world.run()
    assert "2 checked" in outcome and "1 already applied" in outcome and "1 updated in QuickBooks" in outcome
    assert [qbo_id for qbo_id, _ in world.qbo.updates] == ["1", "2"]


def _edited_in_hubspot(world: ReconcileWorld, count: int) -> None:
    """`count` linked contacts whose HubSpot-owned e-mail a user changed, a second apart, no webhook carried."""
    world.both_ways(owners={"email": FieldOwner.HUBSPOT})
    world.two_way_since(T0)
    ids = _linked_contacts(world, count, T0 - timedelta(days=1))
    for n, hubspot_id in enumerate(ids):
        world.edit(hubspot_id, T0 + timedelta(minutes=1, seconds=n), email=f"new{n}@edit.test")
    world.now = T0 + timedelta(hours=1)


def test_a_run_out_of_time_resumes_where_it_stopped_and_applies_each_record_once(world) -> None:
    _edited_in_hubspot(world, 230)
    world.budget = Budget(checks=2)  # time for two chunks of 50
    report = world.reconciliation.reconcile(SCOPE)
    outcome = report.describe()
    assert "stopped for time" in outcome and len(world.qbo.updates) == 100
    assert report.unfinished  # progress made: worth going on at once
    assert world.bookmark().changed_since == T0 + timedelta(minutes=1, seconds=99)  # the last applied record's stamp
    world.budget = Budget(checks=0)  # an invocation with no time left gets nowhere and says so
    stuck = world.reconciliation.reconcile(SCOPE)
    assert "stopped for time" in stuck.describe() and not stuck.unfinished and len(world.qbo.updates) == 100
    world.budget = Budget()
    world.now += timedelta(hours=1)
    outcome = world.run()
    assert "130 updated in QuickBooks" in outcome and "stopped" not in outcome, outcome
    assert sorted(int(qbo_id) for qbo_id, _ in world.qbo.updates) == list(range(1, 231))  # each exactly once


def test_an_outage_keeps_the_bookmark_after_the_last_applied_chunk(world) -> None:
    _edited_in_hubspot(world, 120)
    real_update = world.qbo.update

    def update_until_down(*args: object, **kwargs: object) -> dict[str, object]:
        if len(world.qbo.updates) >= 60:
            raise ConnectionError("QuickBooks is down")
        return real_update(*args, **kwargs)  # type: ignore[arg-type]

    world.qbo.update = update_until_down  # type: ignore[method-assign]
    with pytest.raises(HubSpotReconcileFailedError, match="QuickBooks is down"):
        world.run()
    assert world.bookmark().changed_since == T0 + timedelta(minutes=1, seconds=49)  # the first chunk of 50
    world.qbo.update = real_update  # type: ignore[method-assign]
    world.now += timedelta(hours=1)
    outcome = world.run()
    # The second chunk again: its first ten were written before the outage and are now unchanged.
    assert "60 updated in QuickBooks" in outcome and "10 unchanged" in outcome, outcome


def test_unlinked_records_are_handed_over_only_when_new_since_two_way(world) -> None:
    world.both_ways(owners={"email": FieldOwner.HUBSPOT}, on_hubspot_create_update=OnCreateUpdate.CREATE_AND_UPDATE)
    world.two_way_since(T0)
    old = world.crm.add("contacts", firstname="Old", lastname="Lead", email="old@lead.test")
    world.search.stamp(old, T0 + timedelta(minutes=5), created=T0 - timedelta(days=300))  # an e-mail open, say
    new = world.crm.add("contacts", firstname="New", lastname="Client", email="new@client.test")
    world.search.stamp(new, T0 + timedelta(minutes=6), created=T0 + timedelta(minutes=6))
    world.now = T0 + timedelta(hours=1)
    outcome = world.run()
    assert "1 not linked, older than two-way: left alone" in outcome and "1 created in QuickBooks" in outcome
    assert [c["DisplayName"] for c in world.qbo.creates] == ["New Client"]


def test_one_way_objects_cost_no_search(world: ReconcileWorld) -> None:
    world.turn_on(SyncObject.CONTACTS)
    assert world.run() == "no object syncs both ways" and world.search.calls == []


def test_prefetched_reads_fall_back_to_hubspot_for_anything_the_page_lacks(world: ReconcileWorld) -> None:
    hubspot_id = world.crm.add("contacts", email="a@b.test", phone="555")
    world.search.stamp(hubspot_id, T0)
    world.prefetched.keep([world.search._record(hubspot_id, ["email"])], ["email"])
    crm = PrefetchedCrm(world.crm, world.prefetched)
    assert crm.read("contacts", [hubspot_id], ["email"])[hubspot_id].properties == {"email": "a@b.test"}
    assert world.crm.calls.get("read") is None
    assert crm.read("contacts", [hubspot_id], ["email", "phone"])[hubspot_id].properties["phone"] == "555"
    assert world.crm.calls["read"] == 1


def test_the_engine_gets_the_records_last_modified_time_as_the_change_time(world: ReconcileWorld) -> None:
    seen: list[ObjectChanges] = []

    class Recorder:
        def apply(self, scope: CompanyScope, sync_object: SyncObject, changes: ObjectChanges) -> dict[str, int]:
            seen.append(changes)
            return {}

    world.reconciliation._ports.two_way = Recorder()
    world.both_ways()
    world.two_way_since(T0)
    (hubspot_id,) = _linked_contacts(world, 1, T0 + timedelta(minutes=7))
    world.now = T0 + timedelta(hours=1)
    world.run()
    assert seen == [ObjectChanges(changed={hubspot_id: T0 + timedelta(minutes=7)})]


def test_sync_health_says_when_hubspot_changes_have_not_reached_quickbooks_for_hours(world: ReconcileWorld) -> None:
    world.both_ways()
    world.two_way_since(T0)
    configs = [c for o in SyncObject if (c := world.configs.get(1, "9130", o)) is not None]
    # Turned on an hour ago, never reconciled yet: not behind.
    assert behind_in_quickbooks(SCOPE, configs, world.bookmarks, T0 + timedelta(hours=1)) == []
    assert behind_in_quickbooks(SCOPE, configs, world.bookmarks, T0 + timedelta(hours=4)) == [
        "HubSpot changes to contacts have not been confirmed in QuickBooks for over 3 hours; the hourly "
        "reconciliation sends them once it succeeds."]
    world.now = T0 + timedelta(hours=4)
    world.run()  # a run that reaches the end moves the bookmark to its start
    assert behind_in_quickbooks(SCOPE, configs, world.bookmarks, T0 + timedelta(hours=5)) == []
    world.turn_on(SyncObject.CONTACTS)  # one way again: nothing to say
    configs = [c for o in SyncObject if (c := world.configs.get(1, "9130", o)) is not None]
    assert behind_in_quickbooks(SCOPE, configs, world.bookmarks, T0 + timedelta(days=9)) == []
