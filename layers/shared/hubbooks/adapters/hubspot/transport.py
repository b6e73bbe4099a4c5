"""The one HTTP transport to HubSpot: bearer auth, date-versioned paths, timeouts, the request budget, retries
with backoff (adapters/http_retry.py) and typed errors.

A 401 is never a reason to refresh here: HubSpot asks integrations to refresh on `expires_in`, which TokenManager
does ahead of expiry, so a 401 surfaces as HubSpotAuthenticationError (after one more attempt with the stored grant
when the token came from a warm container's cache: another container may have renewed or deleted it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from hubbooks.adapters.http_retry import (
    ATTEMPT_RESERVE_SECONDS,
    AnswerLost,
    Deadline,
    RetriesExhausted,
    RetryPolicy,
    parse_retry_after,
    send_with_retries,
)
from hubbooks.adapters.hubspot.errors import (
    HubSpotAnswerLostError,
    HubSpotApiError,
    HubSpotRateLimitedError,
    HubSpotTimeoutError,
    HubSpotUnavailableError,
    error_from_response,
)
from hubbooks.adapters.hubspot.rate_budget import RequestBudget, RequestKind

API_VERSION = "2026-03"

# 423: a record is locked by another write (HubSpot suggests waiting ~2 s); 477: migration in progress.
RETRYABLE_STATUSES = frozenset({423, 429, 477, 500, 502, 503, 504})
_LOCKED_RETRY_SECONDS = 2.0

# Reads are short: an app card's hubspot.fetch gives our whole answer 15 s, and Lambda allows 25 s.
DEFAULT_POLICY = RetryPolicy(max_attempts=4, base_delay_seconds=0.5, max_delay_seconds=10.0,
                             timeout_seconds=(3.05, 10.0))


def segment(value: str | int) -> str:
    """One path segment, escaped (ids come from HubSpot and from signed requests, never trust them raw)."""
    return quote(str(value), safe="")


def versioned(family: str, rest: str = "") -> str:
    """A date-versioned path, e.g. versioned("crm/objects", "deals/123") -> /crm/objects/2026-03/deals/123."""
    tail = f"/{rest.lstrip('/')}" if rest else ""
    return f"/{family.strip('/')}/{API_VERSION}{tail}"


def retry_delay_of(response: requests.Response) -> float | None:
    """How long HubSpot wants us to wait: Retry-After, else (429) the rate-limit interval, else (423) 2 s."""
    retry_after = parse_retry_after(response.headers.get("Retry-After"))
    if retry_after is not None:
        return retry_after
    if response.status_code == 429:
        interval_ms = response.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds")
        remaining = response.headers.get("X-HubSpot-RateLimit-Remaining")
        if interval_ms and interval_ms.isdigit() and remaining == "0":
            return int(interval_ms) / 1000
    if response.status_code == 423:
        return _LOCKED_RETRY_SECONDS
    return None


class HubSpotTransport:
    """Sends requests to HubSpot for one portal (with a token source) or for the app itself (OAuth endpoints)."""

    def __init__(self, base_url: str, *, session: requests.Session | None = None,
                 access_token: Callable[[], str] | None = None, portal_id: int | None = None,
                 budget: RequestBudget | None = None, policy: RetryPolicy = DEFAULT_POLICY,
                 deadline: Deadline | None = None, sleep: Callable[[float], None] | None = None,
                 token_rejected: Callable[[], bool] | None = None) -> None:
        """`token_rejected`: called on a 401; True when the token came from a cache it has now dropped, so one more
        attempt reads the stored grant (refreshed or deleted by another container since)."""
        if access_token is not None and portal_id is None:
            raise ValueError("a transport that sends a portal's token must know the portal (for its rate budget)")
        self._base_url = base_url.rstrip("/")
        self._session = session or requests.Session()
        self._access_token = access_token
        self._token_rejected = token_rejected
        self.portal_id = portal_id
        self._budget = budget
        self._policy = policy
        self._deadline = deadline or Deadline()
        self._sleep = sleep or time.sleep  # looked up per transport, so tests can stub time.sleep

    def request(self, method: str, path: str, *, action: str, params: Mapping[str, Any] | None = None,
                json: Any = None, form: Mapping[str, str] | None = None,
                kind: RequestKind = RequestKind.STANDARD, idempotent: bool = True) -> requests.Response:
        """Send with retries; return a successful (2xx) response or raise the typed HubSpot error.

        `action` names what we were doing, in words, for error messages (e.g. "reading deal 123"). A non-idempotent
        request (a create) is not repeated after a failure that may have applied it: HubSpotAnswerLostError says
        so, and the caller looks for the record (by its marker) before creating again.
        """
        url = self._base_url + path

        def send() -> requests.Response:
            self._wait_for_budget(kind, action)
            headers = {"Accept": "application/json"}
            if self._access_token is not None:
                headers["Authorization"] = f"Bearer {self._access_token()}"
            response = self._session.request(method, url, params=params, json=json, data=form, headers=headers,
                                             timeout=self._deadline.capped(self._policy.timeout_seconds))
            if self._budget is not None and self.portal_id is not None:
                self._budget.observe(self.portal_id, kind, response.status_code, response.headers)
            return response

        def send_once_more_after_a_cached_token() -> requests.Response:
            response = send()
            if response.status_code == 401 and self._token_rejected is not None and self._token_rejected():
                response = send()
            return response

        try:
            response = send_with_retries(send_once_more_after_a_cached_token, policy=self._policy,
                                         deadline=self._deadline,
                                         should_retry=lambda r: r.status_code in RETRYABLE_STATUSES,
                                         retry_after_of=retry_delay_of, sleep=self._sleep,
                                         retry_ambiguous=idempotent)
        except AnswerLost as lost:
            raise HubSpotAnswerLostError(f"HubSpot gave no answer ({action}); it may have been done.") from lost
        except RetriesExhausted as exhausted:
            if exhausted.out_of_time:
                raise HubSpotTimeoutError(f"HubSpot is answering too slowly ({action}); try again in a minute.") \
                    from exhausted
            raise HubSpotUnavailableError(f"HubSpot did not answer ({action}); try again shortly.") from exhausted
        if response.status_code >= 500 and not idempotent:
            raise HubSpotAnswerLostError(f"HubSpot failed ({action}, HTTP {response.status_code}); it may have been "
                                         "done.", status=response.status_code)
        if response.status_code >= 400:
            raise error_from_response(response, action)
        return response

    def json(self, method: str, path: str, *, action: str, params: Mapping[str, Any] | None = None,
             json: Any = None, form: Mapping[str, str] | None = None,
             kind: RequestKind = RequestKind.STANDARD, idempotent: bool = True) -> Any:
        response = self.request(method, path, action=action, params=params, json=json, form=form, kind=kind,
                                idempotent=idempotent)
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            raise HubSpotApiError(f"HubSpot answered with something that is not JSON ({action}).",
                                  status=response.status_code) from exc

    def _wait_for_budget(self, kind: RequestKind, action: str) -> None:
        if self._budget is None or self.portal_id is None:
            return
        # Wait for a slot only as long as the invocation can afford (keeping time for the request itself).
        max_wait = self._deadline.spare_seconds() - min(ATTEMPT_RESERVE_SECONDS, self._policy.timeout_seconds[1])
        if not self._budget.acquire(self.portal_id, kind, max_wait_seconds=max(max_wait, 0.0)):
            raise HubSpotRateLimitedError(
                f"HubBooks is pacing its calls to HubSpot for this portal and has no time left to wait ({action}).",
                category="LOCAL_BUDGET")
