"""Routes a queued provider change to whatever reacts to it; changes nothing reacts to are acknowledged."""

from __future__ import annotations

from collections.abc import Callable

from hubbooks.models.webhooks import HubSpotEvent, QboEntityChange

QboChangeHandler = Callable[[QboEntityChange], str]
HubSpotEventHandler = Callable[[HubSpotEvent], str]


class WebhookDispatcher:
    def __init__(self) -> None:
        self._qbo: dict[str, QboChangeHandler] = {}
        self._hubspot: dict[str, HubSpotEventHandler] = {}

    def on_qbo(self, entity: str, handler: QboChangeHandler) -> None:
        self._qbo[entity] = handler

    def on_hubspot(self, subscription_type: str, handler: HubSpotEventHandler) -> None:
        self._hubspot[subscription_type] = handler

    def dispatch(self, message: QboEntityChange | HubSpotEvent) -> str:
        """Returns what was done, for the log."""
        if isinstance(message, QboEntityChange):
            qbo_handler = self._qbo.get(message.entity)
            return qbo_handler(message) if qbo_handler else f"ignored {message.entity} {message.operation}"
        hubspot_handler = self._hubspot.get(message.subscription_type)
        return hubspot_handler(message) if hubspot_handler else f"ignored {message.subscription_type}"
