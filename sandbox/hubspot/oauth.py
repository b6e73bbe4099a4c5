"""HubSpot OAuth: consent (HTML page and headless), token grants, introspection, revocation, v1 token info."""

from __future__ import annotations

import html
import uuid
from typing import Any
from urllib.parse import urlencode

from werkzeug.wrappers import Response

from sandbox.hubspot.errors import HubSpotError
from sandbox.hubspot.routing import Ctx, Route
from sandbox.hubspot.state import AccessToken, App, AuthCode, Portal, RefreshToken, State
from sandbox.simkit.clock import SimClock
from sandbox.simkit.http import json_response

ACCESS_TOKEN_TTL = 1800
AUTH_CODE_TTL = 600  # guessed; HubSpot does not publish the code lifetime
TOKEN_PATHS = {"v1": "/oauth/v1/token", "v3": "/oauth/v3/token", "2026-03": "/oauth/2026-03/token"}


def oauth_error(status: str, message: str, error: str, http_status: int = 400) -> HubSpotError:
    """The standardized OAuth error: legacy status/message plus RFC 6749 error/error_description."""
    return HubSpotError(http_status, "VALIDATION_ERROR", message,
                        extra={"status": status, "error": error, "error_description": message})


class OAuthService:
    def __init__(self, state: State, clock: SimClock) -> None:
        self.state = state
        self.clock = clock

    def check_redirect(self, client_id: str, redirect_uri: str) -> App:
        app = self.state.app_by_client_id(client_id)
        if app is None:
            raise oauth_error("BAD_CLIENT_ID", "missing or unknown client id", "invalid_client")
        if redirect_uri not in app.redirect_uris:
            raise oauth_error("BAD_REDIRECT_URI", "redirect_uri does not match any registered redirect URL",
                              "invalid_request")
        return app

    def consent(self, client_id: str, redirect_uri: str, scope: str, state: str | None, portal: Portal,
                approve: bool = True, user_id: int | None = None) -> str:
        """Finish a consent screen: install the app in the portal and build the redirect back to the app."""
        app = self.check_redirect(client_id, redirect_uri)
        sep = "&" if "?" in redirect_uri else "?"
        tail = {"state": state} if state is not None else {}
        if not approve:
            return redirect_uri + sep + urlencode({"error": "access_denied",
                                                   "error_description": "The user denied the request", **tail})
        code = str(uuid.uuid4())
        with self.state.lock:
            self.state.codes[code] = AuthCode(code, app.app_id, portal.portal_id, user_id or portal.users[0].user_id,
                                              redirect_uri, scope.split(), self.clock.now() + AUTH_CODE_TTL)
            self.state.installs.setdefault((app.app_id, portal.portal_id), "")
        return redirect_uri + sep + urlencode({"code": code, **tail})

    def _issue(self, app: App, portal_id: int, user_id: int, scopes: list[str],
               refresh: RefreshToken | None) -> dict[str, Any]:
        with self.state.lock:
            if refresh is None or self.state.rotate_refresh_tokens:
                if refresh is not None:
                    refresh.revoked = True
                refresh = RefreshToken(str(uuid.uuid4()), app.app_id, portal_id, user_id, scopes)
                self.state.refresh_tokens[refresh.token] = refresh
            access = AccessToken(State.opaque_token("CJ"), portal_id, user_id, scopes, app.app_id,
                                 self.clock.now() + ACCESS_TOKEN_TTL)
            self.state.access_tokens[access.token] = access
            self.state.installs[(app.app_id, portal_id)] = refresh.token
        return {"token_type": "bearer", "access_token": access.token, "refresh_token": refresh.token,
                "expires_in": ACCESS_TOKEN_TTL, "token_use": "access_token", "hub_id": portal_id,
                "user_id": user_id, "scopes": scopes}

    def _client(self, form: dict[str, str]) -> App:
        app = self.state.app_by_client_id(form.get("client_id", ""))
        if app is None:
            raise oauth_error("BAD_CLIENT_ID", "missing or unknown client id", "invalid_client")
        if form.get("client_secret") != app.client_secret:
            raise oauth_error("BAD_CLIENT_SECRET", "missing or invalid client secret", "invalid_client")
        return app

    def token(self, form: dict[str, str]) -> dict[str, Any]:
        grant = form.get("grant_type")
        if grant not in ("authorization_code", "refresh_token"):
            raise oauth_error("BAD_GRANT_TYPE", "missing or unsupported grant type", "unsupported_grant_type")
        app = self._client(form)
        if grant == "authorization_code":
            with self.state.lock:
                code = self.state.codes.get(form.get("code", ""))
                if code is None or code.used or code.app_id != app.app_id or code.expires_at < self.clock.now():
                    raise oauth_error("BAD_AUTH_CODE", "missing or unknown auth code", "invalid_grant")
                if form.get("redirect_uri") != code.redirect_uri:
                    raise oauth_error("BAD_REDIRECT_URI", "redirect_uri does not match initial auth code URI",
                                      "invalid_grant")
                code.used = True
            return self._issue(app, code.portal_id, code.user_id, code.scopes, None)
        with self.state.lock:
            refresh = self.state.refresh_tokens.get(form.get("refresh_token", ""))
            if refresh is None or refresh.revoked or refresh.app_id != app.app_id:
                raise oauth_error("BAD_REFRESH_TOKEN", "missing or invalid refresh token", "invalid_grant")
        return self._issue(app, refresh.portal_id, refresh.user_id, refresh.scopes, refresh)

    def access_info(self, access: AccessToken) -> dict[str, Any]:
        portal = self.state.portals[access.portal_id]
        app = self.state.apps.get(access.app_id or 0)
        remaining = max(int((access.expires_at or self.clock.now()) - self.clock.now()), 0)
        scopes = access.scopes or []
        user = next((u.email for u in portal.users if u.user_id == access.user_id), "")
        return {
            "active": not access.revoked and remaining > 0, "token": access.token, "token_type": "access",
            "token_use": "access_token", "app_id": access.app_id or 0, "client_id": app.client_id if app else "",
            "hub_id": access.portal_id, "user_id": access.user_id, "user": user,
            "hub_domain": f"portal{access.portal_id}.example.com", "scopes": scopes, "expires_in": remaining,
            "is_private_distribution": False,
            "signed_access_token": {
                "appId": access.app_id or 0, "appInstallId": f"{access.app_id}-{access.portal_id}",
                "audience": "HUBSPOT_OAUTH", "expiresAt": int((access.expires_at or 0) * 1000),
                "hubId": access.portal_id, "hublet": portal.data_hosting_location,
                "installingUserId": access.user_id, "isPrivateDistribution": False, "isServiceAccount": False,
                "isUserLevel": False, "newSignature": uuid.uuid4().hex, "scopeToScopeGroupPks": "",
                "scopes": " ".join(scopes), "signature": uuid.uuid4().hex, "trialScopeToScopeGroupPks": "",
                "trialScopes": "", "userId": access.user_id,
            },
        }

    def refresh_info(self, refresh: RefreshToken) -> dict[str, Any]:
        portal = self.state.portals[refresh.portal_id]
        app = self.state.apps[refresh.app_id]
        user = next((u.email for u in portal.users if u.user_id == refresh.user_id), "")
        return {"active": not refresh.revoked, "token": refresh.token, "token_type": "refresh",
                "token_use": "refresh_token", "app_id": refresh.app_id, "client_id": app.client_id,
                "hub_id": refresh.portal_id, "user_id": refresh.user_id, "user": user,
                "hub_domain": f"portal{refresh.portal_id}.example.com", "scopes": refresh.scopes}


