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
from moto.dynamodb.models import DynamoDBBackend

from hubbooks.adapters.qbo.factory import qbo_client, qbo_token_manager
from hubbooks.adapters.storage.token_store import dynamo_token_store
from hubbooks.models.tokens import GrantKey, Provider
from tests.functional.qbo.conftest import QboSim, connect

PORTAL = 42
INVOCATIONS = 20


@pytest.fixture
def atomic_dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """DynamoDB applies each write atomically and never shows half of one; moto checks a condition and then
    writes attribute by attribute without a lock, so threads could both pass one condition or read a half-updated
    item. Serialising moto's item operations gives back the real service's guarantees."""
    lock = threading.RLock()
    for name in ("update_item", "put_item", "delete_item", "get_item"):
        original = getattr(DynamoDBBackend, name)

        def locked(self, *args, _original=original, **kwargs):
            with lock:
                return _original(self, *args, **kwargs)

        monkeypatch.setattr(DynamoDBBackend, name, locked)
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
