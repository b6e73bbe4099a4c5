"""How long a request from HubSpot may take: hubspot.fetch gives up after 15 s, so app cards and the settings page
must get our answer (a clear 503 that says to try again, if a provider is slow) well before that, cold start and
network included. The functions' timeouts in template.yaml sit just above this budget."""

from __future__ import annotations

from typing import Any

from hubbooks.adapters.http_retry import Deadline

CARD_ANSWER_SECONDS = 12.0


def card_request_deadline(lambda_context: Any) -> Deadline:
    return Deadline.from_lambda_context(lambda_context, budget_seconds=CARD_ANSWER_SECONDS)
