"""Which provider changes HubBooks reacts to. Features register their reactions here."""

from __future__ import annotations

from hubbooks.domain.webhook_dispatch import WebhookDispatcher


def build_dispatcher() -> WebhookDispatcher:
    return WebhookDispatcher()
