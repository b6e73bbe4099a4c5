"""Lazily built, cached boto3 clients: nothing talks to AWS at import time (cold starts, tests under moto).

AWS_ENDPOINT_URL (honoured by boto3 itself) points them at the local sandbox without code branches.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import Any

import boto3
from botocore.config import Config

_CLIENT_CONFIG = Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 4, "mode": "standard"})


@cache
def aws_client(service: str) -> Any:
    return boto3.client(service, config=_CLIENT_CONFIG)


@cache
def dynamodb_table(name: str) -> Any:
    return boto3.resource("dynamodb", config=_CLIENT_CONFIG).Table(name)


class _ThreadTables(threading.local):
    own = False  # set in worker threads by `use_own_tables_in_this_thread`
    generation = -1
    tables: dict[str, Any]


_thread_tables = _ThreadTables()
_generation = 0


class _ThreadSafeTable:
    """A DynamoDB Table to share between threads: each thread talks through its own resource (boto3 resources are
    not thread-safe: the DynamoDB one builds every condition expression with one shared builder). A request's own
    thread uses the cached `dynamodb_table`; worker threads (adapters/parallel_calls.py) build theirs once, each from
    its own session."""

    def __init__(self, name: str) -> None:
        self._name = name

    def _table(self) -> Any:
        local = _thread_tables
        if not local.own:
            return dynamodb_table(self._name)
        if local.generation != _generation:
            local.generation, local.tables = _generation, {}
        table = local.tables.get(self._name)
        if table is None:
            table = local.tables[self._name] = boto3.session.Session().resource(
                "dynamodb", config=_CLIENT_CONFIG).Table(self._name)
        return table

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._table(), attribute)


def use_own_tables_in_this_thread() -> None:
    """For worker threads' initialiser: tables from `thread_safe_table` then use this thread's own resource."""
    _thread_tables.own = True


@cache
def thread_safe_table(name: str) -> Any:
    return _ThreadSafeTable(name)


def reset_clients() -> None:
    """Forget cached clients (tests switch AWS stand-ins between cases); threads rebuild theirs on next use."""
    global _generation
    aws_client.cache_clear()
    dynamodb_table.cache_clear()
    _generation += 1
