"""Independent provider reads made at once: a request's latency becomes its slowest read, not the sum of them.

A small pool lives for the life of the container (threads start on first use, never at import). Each call keeps
its own timeout and retries; this only overlaps the waiting. DynamoDB reads made from pool threads must go through
`adapters.aws.clients.thread_safe_table`, since a boto3 resource is not safe to share between threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from hubbooks.adapters.aws.clients import use_own_tables_in_this_thread

# QuickBooks allows 10 requests in flight per company; a card reads a handful of companies and tables at most.
MAX_PARALLEL_CALLS = 8

_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _shared_pool() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=MAX_PARALLEL_CALLS, thread_name_prefix="hubbooks-call",
                                       initializer=use_own_tables_in_this_thread)
        return _pool


def run_all(calls: Sequence[Callable[[], Any]]) -> list[Any]:
    """Every call's result, in the calls' order. The first runs on this thread while the others run in the pool;
    if any raises, the first such error (in the calls' order) is raised once all have finished."""
    if len(calls) <= 1:
        return [call() for call in calls]
    futures = [_shared_pool().submit(call) for call in calls[1:]]
    first_error: BaseException | None = None
    results: list[Any] = []
    try:
        results.append(calls[0]())
    except BaseException as error:
        first_error = error
        results.append(None)
    for future in futures:
        try:
            results.append(future.result())
        except BaseException as error:
            first_error = first_error or error
            results.append(None)
    if first_error is not None:
        raise first_error
    return results