# ---- HTTP handlers ------------------------------------------------------------------------------------------------

def _form(ctx: Ctx, version: str) -> dict[str, str]:
    if version != "v1" and any(k in ctx.request.args for k in ("client_secret", "refresh_token", "code")):
        raise oauth_error("BAD_REQUEST", "OAuth parameters must be sent in the request body, not the query string",
                          "invalid_request")
    return dict(ctx.request.form.items())


def token(ctx: Ctx, version: str) -> Response:
    return json_response(ctx.sim.oauth.token(_form(ctx, version)))


def introspect(ctx: Ctx, version: str) -> Response:
    form = _form(ctx, version)
    service = ctx.sim.oauth
    app = service._client(form)
    value = form.get("token", "")
    state = ctx.sim.state
    access = state.access_tokens.get(value)
    if access is not None and access.app_id == app.app_id:
        return json_response(service.access_info(access))
    refresh = state.refresh_tokens.get(value)
    if refresh is not None and refresh.app_id == app.app_id:
        return json_response(service.refresh_info(refresh))
    raise oauth_error("BAD_TOKEN", "missing or unknown token", "invalid_token")


def revoke(ctx: Ctx, version: str) -> Response:
    form = _form(ctx, version)
    app = ctx.sim.oauth._client(form)
    state = ctx.sim.state
    with state.lock:
        refresh = state.refresh_tokens.get(form.get("token", ""))
        access = state.access_tokens.get(form.get("token", ""))
        if refresh is not None and refresh.app_id == app.app_id:
            refresh.revoked = True
        elif access is not None and access.app_id == app.app_id:
            access.revoked = True
    return Response(status=204)


