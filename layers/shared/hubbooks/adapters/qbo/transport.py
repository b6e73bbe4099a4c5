"""The one way HubBooks talks to the QuickBooks Online Accounting API.

Every request: bearer token from the token manager (one forced refresh if QBO answers 401), `minorversion=75`,
connect/read timeouts, retries with backoff on 429 and 5xx (safe for writes because every POST carries a
`requestid`, which QBO deduplicates), the per-company rate budget, and faults raised as typed errors.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Protocol

import requests

from hubbooks.adapters.http_retry import (
    ATTEMPT_RESERVE_SECONDS,
    Deadline,
    RetriesExhausted,
    RetryPolicy,
    send_with_retries,
)
from hubbooks.adapters.qbo.faults import error_from_response, fault_in, is_throttle
from hubbooks.adapters.qbo.rate_budget import RealmBudgets
from hubbooks.domain.qbo_errors import QboFaultError, QboServerError, QboTimeoutError
from hubbooks.observability import logger

MINOR_VERSION = "75"  # QBO's floor since Aug 2025: lower values are processed as 75 anyway
MAX_REQUEST_ID_LENGTH = 50
USER_AGENT = "HubBooks (+https://github.com/hubbooks)"


class BearerToken(NamedTuple):
    value: str
    version: int  # which stored grant it came from, so a rejected token forces a refresh past that version


class AccessTokens(Protocol):
    def current(self, realm_id: str) -> BearerToken: ...
    def after_rejection(self, realm_id: str, rejected: BearerToken) -> BearerToken: ...


class QboRequest(NamedTuple):
    method: str
    path: str  # below /v3/company/{realmId}/, e.g. "invoice" or "companyinfo/123"
    params: Mapping[str, str] | None = None
    json_body: Any = None
    text_body: str | None = None
    content_type: str | None = None
    accept: str = "application/json"
    request_id: str | None = None
    # False for calls QBO does not deduplicate by requestid (invoice send): then only a throttled request, which
    # QBO refused before doing anything, is repeated.
    replay_safe: bool = True


def new_request_id() -> str:
    return uuid.uuid4().hex


class QboTransport:
    def __init__(self, session: requests.Session, api_base_url: str, tokens: AccessTokens, *,
                 budgets: RealmBudgets, policy: RetryPolicy | None = None, deadline: Deadline | None = None,
                 sleep: Callable[[float], None] | None = None,
                 request_ids: Callable[[], str] = new_request_id) -> None:
        self._session = session
        self._base = api_base_url.rstrip("/")
        self._tokens = tokens
        self._budgets = budgets
        self._policy = policy or RetryPolicy()
        self._deadline = deadline or Deadline()
        self._sleep_kw: dict[str, Any] = {"sleep": sleep} if sleep else {}
        self._request_ids = request_ids

    def url(self, realm_id: str, path: str) -> str:
        return f"{self._base}/v3/company/{realm_id}/{path.lstrip('/')}"

    def json(self, realm_id: str, request: QboRequest) -> dict[str, Any]:
        response = self.send(realm_id, request)
        try:
            body = response.json()
        except ValueError as error:
            raise QboServerError(fault_message="QuickBooks answered with something that is not JSON",
                                 http_status=response.status_code) from error
        if not isinstance(body, dict):
            raise QboServerError(fault_message="QuickBooks answered with unexpected JSON",
                                 http_status=response.status_code)
        if fault_in(body) is not None:  # a 200 can still carry a Fault
            raise error_from_response(response, body)
        return body

    def send(self, realm_id: str, request: QboRequest) -> requests.Response:
        """Send with auth, budget and retries; returns a 2xx response or raises the typed fault."""
        params = {**(request.params or {}), "minorversion": MINOR_VERSION}
        if request.method.upper() == "POST":
            params["requestid"] = self._checked_request_id(request.request_id)
        token = self._tokens.current(realm_id)
        response = self._send_with_retries(realm_id, request, params, token)
        if response.status_code == 401:
            # Our token may have been revoked or rotated elsewhere: refresh once, then give up.
            token = self._tokens.after_rejection(realm_id, token)
            response = self._send_with_retries(realm_id, request, params, token)
            if response.status_code == 401:
                raise _logged(error_from_response(response), realm_id, request)
        if response.status_code >= 300:
            raise _logged(error_from_response(response), realm_id, request)
        return response

    def _checked_request_id(self, request_id: str | None) -> str:
        chosen = request_id or self._request_ids()
        if len(chosen) > MAX_REQUEST_ID_LENGTH:
            raise ValueError(f"QBO requestid must be at most {MAX_REQUEST_ID_LENGTH} characters: {chosen!r}")
        return chosen

    def _send_with_retries(self, realm_id: str, request: QboRequest, params: dict[str, str],
                           token: BearerToken) -> requests.Response:
        headers = {"Authorization": f"Bearer {token.value}", "Accept": request.accept, "User-Agent": USER_AGENT}
        data: str | bytes | None = None
        if request.json_body is not None:
            headers["Content-Type"] = request.content_type or "application/json"
            data = _dumps(request.json_body)
        elif request.text_body is not None:
            headers["Content-Type"] = request.content_type or "application/text"
            data = request.text_body.encode("utf-8")
        elif request.content_type:
            headers["Content-Type"] = request.content_type
        budget = self._budgets.for_realm(realm_id)
        url = self.url(realm_id, request.path)

        def send_once() -> requests.Response:
            with budget.slot(self._budget_wait_seconds()):
                timeout = self._deadline.capped(self._policy.timeout_seconds)  # after any wait for the slot
                return self._session.request(request.method.upper(), url, params=params, data=data,
                                             headers=headers, timeout=timeout)

        try:
            return send_with_retries(send_once, policy=self._policy, deadline=self._deadline,
                                     should_retry=lambda r: is_throttle(r) or r.status_code >= 500,
                                     retry_ambiguous=request.replay_safe, **self._sleep_kw)
        except RetriesExhausted as error:
            if error.out_of_time:
                raise QboTimeoutError(fault_message=f"QuickBooks did not answer in time: {error}") from error
            raise QboServerError(fault_message=f"QuickBooks did not answer: {error}") from error

    def _budget_wait_seconds(self) -> float:
        # Waiting for a slot must leave time for the request itself and a clean failure.
        return max(0.0, self._deadline.spare_seconds() - min(ATTEMPT_RESERVE_SECONDS, self._policy.timeout_seconds[1]))


def _dumps(body: Any) -> bytes:
    return json.dumps(body, separators=(",", ":"), default=str).encode("utf-8")


def _logged(error: QboFaultError, realm_id: str, request: QboRequest) -> QboFaultError:
    logger.warning("QuickBooks request failed",
                   extra={"realm_id": realm_id, "method": request.method, "qbo_path": request.path.split("/")[0],
                          **error.log_fields()})
    return error
