"""Our QBO client against the simulator: idempotent creates, typed faults, paging, CDC, the forced refresh."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from hubbooks.adapters.qbo.client import QboClient
from hubbooks.adapters.qbo.factory import qbo_client, qbo_session, qbo_token_manager
from hubbooks.adapters.qbo.rate_budget import RealmBudgets
from hubbooks.adapters.qbo.tokens import ManagedTokens
from hubbooks.adapters.qbo.transport import QboTransport
from hubbooks.domain.qbo_errors import QboDuplicateNameError, QboStaleObjectError
from tests.functional.qbo.conftest import QboSim, connect

PORTAL = 42


@pytest.fixture
def company(qbo_sim: QboSim) -> tuple[QboSim, str, QboClient]:
    realm = qbo_sim.new_company("Client Co", "US")
    connect(qbo_sim, PORTAL, realm)
    return qbo_sim, realm, qbo_client(PORTAL, realm)


def test_a_repeated_request_id_creates_once(company) -> None:
    _, _, client = company
    first = client.create("Customer", {"DisplayName": "Jane Doe"}, request_id="deal-1-customer")
    again = client.create("Customer", {"DisplayName": "Jane Doe"}, request_id="deal-1-customer")
    assert first["Id"] == again["Id"]
    with pytest.raises(QboDuplicateNameError) as duplicate:
        client.create("Customer", {"DisplayName": "Jane Doe"})
    assert duplicate.value.fault_code == "6240" and duplicate.value.status_code == 409


def test_a_stale_sync_token_is_a_typed_error(company) -> None:
    _, _, client = company
    customer = client.create("Customer", {"DisplayName": "Stale Sam"})
    client.sparse_update("Customer", customer["Id"], customer["SyncToken"], {"CompanyName": "One"})
    with pytest.raises(QboStaleObjectError) as stale:
        client.sparse_update("Customer", customer["Id"], customer["SyncToken"], {"CompanyName": "Two"})
    assert stale.value.fault_code == "5010"


def test_query_pages_and_cdc_see_every_customer(company) -> None:
    _, _, client = company
    since = datetime.now(UTC) - timedelta(minutes=5)
    for index in range(7):
        client.create("Customer", {"DisplayName": f"Pager {index}"})
    names = [row["DisplayName"] for row in client.query_all("SELECT * FROM Customer ORDERBY Id", page_size=3)]
    assert [n for n in names if n.startswith("Pager")] == [f"Pager {i}" for i in range(7)]
    assert client.count("Customer") == len(names)
    items = client.count("Item")
    batches_before = _batch_calls(company[0])
    assert client.counts(["Customer", "Item", "Customer"]) == {"Customer": len(names), "Item": items}
    assert _batch_calls(company[0]) == batches_before + 1  # both counted in one batch request
    changed = {c.object["DisplayName"] for c in client.changes_since(["Customer"], since) if not c.deleted}
    assert {f"Pager {i}" for i in range(7)} <= changed


def test_an_access_token_qbo_rejects_is_refreshed_once_and_the_call_succeeds(company) -> None:
    sim, realm, _ = company
    sim.control("POST", "clock", {"advance_seconds": 3700})  # QBO's hour is over; our record does not know yet
    before = sim.token_calls()
    manager = qbo_token_manager()
    assert qbo_client(PORTAL, realm, token_manager=manager).preferences()["CurrencyPrefs"]["HomeCurrency"] == {
        "value": "USD"}
    assert sim.token_calls() - before == 1 and manager.refreshes == 1


def test_throttling_is_waited_out_and_retried(company) -> None:
    sim, realm, _ = company
    sim.control("POST", "config", {"rate_limit_per_minute": 3})
    waits: list[float] = []

    def wait_on_the_simulators_clock(seconds: float) -> None:
        waits.append(seconds)
        sim.control("POST", "clock", {"advance_seconds": 61})

    transport = QboTransport(qbo_session(), sim.url, ManagedTokens(qbo_token_manager(), PORTAL),
                             budgets=RealmBudgets(), sleep=wait_on_the_simulators_clock)
    client = QboClient(transport, realm)
    counts = [client.count("Item") for _ in range(4)]  # the fourth call inside the minute gets a 429 first
    assert counts == [counts[0]] * 4 and len(waits) == 1


def _batch_calls(sim: QboSim) -> int:
    return sum(sim.control("GET", "stats")["endpoints"].get("POST /v3/company/<realm>/batch", {}).values())