def v1_access_token(ctx: Ctx, token_value: str) -> Response:
    access = ctx.sim.state.access_tokens.get(token_value)
    if access is None or access.revoked or (access.expires_at or 0) < ctx.sim.clock.now():
        raise HubSpotError(404, "OBJECT_NOT_FOUND", "access token not found or expired")
    info = ctx.sim.oauth.access_info(access)
    info.pop("signed_access_token")
    return json_response(info)


def v1_refresh_token(ctx: Ctx, token_value: str) -> Response:
    refresh = ctx.sim.state.refresh_tokens.get(token_value)
    if refresh is None or refresh.revoked:
        raise HubSpotError(404, "OBJECT_NOT_FOUND", "refresh token not found")
    if ctx.request.method == "DELETE":
        refresh.revoked = True
        return Response(status=204)
    return json_response(ctx.sim.oauth.refresh_info(refresh))


def _page(title: str, body: str, status: int = 200) -> Response:
    return Response(f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
                    f"<body><h1>{html.escape(title)}</h1>{body}</body></html>", status=status,
                    content_type="text/html; charset=utf-8")


def authorize_page(ctx: Ctx) -> Response:
    args = ctx.request.args
    try:
        app = ctx.sim.oauth.check_redirect(args.get("client_id", ""), args.get("redirect_uri", ""))
    except HubSpotError as exc:
        return _page("Authorization error", f"<p id='error'>{html.escape(exc.message)}</p>", status=400)
    scopes = " ".join(x for x in (args.get("scope", ""), args.get("optional_scope", "")) if x)
    with ctx.sim.state.lock:
        portals = list(ctx.sim.state.portals.values())
    options = "".join(f"<option value='{p.portal_id}'>Portal {p.portal_id} ({p.company_currency})</option>"
                      for p in portals) + "<option value='new'>Create a new test portal (USD)</option>"
    hidden = "".join(f"<input type='hidden' name='{k}' value='{html.escape(v, quote=True)}'>"
                     for k, v in (("client_id", app.client_id), ("redirect_uri", args.get("redirect_uri", "")),
                                  ("scope", scopes), ("state", args.get("state", ""))))
    scope_items = "".join(f"<li>{html.escape(s)}</li>" for s in scopes.split())
    return _page(f"Connect {app.name}", f"""
<p>{html.escape(app.name)} (app {app.app_id}) asks for access to:</p><ul id='scopes'>{scope_items}</ul>
<form method='post' action='/oauth/authorize'>{hidden}
<label for='portal_id'>Choose an account</label> <select id='portal_id' name='portal_id'>{options}</select>
<button type='submit' name='decision' value='approve' id='approve'>Connect app</button>
<button type='submit' name='decision' value='deny' id='deny'>Cancel</button>
</form>""")


def authorize_submit(ctx: Ctx) -> Response:
    form = ctx.request.form
    sim = ctx.sim
    portal_value = form.get("portal_id", "")
    if portal_value == "new":
        portal = sim.new_portal("USD")
    else:
        found = sim.state.portals.get(int(portal_value)) if portal_value.isdigit() else None
        if found is None:
            return _page("Authorization error", "<p id='error'>Unknown portal</p>", status=400)
        portal = found
    try:
        target = sim.oauth.consent(form.get("client_id", ""), form.get("redirect_uri", ""), form.get("scope", ""),
                                   form.get("state") or None, portal, approve=form.get("decision") == "approve")
    except HubSpotError as exc:
        return _page("Authorization error", f"<p id='error'>{html.escape(exc.message)}</p>", status=400)
    return Response(status=302, headers={"Location": target})


def routes() -> list[Route]:
    out = [
        Route("/oauth/authorize", ("GET",), authorize_page, auth=False, kind="oauth"),
        Route("/oauth/authorize", ("POST",), authorize_submit, auth=False, kind="oauth"),
        Route("/oauth/v1/access-tokens/<token_value>", ("GET",), v1_access_token, auth=False, kind="oauth"),
        Route("/oauth/v1/refresh-tokens/<token_value>", ("GET", "DELETE"), v1_refresh_token, auth=False,
              kind="oauth"),
    ]
    for version, path in TOKEN_PATHS.items():
        out.append(Route(path, ("POST",), token, auth=False, kind="oauth", defaults={"version": version}))
        if version != "v1":
            out.append(Route(f"{path}/introspect", ("POST",), introspect, auth=False, kind="oauth",
                             defaults={"version": version}))
            out.append(Route(f"{path}/revoke", ("POST",), revoke, auth=False, kind="oauth",
                             defaults={"version": version}))
    return out

