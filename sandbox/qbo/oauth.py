"""Intuit OAuth 2.0 / OpenID Connect: consent page, token endpoint, revocation, discovery, JWKS and userinfo."""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import html
import json
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from sandbox.qbo.state import (
    ACCESS_TOKEN_SECONDS,
    REFRESH_HARD_CAP_SECONDS,
    REFRESH_ROLLING_SECONDS,
    AccessToken,
    AuthCode,
    Grant,
    RefreshToken,
    SimState,
)

ACCOUNTING_SCOPES = {"com.intuit.quickbooks.accounting", "com.intuit.quickbooks.payment"}
KNOWN_SCOPES = ACCOUNTING_SCOPES | {"openid", "profile", "email", "phone", "address"}
KEY_ID = "r4p5SbL2qaFehFzhj8gI"  # no '-' or '_': intuit-oauth decodes JWT parts with plain base64


class OAuthError(Exception):
    def __init__(self, status: int, body: dict[str, str]) -> None:
        super().__init__(body.get("error", "error"))
        self.status = status
        self.body = body


def invalid_grant() -> OAuthError:
    return OAuthError(400, {"error_description": "Token invalid", "error": "invalid_grant"})


@dataclass
class TokenCheck:
    grant: Grant | None
    detail: str


@functools.lru_cache(maxsize=1)
def _signing_key() -> rsa.RSAPrivateKey:
    # One key per process: generating RSA keys is slow and tests build many simulators.
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class OAuthServer:
    def __init__(self, state: SimState) -> None:
        self.state = state
        self._key = _signing_key()

    # -- discovery ------------------------------------------------------------------------------------------------
    def discovery(self, base: str) -> dict[str, Any]:
        return {
            "issuer": f"{base}/op/v1",
            "authorization_endpoint": f"{base}/connect/oauth2",
            "token_endpoint": f"{base}/oauth2/v1/tokens/bearer",
            "userinfo_endpoint": f"{base}/v1/openid_connect/userinfo",
            "revocation_endpoint": f"{base}/v2/oauth2/tokens/revoke",
            "jwks_uri": f"{base}/op/v1/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile", "address", "phone"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": ["aud", "exp", "iat", "iss", "realmid", "sub"],
        }

    def jwks(self) -> dict[str, Any]:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self._key.public_key()))
        jwk.update({"kid": KEY_ID, "use": "sig", "alg": "RS256"})
        return {"keys": [jwk]}

    # -- consent --------------------------------------------------------------------------------------------------
    def validate_authorize(self, params: dict[str, str]) -> tuple[str, str, list[str]]:
        """Check an authorize request; errors here are shown, never redirected (the redirect URI is untrusted)."""
        app = self.state.apps.get(params.get("client_id", ""))
        if app is None:
            raise OAuthError(400, {"error": "invalid_client", "error_description": "Unknown client_id"})
        redirect_uri = params.get("redirect_uri", "")
        if redirect_uri not in app.redirect_uris:
            raise OAuthError(400, {"error": "invalid_request",
                                   "error_description": "The redirect_uri is not registered for this app"})
        if params.get("response_type") != "code":
            raise OAuthError(400, {"error": "unsupported_response_type"})
        scopes = params.get("scope", "").split()
        if not scopes or any(scope not in KNOWN_SCOPES for scope in scopes):
            raise OAuthError(400, {"error": "invalid_scope"})
        return app.client_id, redirect_uri, scopes

    def approve(self, params: dict[str, str], realm_id: str | None) -> str:
        client_id, redirect_uri, scopes = self.validate_authorize(params)
        needs_realm = bool(ACCOUNTING_SCOPES & set(scopes))
        if needs_realm and (not realm_id or realm_id not in self.state.companies):
            raise OAuthError(400, {"error": "invalid_request", "error_description": "Pick a company to connect"})
        code = "AB11" + secrets.token_urlsafe(30).replace("-", "x").replace("_", "y")
        with self.state.lock:
            self.state.codes[code] = AuthCode(client_id=client_id, redirect_uri=redirect_uri,
                                              realm_id=realm_id if needs_realm else None, scopes=scopes,
                                              expires_at=self.state.clock.now() + self.state.config.code_ttl_seconds)
        query: dict[str, str] = {"code": code, "state": params.get("state", "")}
        if needs_realm and realm_id:
            query["realmId"] = realm_id
        return _with_query(redirect_uri, query)

    def deny(self, params: dict[str, str]) -> str:
        _, redirect_uri, _ = self.validate_authorize(params)
        return _with_query(redirect_uri, {"error": "access_denied", "state": params.get("state", "")})

    def consent_page(self, request: Request) -> Response:
        params = {k: request.args.get(k, "") for k in ("client_id", "redirect_uri", "response_type", "scope", "state")}
        try:
            self.validate_authorize(params)
        except OAuthError as exc:
            return _page("Connection error", f"<p id=\"error\">{html.escape(exc.body.get('error', ''))}: "
                                             f"{html.escape(exc.body.get('error_description', ''))}</p>", 400)
        app = self.state.apps[params["client_id"]]
        hidden = "".join(f'<input type="hidden" name="{k}" value="{html.escape(v)}">' for k, v in params.items())
        options = "".join(f'<option value="{html.escape(c.realm_id)}">{html.escape(c.name)} ({c.realm_id})</option>'
                          for c in self.state.companies.values())
        body = (f"<h1>Connect {html.escape(app.name)} to QuickBooks</h1>"
                f"<p>{html.escape(app.name)} would like access to: {html.escape(params['scope'])}</p>"
                f'<form method="post" action="/connect/oauth2">{hidden}'
                f'<label for="realm_id">Company</label> <select id="realm_id" name="realm_id">{options}</select>'
                '<p><button type="submit" name="decision" value="approve" id="approve">Connect</button> '
                '<button type="submit" name="decision" value="deny" id="deny">Cancel</button></p></form>')
        return _page("Intuit - Connect", body, 200)

    def consent_submit(self, request: Request) -> Response:
        params = {k: request.form.get(k, "") for k in ("client_id", "redirect_uri", "response_type", "scope", "state")}
        try:
            if request.form.get("decision") == "deny":
                return redirect(self.deny(params), code=302)
            return redirect(self.approve(params, request.form.get("realm_id")), code=302)
        except OAuthError as exc:
            return _page("Connection error", f"<p id=\"error\">{html.escape(exc.body.get('error', ''))}</p>", 400)

    # -- token endpoint -------------------------------------------------------------------------------------------
    def _client(self, request: Request) -> str:
        header = request.headers.get("Authorization", "")
        client_id = secret = ""
        if header.lower().startswith("basic "):
            with contextlib.suppress(binascii.Error, UnicodeDecodeError):
                client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        elif request.form.get("client_id"):
            client_id, secret = request.form.get("client_id", ""), request.form.get("client_secret", "")
        app = self.state.apps.get(client_id)
        if app is None or not secrets.compare_digest(app.client_secret, secret):
            raise OAuthError(401, {"error": "invalid_client"})
        return client_id

    def token(self, request: Request) -> dict[str, Any]:
        client_id = self._client(request)
        grant_type = request.form.get("grant_type", "")
        with self.state.lock:
            if grant_type == "authorization_code":
                grant = self._redeem_code(client_id, request.form.get("code", ""), request.form.get("redirect_uri", ""))
                refresh_token = self._issue_refresh(grant)
            elif grant_type == "refresh_token":
                grant, refresh_token = self._refresh(client_id, request.form.get("refresh_token", ""))
            else:
                raise OAuthError(400, {"error": "unsupported_grant_type"})
            now = self.state.clock.now()
            access = self._issue_access(grant)
            record = self.state.refresh_tokens[refresh_token]
            body: dict[str, Any] = {
                "token_type": "bearer", "access_token": access, "expires_in": ACCESS_TOKEN_SECONDS,
                "refresh_token": refresh_token, "x_refresh_token_expires_in": round(record.expires_at - now),
            }
            if request.headers.get("x-include-refresh-token-hard-expires-in", "").lower() == "true":
                body["x_refresh_token_hard_expires_in"] = round(grant.hard_expires_at - now)
            if "openid" in grant.scopes and grant_type == "authorization_code":
                body["id_token"] = self._id_token(grant, request.host_url.rstrip("/"))
            return body

    def _redeem_code(self, client_id: str, code: str, redirect_uri: str) -> Grant:
        record = self.state.codes.get(code)
        now = self.state.clock.now()
        if record is None or record.used or record.expires_at <= now or record.client_id != client_id \
                or record.redirect_uri != redirect_uri:
            raise invalid_grant()
        record.used = True  # single use
        grant = Grant(grant_id=secrets.token_hex(8), client_id=client_id, realm_id=record.realm_id,
                      scopes=record.scopes, created_at=now, hard_expires_at=now + REFRESH_HARD_CAP_SECONDS)
        self.state.grants[grant.grant_id] = grant
        return grant

    def _issue_refresh(self, grant: Grant) -> str:
        now = self.state.clock.now()
        token = f"RT1-{secrets.randbelow(90) + 10}-H0-{int(now)}" + secrets.token_hex(10)
        expires = min(now + REFRESH_ROLLING_SECONDS, grant.hard_expires_at)
        previous = self.state.refresh_tokens.get(grant.current_refresh_token)
        if previous is not None and previous.superseded_at is None:
            previous.superseded_at = now
        self.state.refresh_tokens[token] = RefreshToken(grant_id=grant.grant_id, issued_at=now, expires_at=expires)
        grant.current_refresh_token = token
        return token

    def _refresh(self, client_id: str, token: str) -> tuple[Grant, str]:
        now = self.state.clock.now()
        record = self.state.refresh_tokens.get(token)
        if record is None or record.expires_at <= now:
            raise invalid_grant()
        grant = self.state.grants[record.grant_id]
        if grant.revoked or grant.client_id != client_id or grant.hard_expires_at <= now:
            raise invalid_grant()
        config = self.state.config
        if record.superseded_at is not None:
            if config.old_refresh_token == "strict" or now - record.superseded_at > config.grace_seconds:
                raise invalid_grant()
            # Grace: an old token still works and answers with the grant's current token.
            token = grant.current_refresh_token
            record = self.state.refresh_tokens[token]
        if config.token_rotation == "every" or now - record.issued_at >= 86_400:
            return grant, self._issue_refresh(grant)
        record.expires_at = min(now + REFRESH_ROLLING_SECONDS, grant.hard_expires_at)
        return grant, token

    def _issue_access(self, grant: Grant) -> str:
        header = base64.urlsafe_b64encode(b'{"alg":"dir","enc":"A128CBC-HS256"}').decode().rstrip("=")
        token = f"{header}..{secrets.token_urlsafe(24)}.{secrets.token_urlsafe(96)}.{secrets.token_urlsafe(16)}"
        self.state.access_tokens[token] = AccessToken(grant_id=grant.grant_id,
                                                      expires_at=self.state.clock.now() + ACCESS_TOKEN_SECONDS)
        return token

    def _id_token(self, grant: Grant, base: str) -> str:
        now = int(time.time())  # intuit-oauth checks exp against the real clock
        claims: dict[str, Any] = {"sub": f"sandbox-user-{grant.client_id[:8]}", "aud": [grant.client_id],
                                  "realmid": grant.realm_id, "auth_time": now, "iss": f"{base}/op/v1",
                                  "exp": now + ACCESS_TOKEN_SECONDS, "iat": now}
        # intuit-oauth base64-decodes JWT parts without the URL-safe alphabet; pad a claim until none is needed.
        for attempt in range(200):
            claims["nonce"] = "n" * attempt
            token = jwt.encode(claims, self._key, algorithm="RS256", headers={"kid": KEY_ID})
            head, payload, _ = token.split(".")
            if not any(ch in head + payload for ch in "-_"):
                return token
        return token

    # -- revoke and token checks ----------------------------------------------------------------------------------
    def revoke(self, request: Request) -> None:
        client_id = self._client(request)
        try:
            token = str(json.loads(request.get_data() or b"{}").get("token", ""))
        except (ValueError, AttributeError):
            token = request.form.get("token", "")
        if not token:
            raise OAuthError(400, {"error": "invalid_request"})
        with self.state.lock:
            grant_id = None
            if token in self.state.refresh_tokens:
                grant_id = self.state.refresh_tokens[token].grant_id
            elif token in self.state.access_tokens:
                grant_id = self.state.access_tokens[token].grant_id
            grant = self.state.grants.get(grant_id or "")
            # Unknown tokens are accepted silently (RFC 7009); another app's token is not revoked.
            if grant is not None and grant.client_id == client_id:
                grant.revoked = True

    def check_access(self, authorization: str) -> TokenCheck:
        if not authorization.lower().startswith("bearer "):
            return TokenCheck(None, "Authorization header missing or not a Bearer token")
        token = authorization[7:].strip()
        with self.state.lock:
            record = self.state.access_tokens.get(token)
            if record is None:
                return TokenCheck(None, f"Token invalid: {token[:12]}")
            grant = self.state.grants[record.grant_id]
            if grant.revoked:
                return TokenCheck(None, f"Token revoked: {token[:12]}")
            if record.expires_at <= self.state.clock.now():
                return TokenCheck(None, f"Token expired: {token[:12]}")
            return TokenCheck(grant, "")

    def userinfo(self, request: Request) -> tuple[int, dict[str, Any]]:
        check = self.check_access(request.headers.get("Authorization", ""))
        if check.grant is None:
            return 401, {"error": "invalid_token"}
        if "openid" not in check.grant.scopes:
            return 403, {"error": "insufficient_scope"}
        info: dict[str, Any] = {"sub": f"sandbox-user-{check.grant.client_id[:8]}"}
        if "email" in check.grant.scopes:
            info.update(email="sandbox.user@example.com", emailVerified=True)
        if "profile" in check.grant.scopes:
            info.update(givenName="Sandbox", familyName="User")
        if "phone" in check.grant.scopes:
            info.update(phoneNumber="+1 6505550100", phoneNumberVerified=False)
        if "address" in check.grant.scopes:
            info["address"] = {"streetAddress": "2500 Garcia Ave", "locality": "Mountain View", "region": "CA",
                               "postalCode": "94043", "country": "US"}
        return 200, info


def _with_query(url: str, params: dict[str, str]) -> str:
    return url + ("&" if "?" in url else "?") + urlencode(params)


def _page(title: str, body: str, status: int) -> Response:
    document = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
                f"<body>{body}</body></html>")
    return Response(document, status=status, content_type="text/html; charset=utf-8")
