"""The token manager: one refresh per expiry however many invocations race, rotation always saved, revocations
reported, and the keep-alive renewing old grants."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from hubbooks.domain.auth.token_manager import KeepAliveOutcome, TokenManager, WarmGrants
from hubbooks.domain.errors import TenantNotConnectedError
from hubbooks.models.tokens import GrantKey, Provider
from tests.unit.qbo.fakes import MemoryTokenStore, StrictIntuit, tokens

KEY = GrantKey(provider=Provider.QBO, portal_id=42, realm_id="9130")


def test_twenty_concurrent_invocations_with_an_expired_token_refresh_exactly_once() -> None:
    store = MemoryTokenStore(time.time)
    store.put(KEY, tokens("at-expired", "rt-0", time.time() - 10))
    intuit = StrictIntuit(time.time, delay=0.05)
    barrier = threading.Barrier(20)

    def invocation() -> str:
        manager = TokenManager(store, intuit.refresh)  # each invocation has its own manager, as in Lambda
        barrier.wait()
        return manager.access_token(KEY)

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: invocation(), range(20)))

    assert intuit.refresh_calls == 1
    assert results == ["at-1"] * 20
    stored = store.load(KEY)
    assert stored is not None and stored.tokens.refresh_token == intuit.live_refresh_token == "rt-1"


def test_a_fresh_token_is_not_refreshed() -> None:
    store = MemoryTokenStore(time.time)
    store.put(KEY, tokens("at-good", "rt-0", time.time() + 3000))
    intuit = StrictIntuit(time.time)
    assert TokenManager(store, intuit.refresh).access_token(KEY) == "at-good"
    assert intuit.refresh_calls == 0


def test_a_token_inside_the_refresh_margin_is_refreshed_ahead_of_expiry() -> None:
    store = MemoryTokenStore(time.time)
    store.put(KEY, tokens("at-soon", "rt-0", time.time() + 120))
    intuit = StrictIntuit(time.time)
    assert TokenManager(store, intuit.refresh).access_token(KEY) == "at-1"


def test_a_revoked_grant_is_reported_once_and_raises_not_connected() -> None:
    store = MemoryTokenStore(time.time)
    store.put(KEY, tokens("at-old", "rt-0", time.time() - 1))
    intuit = StrictIntuit(time.time)
    intuit.revoked = True
    reported: list[GrantKey] = []
    manager = TokenManager(store, intuit.refresh, on_grant_revoked=reported.append,
                           not_connected_message="reconnect please")
    with pytest.raises(TenantNotConnectedError, match="reconnect please"):
        manager.access_token(KEY)
    assert reported == [KEY]


def test_invalid_grant_after_someone_else_rotated_is_not_a_revocation() -> None:
    """A lease holder that overran its lease gets invalid_grant for the old token; the newer grant wins."""
    store = MemoryTokenStore(time.time)
    store.put(KEY, tokens("at-old", "rt-0", time.time() - 1))
    intuit = StrictIntuit(time.time)

    def refresh_after_a_rival(refresh_token: str):
        rival = store.load(KEY)
        assert rival is not None
        store.replace(rival, intuit.refresh(refresh_token))  # the rival rotates first ...
        return intuit.refresh(refresh_token)  # ... so our call with the same old token is refused

    reported: list[GrantKey] = []
    manager = TokenManager(store, refresh_after_a_rival, on_grant_revoked=reported.append)
    assert manager.access_token(KEY) == "at-1"
    assert reported == []


def test_a_rejected_token_forces_one_refresh_past_its_version() -> None:
    store = MemoryTokenStore(time.time)
    first = store.put(KEY, tokens("at-good", "rt-0", time.time() + 3000))
    intuit = StrictIntuit(time.time)
    manager = TokenManager(store, intuit.refresh)
    renewed = manager.current_grant(KEY, force_refresh_from_version=first.version)
    assert renewed.version == first.version + 1 and renewed.tokens.access_token == "at-1"
    assert manager.current_grant(KEY).tokens.access_token == "at-1"
    assert intuit.refresh_calls == 1


def test_keep_alive_renews_grants_older_than_the_threshold_only() -> None:
    now = [1_000_000.0]
    store = MemoryTokenStore(lambda: now[0])
    store.put(KEY, tokens("at-good", "rt-0", now[0] + 3000))
    intuit = StrictIntuit(lambda: now[0])
    manager = TokenManager(store, intuit.refresh, clock=lambda: now[0])

    assert manager.keep_alive(KEY, max_refresh_age=timedelta(hours=24)) is KeepAliveOutcome.FRESH
    now[0] += 25 * 3600
    store.items[KEY]["tokens"] = tokens("at-good", "rt-0", now[0] + 3000)  # access token still valid
    assert manager.keep_alive(KEY, max_refresh_age=timedelta(hours=24)) is KeepAliveOutcome.REFRESHED
    assert intuit.refresh_calls == 1
    assert manager.keep_alive(KEY, max_refresh_age=timedelta(hours=24)) is KeepAliveOutcome.FRESH


def test_missing_grant_is_not_connected() -> None:
    manager = TokenManager(MemoryTokenStore(time.time), StrictIntuit(time.time).refresh)
    with pytest.raises(TenantNotConnectedError):
        manager.access_token(KEY)


class CountingStore(MemoryTokenStore):
    def __init__(self, clock) -> None:  # type: ignore[no-untyped-def]
        super().__init__(clock)
        self.loads = 0

    def load(self, key):  # type: ignore[no-untyped-def]
        self.loads += 1
        return super().load(key)


def test_warm_invocations_reuse_the_decrypted_grant_until_it_needs_refreshing() -> None:
    now = [time.time()]
    store = CountingStore(lambda: now[0])
    store.put(KEY, tokens("at-good", "rt-0", now[0] + 3000))
    intuit = StrictIntuit(lambda: now[0])
    warm = WarmGrants()

    def invocation() -> str:
        return TokenManager(store, intuit.refresh, warm=warm, clock=lambda: now[0]).access_token(KEY)

    assert [invocation() for _ in range(3)] == ["at-good"] * 3
    assert store.loads == 1  # the two warm invocations read nothing

    rejected = warm.get(KEY)
    assert rejected is not None  # QuickBooks answered 401 to it: the next grant comes from the store, refreshed
    fresh = TokenManager(store, intuit.refresh, warm=warm, clock=lambda: now[0]).current_grant(
        KEY, force_refresh_from_version=rejected.version)
    assert fresh.tokens.access_token == "at-1" and invocation() == "at-1"

    now[0] += 3600  # past expiry: the warm copy is not used, the store and Intuit are
    assert invocation() == "at-2" and intuit.refresh_calls == 2


def test_a_warm_grant_with_a_maximum_age_is_read_again_after_it_and_when_dropped() -> None:
    now = [time.time()]
    store = CountingStore(lambda: now[0])
    store.put(KEY, tokens("at-good", "rt-0", now[0] + 3000))
    warm = WarmGrants(max_age_seconds=60, clock=lambda: now[0])

    def invocation() -> str:
        return TokenManager(store, StrictIntuit(lambda: now[0]).refresh, warm=warm, clock=lambda: now[0]
                            ).access_token(KEY)

    assert [invocation() for _ in range(3)] == ["at-good"] * 3 and store.loads == 1
    now[0] += 61  # another container may have deleted the grant (uninstall): look again
    assert invocation() == "at-good" and store.loads == 2
    assert warm.forget(KEY) is True and warm.forget(KEY) is False
    store.delete(KEY)
    with pytest.raises(TenantNotConnectedError):
        invocation()


def test_one_manager_reads_the_grant_once_while_it_is_good_and_again_after_a_rejection() -> None:
    store = MemoryTokenStore(time.time)
    store.put(KEY, tokens("at-good", "rt-0", time.time() + 3000))
    loads = {"n": 0}
    original = store.load

    def counting_load(key: GrantKey):  # type: ignore[no-untyped-def]
        loads["n"] += 1
        return original(key)

    store.load = counting_load  # type: ignore[method-assign]
    intuit = StrictIntuit(time.time)
    manager = TokenManager(store, intuit.refresh)
    assert [manager.access_token(KEY) for _ in range(5)] == ["at-good"] * 5
    assert loads["n"] == 1
    rejected = manager.current_grant(KEY)
    renewed = manager.current_grant(KEY, force_refresh_from_version=rejected.version)  # the provider said 401
    assert renewed.tokens.access_token == "at-1" and intuit.refresh_calls == 1
    assert manager.access_token(KEY) == "at-1"
