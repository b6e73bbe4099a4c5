"""The running invocation's deadline, for the clients a worker builds while it handles a message (both SQS workers).

Apart from the webhook wiring (webhooks.py), so that the sync worker, whose jobs each load their own code
(jobs.py), does not load the live-status ports and the change engine with its handler."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.http_retry import Deadline

_context: list[Any] = []


def use_lambda_context(context: Any) -> None:
    """Clients built for later changes stop retrying before the invocation runs out of time."""
    _context[:] = [context]


def current_deadline() -> Deadline:
    return Deadline.from_lambda_context(_context[0]) if _context else Deadline()
