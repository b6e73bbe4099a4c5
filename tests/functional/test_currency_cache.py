"""The company-currency cache answers while fresh and steps aside once stale."""

from __future__ import annotations

from hubbooks.adapters.aws.clients import dynamodb_table
from hubbooks.adapters.storage import table_keys
from hubbooks.adapters.storage.currency_cache import FRESH_FOR_SECONDS, DynamoCurrencyCache
from hubbooks.config import get_settings


def test_cached_currency_expires_after_its_freshness_window(aws) -> None:
    now = [1_800_000_000.0]
    cache = DynamoCurrencyCache(dynamodb_table(get_settings().app_table_name), clock=lambda: now[0])
    assert cache.get(42) is None
    cache.put(42, "EUR")
    assert cache.get(42) == "EUR" and cache.get(43) is None
    now[0] += FRESH_FOR_SECONDS - 1
    assert cache.get(42) == "EUR"
    now[0] += 2
    assert cache.get(42) is None


def test_a_warm_container_answers_from_memory_until_the_same_freshness_runs_out(aws) -> None:
    now = [1_800_000_000.0]
    table = dynamodb_table(get_settings().app_table_name)
    DynamoCurrencyCache(table, clock=lambda: now[0]).put(42, "EUR")
    table.delete_item(Key=table_keys.company_currency_cache_key(42))  # only memory can answer now
    cache = DynamoCurrencyCache(table, clock=lambda: now[0])
    assert cache.get(42) == "EUR"
    now[0] += FRESH_FOR_SECONDS + 1
    assert cache.get(42) is None
