"""Auto-linking's DynamoDB records on moto: the switch and when it was turned on, placements kept per invoice (added
to, never replaced), and the invoice backfill's run moved on only from the version it was read at."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage.autolink_run_store import DynamoAutoLinkRuns
from hubbooks.adapters.storage.autolink_store import DynamoAutoLinkState
from hubbooks.adapters.storage.sync_store import DynamoBackfillRuns
from hubbooks.config import get_settings
from hubbooks.domain.paged_runs import BackfillBusyError, BackfillChangedError
from hubbooks.models.autolink import AutoLinkRun, AutoLinkSettings
from hubbooks.models.invoicing import HubSpotObjectType
from hubbooks.models.sync import BackfillRun, BackfillStatus, SyncObject
from sandbox.aws.provision import ProvisionedStack

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
CONTACT = (HubSpotObjectType.CONTACT, "51")
COMPANY = (HubSpotObjectType.COMPANY, "7")


def _table():  # type: ignore[no-untyped-def]
    return dynamodb_table(get_settings().app_table_name)


def test_the_switch_and_placements(aws: ProvisionedStack) -> None:
    state = DynamoAutoLinkState(_table())
    assert state.enabled_since(1, "9") is None  # off by default
    state.save_settings(AutoLinkSettings(portal_id=1, realm_id="9", enabled=True, enabled_at=NOW, updated_at=NOW))
    assert state.enabled_since(1, "9") == NOW
    assert state.enabled_since(1, "10") is None  # per company

    assert state.placed(1, "9", ["300"]) == {}
    state.record_placed(1, "9", "300", [CONTACT], NOW)
    state.record_placed(1, "9", "300", [COMPANY, CONTACT], NOW)
    ids = [str(n) for n in range(250)]  # more than one BatchGetItem
    for invoice_id in ids[:3]:
        state.record_placed(1, "9", invoice_id, [COMPANY], NOW)
    found = state.placed(1, "9", ["300", *ids])
    assert found["300"] == {CONTACT, COMPANY}
    assert set(found) == {"300", "0", "1", "2"}


def _run(run_id: str = "r1") -> AutoLinkRun:
    return AutoLinkRun(run_id=run_id, portal_id=1, realm_id="9", date_from=date(2026, 1, 1),
                       date_to=date(2026, 3, 31), dry_run=True, started_at=NOW, updated_at=NOW)


def test_one_active_run_moved_on_from_its_version(aws: ProvisionedStack) -> None:
    runs = DynamoAutoLinkRuns(_table())
    runs.start(_run())
    with pytest.raises(BackfillBusyError, match="invoice backfill"):
        runs.start(_run("r2"))
    first = runs.current(1, "9")
    assert first is not None
    saved = runs.save(first.model_copy(update={"status": BackfillStatus.RUNNING, "next_start": 201}))
    with pytest.raises(BackfillChangedError):
        runs.save(first)  # a duplicate page read the same version
    runs.save(saved.model_copy(update={"status": BackfillStatus.DONE}))
    runs.start(_run("r3"))  # the last one is over
    current = runs.current(1, "9")
    assert current is not None and current.run_id == "r3"

    # The sync's backfill keeps its own record: an invoice backfill never blocks a contact backfill.
    DynamoBackfillRuns(_table()).start(BackfillRun(run_id="s1", portal_id=1, realm_id="9",
                                                   objects=(SyncObject.CONTACTS,), dry_run=True, started_at=NOW,
                                                   updated_at=NOW))
