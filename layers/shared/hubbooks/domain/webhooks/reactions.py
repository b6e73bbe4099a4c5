"""Which provider changes HubBooks reacts to outside the change engine. Features register their reactions here.

QuickBooks entity types with a change-engine applier (Invoice, Payment, CreditMemo, and what the sync registers) go
through the engine (domain/changes); the dispatcher built here handles every other QuickBooks entity and HubSpot
events. A change nothing reacts to is acknowledged with a plain outcome (the worker logs it); a provider outage
raises, so SQS retries the message and, after maxReceiveCount, moves it to the dead-letter queue.
"""

from __future__ import annotations

from collections.abc import Callable

from hubbooks.domain.invoicing.live_ports import LiveStatusPorts
from hubbooks.domain.webhooks.dispatch import WebhookDispatcher


def build_dispatcher(ports: Callable[[], LiveStatusPorts]) -> WebhookDispatcher:
    """`ports` is called per change that needs them, so each gets clients bound to the current invocation."""
    return WebhookDispatcher()
