"""Single-record CRM endpoints: list, read, create, update and archive, at v3 and date-versioned paths."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.hubspot.errors import not_found, validation
from sandbox.hubspot.objecttypes import resolve
from sandbox.hubspot.routing import OBJECT_PREFIXES, Ctx, Route
from sandbox.simkit.http import json_response, read_json


def body_object(ctx: Ctx) -> dict[str, Any]:
    body = read_json(ctx.request)
    if not isinstance(body, dict):
        raise validation("Invalid input JSON: expected an object")
    return body


def list_objects(ctx: Ctx, object_type: str, version: str) -> Response:
    otype = resolve(object_type)
    ctx.require_scope(otype.scope, write=False)
    portal = ctx.need_portal()
    crm = ctx.sim.crm
    limit = ctx.query_int("limit", 10, 100)
    after = ctx.request.args.get("after")
    records = crm.live(portal, otype.name, archived=ctx.query_bool("archived"))
    if after:
        records = [r for r in records if int(r.id) > int(after)] if after.isdigit() else []
    page, more = records[:limit], len(records) > limit
    out: dict[str, Any] = {"results": [crm.render(portal, r, ctx.query_list("properties"),
                                                  ctx.query_list("propertiesWithHistory"),
                                                  ctx.query_list("associations")) for r in page]}
    if more:
        out["paging"] = {"next": {"after": page[-1].id, "link": f"?after={page[-1].id}"}}
    return json_response(out)


def get_object(ctx: Ctx, object_type: str, object_id: str, version: str) -> Response:
    otype = resolve(object_type)
    ctx.require_scope(otype.scope, write=False)
    portal = ctx.need_portal()
    obj = ctx.sim.crm.find(portal, otype.name, object_id, ctx.request.args.get("idProperty"),
                           archived=ctx.query_bool("archived"))
    if obj is None:
        raise not_found()
    return json_response(ctx.sim.crm.render(portal, obj, ctx.query_list("properties"),
                                            ctx.query_list("propertiesWithHistory"),
                                            ctx.query_list("associations")))


def create_object(ctx: Ctx, object_type: str, version: str) -> Response:
    otype = resolve(object_type)
    ctx.require_scope(otype.scope, write=True)
    portal = ctx.need_portal()
    body = body_object(ctx)
    obj = ctx.sim.crm.create(portal, otype.name, body.get("properties") or {}, body.get("associations"))
    return json_response(ctx.sim.crm.render(portal, obj, all_properties=True), status=201)


def update_object(ctx: Ctx, object_type: str, object_id: str, version: str) -> Response:
    otype = resolve(object_type)
    ctx.require_scope(otype.scope, write=True)
    portal = ctx.need_portal()
    obj = ctx.sim.crm.find(portal, otype.name, object_id, ctx.request.args.get("idProperty"))
    if obj is None:
        raise not_found()
    body = body_object(ctx)
    ctx.sim.crm.update(portal, obj, body.get("properties") or {})
    return json_response(ctx.sim.crm.render(portal, obj, all_properties=True))


def archive_object(ctx: Ctx, object_type: str, object_id: str, version: str) -> Response:
    otype = resolve(object_type)
    ctx.require_scope(otype.scope, write=True)
    portal = ctx.need_portal()
    obj = ctx.sim.crm.find(portal, otype.name, object_id)
    if obj is not None:
        ctx.sim.crm.archive(portal, obj)
    # HubSpot answers 204 even when the record was already gone.
    return Response(status=204)


def routes() -> list[Route]:
    out: list[Route] = []
    for version, prefix in OBJECT_PREFIXES.items():
        d = {"version": version}
        out += [
            Route(f"{prefix}/<object_type>", ("GET",), list_objects, defaults=d),
            Route(f"{prefix}/<object_type>", ("POST",), create_object, defaults=d),
            Route(f"{prefix}/<object_type>/<object_id>", ("GET",), get_object, defaults=d),
            Route(f"{prefix}/<object_type>/<object_id>", ("PATCH",), update_object, defaults=d),
            Route(f"{prefix}/<object_type>/<object_id>", ("DELETE",), archive_object, defaults=d),
        ]
    return out

