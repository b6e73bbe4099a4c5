"""The /_sandbox/ control API: set up apps and portals, consent headlessly, fetch, faults, clock, checks."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.hubspot.crm import Origin, acting_as
from sandbox.hubspot.errors import HubSpotError, validation
from sandbox.hubspot.objects import body_object
from sandbox.hubspot.objecttypes import resolve
from sandbox.hubspot.routing import Ctx, Route
from sandbox.hubspot.state import AccessToken, State
from sandbox.simkit.http import json_response


def _int(body: dict[str, Any], key: str) -> int:
    try:
        return int(body[key])
    except (KeyError, TypeError, ValueError):
        raise validation(f"{key} is required and must be an integer") from None


def create_app(ctx: Ctx) -> Response:
    body = body_object(ctx)
    uris = body.get("redirect_uris")
    if not isinstance(uris, list) or not all(isinstance(u, str) for u in uris):
        raise validation("redirect_uris must be a list of URLs")
    subs = body.get("subscriptions")
    app = ctx.sim.state.add_app(uris, body.get("webhook_url"), subs, body.get("name", "Sandbox app"))
    return json_response({"app_id": app.app_id, "client_id": app.client_id, "client_secret": app.client_secret},
                         status=201)


def list_apps(ctx: Ctx) -> Response:
    with ctx.sim.state.lock:
        apps = [a.to_json() for a in ctx.sim.state.apps.values()]
        installs = [{"app_id": a, "portal_id": p} for a, p in ctx.sim.state.installs]
    return json_response({"results": apps, "installs": installs})


def update_app(ctx: Ctx, app_id: str) -> Response:
    """Change an app's webhook target: `{"webhook_url": null}` is a webhook route that is down for good (HubSpot
    gave up retrying), so edits made meanwhile reach the app only by reading them back (search, reads)."""
    body = body_object(ctx)
    if "webhook_url" not in body or not (body["webhook_url"] is None or isinstance(body["webhook_url"], str)):
        raise validation("webhook_url is required: a URL, or null for no deliveries")
    with ctx.sim.state.lock:
        app = ctx.sim.state.apps.get(int(app_id)) if app_id.isdigit() else None
        if app is None:
            raise HubSpotError(404, "OBJECT_NOT_FOUND", f"unknown app {app_id}")
        app.webhook_url = body["webhook_url"]
        return json_response(app.to_json())


def create_portal(ctx: Ctx) -> Response:
    body = body_object(ctx)
    currency = str(body.get("company_currency") or "USD").upper()
    portal = ctx.sim.new_portal(currency, [str(c).upper() for c in body.get("additional_currencies") or []],
                                body.get("time_zone", "US/Eastern"), body.get("ui_domain", "app.hubspot.com"),
                                body.get("data_hosting_location", "na1"))
    return json_response({"portal_id": portal.portal_id, "user_id": portal.users[0].user_id,
                          "user_email": portal.users[0].email, "owner_id": portal.users[0].owner_id}, status=201)


def list_portals(ctx: Ctx) -> Response:
    with ctx.sim.state.lock:
        out = [{"portal_id": p.portal_id, "company_currency": p.company_currency,
                "additional_currencies": p.additional_currencies, "time_zone": p.time_zone,
                "users": [{"user_id": u.user_id, "owner_id": u.owner_id, "email": u.email, "archived": u.archived}
                          for u in p.users]}
               for p in ctx.sim.state.portals.values()]
    return json_response({"results": out})


def create_user(ctx: Ctx) -> Response:
    """Add a user (and so an owner) to a portal; `archived` makes it a deactivated user."""
    body = body_object(ctx)
    portal = _portal(ctx, body)
    names = {key: body.get(key) for key in ("email", "first_name", "last_name")}
    if any(value is not None and not isinstance(value, str) for value in names.values()):
        raise validation("email, first_name and last_name must be strings")
    user = ctx.sim.state.new_user(portal, names["email"] or None, names["first_name"] or "", names["last_name"] or "",
                                  created_ms=int(ctx.sim.clock.now() * 1000))
    user.archived = bool(body.get("archived", False))
    return json_response({"user_id": user.user_id, "owner_id": user.owner_id, "email": user.email,
                          "archived": user.archived}, status=201)


def _portal(ctx: Ctx, body: dict[str, Any]) -> Any:
    portal = ctx.sim.state.portals.get(_int(body, "portal_id"))
    if portal is None:
        raise HubSpotError(404, "OBJECT_NOT_FOUND", "unknown portal_id")
    return portal


def authorize(ctx: Ctx) -> Response:
    body = body_object(ctx)
    portal = _portal(ctx, body)
    redirect = ctx.sim.oauth.consent(str(body.get("client_id", "")), str(body.get("redirect_uri", "")),
                                     str(body.get("scope", "")), body.get("state"), portal,
                                     approve=bool(body.get("approve", True)), user_id=body.get("user_id"))
    return json_response({"redirect": redirect})


def install(ctx: Ctx) -> Response:
    body = body_object(ctx)
    portal = _portal(ctx, body)
    app_id = _int(body, "app_id")
    if app_id not in ctx.sim.state.apps:
        raise HubSpotError(404, "OBJECT_NOT_FOUND", "unknown app_id")
    with ctx.sim.state.lock:
        ctx.sim.state.installs.setdefault((app_id, portal.portal_id), "")
    return json_response({"app_id": app_id, "portal_id": portal.portal_id}, status=201)


def static_token(ctx: Ctx) -> Response:
    body = body_object(ctx)
    portal = _portal(ctx, body)
    # With an installed app's id the token writes as that app (webhooks then say INTEGRATION with its id).
    app_id = _int(body, "app_id") if body.get("app_id") is not None else None
    if app_id is not None and (app_id, portal.portal_id) not in ctx.sim.state.installs:
        raise HubSpotError(409, "VALIDATION_ERROR", "the app is not installed in this portal")
    token = AccessToken(State.opaque_token("pat-na1-"), portal.portal_id, portal.users[0].user_id, None, app_id,
                        None)
    with ctx.sim.state.lock:
        ctx.sim.state.access_tokens[token.token] = token
    return json_response({"access_token": token.token}, status=201)


def user_edit(ctx: Ctx) -> Response:
    """A person edits (or deletes, with "delete": true) a record in HubSpot's UI: the change is tagged CRM_UI with
    the user's id, as HubSpot's webhooks report edits made in the CRM."""
    body = body_object(ctx)
    portal = _portal(ctx, body)
    otype = resolve(str(body.get("object_type") or ""))
    user_id = int(body.get("user_id") or portal.users[0].user_id)
    obj = ctx.sim.crm.find(portal, otype.name, str(body.get("object_id") or ""))
    if obj is None:
        raise HubSpotError(404, "OBJECT_NOT_FOUND", "unknown object_id")
    properties = body.get("properties") or {}
    if not isinstance(properties, dict):
        raise validation("properties must be an object of property name -> value")
    with acting_as(Origin("CRM_UI", f"userId:{user_id}")):
        if body.get("delete"):
            ctx.sim.crm.archive(portal, obj)
            return Response(status=204)
        ctx.sim.crm.update(portal, obj, properties)
    return json_response(ctx.sim.crm.render(portal, obj, all_properties=True))


def card_fetch(ctx: Ctx) -> Response:
    body = body_object(ctx)
    if not body.get("url") or not body.get("method"):
        raise validation("method and url are required")
    result = ctx.sim.fetcher.fetch(_int(body, "app_id"), _int(body, "portal_id"), _int(body, "user_id"),
                                   str(body["method"]), str(body["url"]), body.get("body"), body.get("user_email"))
    return json_response(result)


def stats(ctx: Ctx) -> Response:
    if ctx.request.method == "DELETE":
        ctx.sim.stats.reset()
        return Response(status=204)
    return json_response(ctx.sim.stats.snapshot())


def faults(ctx: Ctx) -> Response:
    if ctx.request.method == "DELETE":
        ctx.sim.faults.clear()
        return Response(status=204)
    if ctx.request.method == "GET":
        return json_response({"fault": ctx.sim.faults.describe()})
    body = body_object(ctx)
    try:
        rule = ctx.sim.faults.configure(int(body.get("status", 0)), float(body.get("rate", 1.0)),
                                        int(body.get("latency_ms", 0)), str(body.get("path_prefix", "/")),
                                        lost_rate=float(body.get("lost_rate", 0.0)),
                                        methods=tuple(str(m) for m in body.get("methods") or ()),
                                        seed=int(body["seed"]) if body.get("seed") is not None else None)
    except ValueError as exc:
        raise validation(str(exc)) from None
    return json_response({"fault": ctx.sim.faults.describe() or rule.__dict__})


def clock(ctx: Ctx) -> Response:
    if ctx.request.method == "POST":
        try:
            ctx.sim.clock.advance(float(body_object(ctx).get("advance_seconds", 0)))
        except ValueError as exc:
            raise validation(str(exc)) from None
    return json_response({"now": ctx.sim.clock.now(), "offset_seconds": ctx.sim.clock.offset})


def violations(ctx: Ctx) -> Response:
    if ctx.request.method == "DELETE":
        ctx.sim.clear_violations()
        return Response(status=204)
    found = ctx.sim.violations()
    return json_response({"enabled": ctx.sim.contract is not None, "count": len(found), "violations": found})


def webhooks(ctx: Ctx) -> Response:
    if ctx.request.method == "DELETE":
        ctx.sim.webhooks.clear()
        return Response(status=204)
    return json_response({"deliveries": ctx.sim.webhooks.deliveries()})


def webhooks_flush(ctx: Ctx) -> Response:
    sent = ctx.sim.webhooks.flush()
    return json_response({"attempted": sent, "deliveries": ctx.sim.webhooks.deliveries()})


def limits(ctx: Ctx) -> Response:
    if ctx.request.method == "POST":
        body = body_object(ctx)
        current = ctx.sim.limits.describe()
        ctx.sim.limits.configure(int(body.get("burst_limit", current["burst_limit"])),
                                 float(body.get("burst_window_seconds", current["burst_window_seconds"])),
                                 int(body.get("search_per_second", current["search_per_second"])))
        if "retry_after" in body:
            ctx.sim.limits.retry_after = bool(body["retry_after"])
    return json_response(ctx.sim.limits.describe())


def oauth_config(ctx: Ctx) -> Response:
    if ctx.request.method == "POST":
        body = body_object(ctx)
        if "rotate_refresh_tokens" in body:
            ctx.sim.state.rotate_refresh_tokens = bool(body["rotate_refresh_tokens"])
    return json_response({"rotate_refresh_tokens": ctx.sim.state.rotate_refresh_tokens})


def reset(ctx: Ctx) -> Response:
    ctx.sim.reset()
    return Response(status=204)


def routes() -> list[Route]:
    def r(path: str, methods: tuple[str, ...], handler: Any) -> Route:
        return Route(f"/_sandbox/{path}", methods, handler, auth=False, kind="control")

    return [
        r("apps", ("POST",), create_app), r("apps", ("GET",), list_apps),
        r("apps/<app_id>", ("PATCH",), update_app),
        r("portals", ("POST",), create_portal), r("portals", ("GET",), list_portals),
        r("users", ("POST",), create_user),
        r("authorize", ("POST",), authorize), r("installs", ("POST",), install),
        r("tokens", ("POST",), static_token), r("fetch", ("POST",), card_fetch),
        r("user-edit", ("POST",), user_edit),
        r("stats", ("GET", "DELETE"), stats), r("faults", ("GET", "POST", "DELETE"), faults),
        r("clock", ("GET", "POST"), clock), r("openapi-violations", ("GET", "DELETE"), violations),
        r("webhooks", ("GET", "DELETE"), webhooks), r("webhooks/flush", ("POST",), webhooks_flush),
        r("limits", ("GET", "POST"), limits), r("reset", ("POST",), reset),
        r("oauth-config", ("GET", "POST"), oauth_config),
    ]
