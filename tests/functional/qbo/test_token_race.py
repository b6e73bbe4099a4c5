"""Twenty concurrent invocations holding an expired QuickBooks token: exactly one refresh at Intuit (the simulator
rotating strictly, so a second refresh with the old token would fail), no failures, and the newest refresh token
is the one stored (DynamoDB under moto, tokens KMS-encrypted)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from moto.dynamodb.responses import DynamoHandler

from hubbooks.adapters.qbo.factory import qbo_client, qbo_token_manager
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.models.tokens import GrantKey, Provider
from tests.functional.qbo.conftest import QboSim, connect

PORTAL = 42
INVOCATIONS = 20


@pytest.fixture
def atomic_dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """DynamoDB answers each request atomically: a write is never half visible and a read returns a snapshot.
    moto does not: it checks a condition and then writes attribute by attribute without a lock, and it turns the very
    item object it stores into the answer after its backend call returns, so a GetItem serialising an item (or an
    UpdateItem copying it) while another thread's UpdateItem adds or removes the lease attributes fails with
    "dictionary changed size during iteration" (about 1 full run in 10 with 20 threads; reproduced in isolation with
    a shorter thread switch interval). Locking moto's backend methods left that serialisation outside the lock;
    serialising moto's whole DynamoDB request handling gives back the real service's guarantees. This is the test
    double's limitation: the product's clients and token store hold no shared mutable state between threads."""
    lock = threading.RLock()
    original = DynamoHandler.call_action

    def atomic(self: DynamoHandler) -> object:
        with lock:
            return original(self)

    monkeypatch.setattr(DynamoHandler, "call_action", atomic)
    yield


def test_twenty_invocations_with_an_expired_token_cause_exactly_one_refresh(qbo_sim: QboSim,
                                                                             atomic_dynamodb: None) -> None:
    qbo_sim.control("POST", "config", {"old_refresh_token": "strict", "token_rotation": "every"})
    realm = qbo_sim.new_company("Busy Co", "US")
    connect(qbo_sim, PORTAL, realm)
    key = GrantKey(provider=Provider.QBO, portal_id=PORTAL, realm_id=realm)
    store = dynamo_token_store()
    grant = store.load(key)
    assert grant is not None
    # An hour later: Intuit's access token has expired, and so has the one we stored.
    qbo_sim.control("POST", "clock", {"advance_seconds": 3700})
    store.put(key, grant.tokens.model_copy(update={"access_expires_at": datetime.now(UTC) - timedelta(minutes=1)}))
    tokens_before = qbo_sim.token_calls()
    barrier = threading.Barrier(INVOCATIONS)

    def invocation() -> str:
        manager = qbo_token_manager()  # one per invocation, as separate Lambda instances would have
        client = qbo_client(PORTAL, realm, token_manager=manager)
        barrier.wait()
        return str(client.company_info()["CompanyName"])

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=INVOCATIONS) as pool:
        futures = [pool.submit(invocation) for _ in range(INVOCATIONS)]
        outcomes = [f.exception() or f.result() for f in futures]
    elapsed = time.perf_counter() - started

    failures = [o for o in outcomes if isinstance(o, BaseException)]
    refreshes = qbo_sim.token_calls() - tokens_before
    print(f"\ntoken race: {INVOCATIONS} invocations, {refreshes} refresh(es), {len(failures)} failure(s), "
          f"{elapsed:.2f} s wall time {[repr(f) for f in failures]}")
    assert failures == []
    assert outcomes == ["Busy Co"] * INVOCATIONS
    assert refreshes == 1
    stored = store.load(key)
    assert stored is not None and stored.version == grant.version + 2  # the test's put, then the one refresh
    # The stored refresh token is Intuit's live one: it refreshes, and (strict rotation) the old one does not.
    assert qbo_token_manager().current_grant(key, force_refresh_from_version=stored.version).version \
        == stored.version + 1
