"""The change engine: webhook references read once per type, reconciliation from bookmarks, full re-reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hubbooks.domain.changes.engine import BOOKMARK_OVERLAP, CDC_WINDOW, ChangeEngine, ReconcileFailedError
from hubbooks.domain.changes.registry import ApplierRegistry
from hubbooks.models.changes import ChangeBookmark, CompanyScope
from tests.unit.changes.fakes import FakeBookmarks, FakeCompanyChanges, FakeSources, RecordingApplier

SCOPE = CompanyScope(portal_id=7, realm_id="9130")
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _engine(*appliers: RecordingApplier, company: FakeCompanyChanges | None = None,
            bookmarks: FakeBookmarks | None = None, now: datetime = NOW):
    registry = ApplierRegistry()
    for applier in appliers:
        registry.register(applier)
    company = company or FakeCompanyChanges()
    bookmarks = bookmarks or FakeBookmarks()
    return ChangeEngine(registry, FakeSources(company), bookmarks, clock=lambda: now), company, bookmarks


def test_references_are_deduplicated_and_read_with_one_query_per_type() -> None:
    invoices, payments = RecordingApplier("Invoice"), RecordingApplier("Payment")
    engine, company, _ = _engine(invoices, payments)
    company.put("Invoice", "1", NOW, Balance=10)
    company.put("Payment", "5", NOW, TotalAmt=4)
    refs = [("Payment", "5"), ("Invoice", "1"), ("Invoice", "1"), ("Invoice", "2"), ("Customer", "3")]
    results = engine.apply_references(SCOPE, refs)
    assert [r.entity for r in results] == ["Invoice", "Payment"]  # registration order, whatever the arrival order
    assert company.calls == [("current", ("Invoice", ("1", "2"))), ("current", ("Payment", ("5",)))]
    assert invoices.batches == [["1", "2"]] and "2" not in invoices.state  # absent in QuickBooks: deleted


def test_registering_two_appliers_for_one_type_is_refused() -> None:
    registry = ApplierRegistry().register(RecordingApplier("Invoice"))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(RecordingApplier("Invoice"))


def test_first_reconciliation_reads_in_full_then_follows_cdc_from_the_bookmark() -> None:
    invoices = RecordingApplier("Invoice")
    engine, company, bookmarks = _engine(invoices)
    company.put("Invoice", "1", NOW - timedelta(days=90), Balance=10)
    report = engine.reconcile(SCOPE)
    assert report.full_reads == ["Invoice"] and invoices.state == {"1": {"Id": "1", "Balance": 10}}
    saved = bookmarks.get(SCOPE, "Invoice")
    assert saved is not None and saved.changed_since == NOW - BOOKMARK_OVERLAP and saved.full_read_at == NOW

    later = NOW + timedelta(hours=1)
    engine2, _, _ = _engine(invoices, company=company, bookmarks=bookmarks, now=later)
    company.put("Invoice", "1", later - timedelta(minutes=10), Balance=0)
    company.put("Invoice", "2", later - timedelta(minutes=9), Balance=5)
    report = engine2.reconcile(SCOPE)
    assert report.full_reads == [] and company.calls[-1][0] == "cdc"
    assert invoices.state == {"1": {"Id": "1", "Balance": 0}, "2": {"Id": "2", "Balance": 5}}


def test_a_bookmark_older_than_the_cdc_window_means_a_full_read_that_also_finds_deletions() -> None:
    invoices = RecordingApplier("Invoice")
    invoices.state = {"1": {"Id": "1"}, "gone": {"Id": "gone"}}
    bookmarks = FakeBookmarks()
    bookmarks.save(ChangeBookmark(portal_id=7, realm_id="9130", entity="Invoice", changed_since=NOW - CDC_WINDOW,
                                  updated_at=NOW - CDC_WINDOW))
    engine, company, _ = _engine(invoices, bookmarks=bookmarks)
    company.put("Invoice", "1", NOW - timedelta(days=40))
    report = engine.reconcile(SCOPE)
    assert report.full_reads == ["Invoice"] and set(invoices.state) == {"1"}


def test_a_failing_type_keeps_its_bookmark_while_the_others_move_on() -> None:
    invoices, payments = RecordingApplier("Invoice"), RecordingApplier("Payment", fail=True)
    bookmarks = FakeBookmarks()
    start = NOW - timedelta(hours=2)
    for entity in ("Invoice", "Payment"):
        bookmarks.save(ChangeBookmark(portal_id=7, realm_id="9130", entity=entity, changed_since=start,
                                      updated_at=start))
    engine, company, _ = _engine(invoices, payments, bookmarks=bookmarks)
    company.put("Invoice", "1", NOW - timedelta(hours=1))
    company.put("Payment", "5", NOW - timedelta(hours=1))
    with pytest.raises(ReconcileFailedError) as failed:
        engine.reconcile(SCOPE)
    assert "Payment" in failed.value.report.failures and "HubSpot answered 429" in failed.value.report.describe()
    assert bookmarks.get(SCOPE, "Payment").changed_since == start  # type: ignore[union-attr]
    assert bookmarks.get(SCOPE, "Invoice").changed_since == NOW - BOOKMARK_OVERLAP  # type: ignore[union-attr]


def test_quickbooks_failing_mid_read_moves_no_bookmark() -> None:
    invoices = RecordingApplier("Invoice")
    bookmarks = FakeBookmarks()
    bookmarks.save(ChangeBookmark(portal_id=7, realm_id="9130", entity="Invoice",
                                  changed_since=NOW - timedelta(hours=1), updated_at=NOW))
    engine, company, _ = _engine(invoices, bookmarks=bookmarks)
    company.fail_reads = True
    with pytest.raises(ReconcileFailedError):
        engine.reconcile(SCOPE)
    assert bookmarks.get(SCOPE, "Invoice").changed_since == NOW - timedelta(hours=1)  # type: ignore[union-attr]


def test_large_change_sets_are_applied_in_bounded_batches() -> None:
    invoices = RecordingApplier("Invoice")
    engine, company, _ = _engine(invoices)
    for n in range(450):
        company.put("Invoice", f"{n:04}", NOW - timedelta(days=1))
    engine.reconcile(SCOPE)
    assert [len(b) for b in invoices.batches] == [200, 200, 50]
