"""Intuit OAuth 2.0: the authorize URL, code exchange, refresh and revocation, with HTTP Basic client auth."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import requests

from hubbooks.adapters.http_retry import Deadline, RetriesExhausted, RetryPolicy, send_with_retries
from hubbooks.domain.auth.token_manager import GrantRevokedError
from hubbooks.domain.errors import ConfigurationError
from hubbooks.domain.qbo_errors import AuthorizationCodeRejectedError, IntuitOAuthError
from hubbooks.models.tokens import TokenSet
from hubbooks.observability import logger

ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"


class IntuitOAuthClient:
    def __init__(self, session: requests.Session, *, client_id: str, client_secret: str, authorize_url: str,
                 token_url: str, revoke_url: str, policy: RetryPolicy | None = None,
                 deadline: Deadline | None = None, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not client_id:
            raise ConfigurationError("QBO_CLIENT_ID is not set; put your Intuit app's client id in the stack "
                                     "parameters")
        self._session = session
        self._client_id = client_id
        self._client_secret = client_secret
        self._authorize_url = authorize_url
        self._token_url = token_url
        self._revoke_url = revoke_url
        self._policy = policy or RetryPolicy(max_attempts=3)
        self._deadline = deadline or Deadline()
        self._clock = clock
        self._sleep = sleep

    @property
    def client_id(self) -> str:
        return self._client_id

    def authorization_url(self, *, redirect_uri: str, state: str, scopes: Iterable[str] = (ACCOUNTING_SCOPE,)) -> str:
        query = urlencode({"client_id": self._client_id, "response_type": "code", "scope": " ".join(scopes),
                           "redirect_uri": redirect_uri, "state": state})
        separator = "&" if "?" in self._authorize_url else "?"
        return f"{self._authorize_url}{separator}{query}"

    def exchange_code(self, code: str, redirect_uri: str, *, scopes: Iterable[str] = (ACCOUNTING_SCOPE,)) -> TokenSet:
        response = self._token_request({"grant_type": "authorization_code", "code": code,
                                        "redirect_uri": redirect_uri})
        if _oauth_error(response) == "invalid_grant":
            raise AuthorizationCodeRejectedError("QuickBooks did not accept the authorization code (it expires "
                                                 "after a few minutes and works once); please connect again.")
        return self._token_set(response, scopes)

    def refresh(self, refresh_token: str) -> TokenSet:
        """The TokenManager's refresher. invalid_grant means the grant is gone (revoked, expired, superseded)."""
        response = self._token_request({"grant_type": "refresh_token", "refresh_token": refresh_token})
        if _oauth_error(response) == "invalid_grant":
            raise GrantRevokedError("Intuit answered invalid_grant to a refresh")
        return self._token_set(response, (ACCOUNTING_SCOPE,))

    def revoke(self, token: str) -> bool:
        """Disconnect the app from the company. False when Intuit says the token is already invalid."""
        response = self._send(lambda: self._session.post(
            self._revoke_url, json={"token": token}, timeout=self._deadline.capped(self._policy.timeout_seconds),
            headers={"Authorization": self._basic_auth(), "Accept": "application/json"}))
        if response.status_code == 200:
            return True
        if response.status_code == 400:
            return False
        raise self._failure("revoke", response)

    # -- internals -----------------------------------------------------------------------------------------------
    def _basic_auth(self) -> str:
        pair = f"{self._client_id}:{self._client_secret}".encode()
        return "Basic " + base64.b64encode(pair).decode()

    def _token_request(self, form: dict[str, str]) -> requests.Response:
        response = self._send(lambda: self._session.post(
            self._token_url, data=form, timeout=self._deadline.capped(self._policy.timeout_seconds),
            headers={"Authorization": self._basic_auth(), "Accept": "application/json",
                     "Content-Type": "application/x-www-form-urlencoded",
                     "x-include-refresh-token-hard-expires-in": "true"}))
        if response.status_code == 200 or _oauth_error(response) == "invalid_grant":
            return response
        raise self._failure(form["grant_type"], response)

    def _send(self, send: Callable[[], requests.Response]) -> requests.Response:
        try:
            return send_with_retries(send, policy=self._policy, deadline=self._deadline, sleep=self._sleep)
        except RetriesExhausted as error:
            raise IntuitOAuthError("QuickBooks sign-in did not answer; try again in a moment.") from error

    def _failure(self, operation: str, response: requests.Response) -> Exception:
        error = _oauth_error(response)
        logger.warning("Intuit OAuth call failed", extra={"operation": operation, "status": response.status_code,
                                                          "oauth_error": error,
                                                          "intuit_tid": response.headers.get("intuit_tid", "")})
        if response.status_code == 401 or error == "invalid_client":
            return ConfigurationError("Intuit rejected the app's client id or secret; check QBO_CLIENT_ID and the "
                                      "QuickBooks app secret.")
        return IntuitOAuthError(f"QuickBooks sign-in failed ({error or response.status_code}); try again.")

    def _token_set(self, response: requests.Response, scopes: Iterable[str]) -> TokenSet:
        try:
            body: dict[str, Any] = response.json()
            now = datetime.fromtimestamp(self._clock(), tz=UTC)
            hard = body.get("x_refresh_token_hard_expires_in")
            return TokenSet(
                access_token=str(body["access_token"]), refresh_token=str(body["refresh_token"]),
                access_expires_at=now + timedelta(seconds=int(body.get("expires_in", 3600))),
                refresh_expires_at=now + timedelta(seconds=int(body["x_refresh_token_expires_in"]))
                if body.get("x_refresh_token_expires_in") else None,
                refresh_hard_expires_at=now + timedelta(seconds=int(hard)) if hard else None,
                scopes=list(scopes),
            )
        except (ValueError, KeyError, TypeError) as error:
            raise IntuitOAuthError("QuickBooks sign-in answered without the expected tokens.") from error


def _oauth_error(response: requests.Response) -> str:
    if response.status_code < 400:
        return ""
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""
