"""Associations v4 (and their 2026-03 equivalents): default and labelled links, batch calls, labels."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.hubspot import assocdefs
from sandbox.hubspot.errors import HubSpotError, batch_error, validation
from sandbox.hubspot.objects import body_object
from sandbox.hubspot.objecttypes import ObjectType, by_name, resolve
from sandbox.hubspot.propdefs import iso_ms
from sandbox.hubspot.routing import ASSOC_OBJECT_PREFIXES, ASSOC_PREFIXES, Ctx, Route
from sandbox.hubspot.state import Portal
from sandbox.simkit.http import json_response, read_json

MAX_INPUTS = 1000  # the v4 association batch endpoints take more inputs than the object ones


def _id_out(version: str, value: str) -> int | str:
    # v4 types object ids in association answers as integers; the date-versioned specs use strings.
    return int(value) if version == "v4" else value


def _spec_with_label(version: str, type_id: int) -> dict[str, Any]:
    assoc = assocdefs.ALL[type_id]
    out: dict[str, Any] = {"category": assoc.category, "typeId": type_id}
    if assoc.label is not None:
        out["label"] = assoc.label
    if version != "v4":
        out["fromObjectTypeId"] = by_name(assoc.from_type).type_id
        out["toObjectTypeId"] = by_name(assoc.to_type).type_id
    return out


def _types(ctx: Ctx, from_type: str, to_type: str) -> tuple[ObjectType, ObjectType, Portal]:
    f, t = resolve(from_type), resolve(to_type)
    ctx.require_scope(f.scope, write=False)
    return f, t, ctx.need_portal()


def _batch(ctx: Ctx, results: list[Any], errors: list[dict[str, Any]], started: int, ok: int) -> Response:
    out: dict[str, Any] = {"status": "COMPLETE", "results": results, "startedAt": iso_ms(started),
                           "completedAt": iso_ms(ctx.sim.crm.now_ms())}
    if errors:
        out.update(errors=errors, numErrors=len(errors))
        return json_response(out, status=207)
    return json_response(out, status=ok)


def _inputs(body: dict[str, Any]) -> list[dict[str, Any]]:
    inputs = body.get("inputs")
    if not isinstance(inputs, list):
        raise validation("inputs must be an array")
    if len(inputs) > MAX_INPUTS:
        raise validation(f"Too many inputs: {len(inputs)}; the limit is {MAX_INPUTS}")
    return [i or {} for i in inputs]


def _default_pair(f: ObjectType, t: ObjectType) -> assocdefs.AssocType:
    default = assocdefs.default_for(f.name, t.name)
    if default is None:
        raise validation(f"There is no default association type from {f.name} to {t.name}")
    return default


def _default_results(f: ObjectType, t: ObjectType, from_id: str, to_id: str) -> list[dict[str, Any]]:
    default = _default_pair(f, t)
    return [{"from": {"id": from_id}, "to": {"id": to_id},
             "associationSpec": {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": default.type_id}},
            {"from": {"id": to_id}, "to": {"id": from_id},
             "associationSpec": {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": default.inverse_id}}]


def associate_default(ctx: Ctx, from_type: str, from_id: str, to_type: str, to_id: str, version: str) -> Response:
    f, t, portal = _types(ctx, from_type, to_type)
    started = ctx.sim.crm.now_ms()
    ctx.sim.crm.associate(portal, f.name, from_id, t.name, to_id, [_default_pair(f, t).type_id])
    return _batch(ctx, _default_results(f, t, from_id, to_id), [], started, 200)


def _labels_pair(version: str, f: ObjectType, t: ObjectType, from_id: str, to_id: str,
                 type_ids: list[int]) -> dict[str, Any]:
    labels = sorted({label for i in type_ids if (label := assocdefs.ALL[i].label)})
    return {"fromObjectTypeId": f.type_id, "fromObjectId": _id_out(version, from_id), "toObjectTypeId": t.type_id,
            "toObjectId": _id_out(version, to_id), "labels": labels}


def _specs(raw: Any) -> list[int]:
    if not isinstance(raw, list) or not raw:
        raise validation("Expected a non-empty array of association specs")
    ids = []
    for spec in raw:
        try:
            ids.append(int((spec or {})["associationTypeId"]))
        except (KeyError, TypeError, ValueError):
            raise validation(f"Invalid association spec: {spec!r}") from None
    return ids


def associate_labelled(ctx: Ctx, object_type: str, object_id: str, to_type: str, to_id: str,
                       version: str) -> Response:
    f, t, portal = _types(ctx, object_type, to_type)
    ids = ctx.sim.crm.associate(portal, f.name, object_id, t.name, to_id, _specs(read_json(ctx.request)))
    return json_response(_labels_pair(version, f, t, object_id, to_id, ids), status=201)


def remove_all(ctx: Ctx, object_type: str, object_id: str, to_type: str, to_id: str, version: str) -> Response:
    f, t, portal = _types(ctx, object_type, to_type)
    ctx.sim.crm.dissociate(portal, f.name, object_id, t.name, to_id)
    return Response(status=204)


def _linked(ctx: Ctx, version: str, portal: Portal, f: ObjectType, object_id: str,
            t: ObjectType) -> list[dict[str, Any]]:
    return [{"toObjectId": _id_out(version, to_id),
             "associationTypes": [_spec_with_label(version, i) for i in sorted(ids)]}
            for to_id, ids in ctx.sim.crm.associated(portal, f.name, object_id, t.name).items()]


def list_associations(ctx: Ctx, object_type: str, object_id: str, to_type: str, version: str) -> Response:
    f, t, portal = _types(ctx, object_type, to_type)
    if ctx.sim.crm.find(portal, f.name, object_id) is None:
        raise HubSpotError(404, "OBJECT_NOT_FOUND", f"No {f.name} with ID {object_id} exists")
    limit = ctx.query_int("limit", 500, 500)
    after = ctx.request.args.get("after")
    linked = _linked(ctx, version, portal, f, object_id, t)
    start = int(after) if after and after.isdigit() else 0
    out: dict[str, Any] = {"results": linked[start:start + limit]}
    if start + limit < len(linked):
        out["paging"] = {"next": {"after": str(start + limit), "link": f"?after={start + limit}"}}
    return json_response(out)


def batch_associate_default(ctx: Ctx, from_type: str, to_type: str, version: str) -> Response:
    f, t, portal = _types(ctx, from_type, to_type)
    started = ctx.sim.crm.now_ms()
    results, errors = [], []
    for item in _inputs(body_object(ctx)):
        from_id, to_id = str((item.get("from") or {}).get("id", "")), str((item.get("to") or {}).get("id", ""))
        try:
            ctx.sim.crm.associate(portal, f.name, from_id, t.name, to_id, [_default_pair(f, t).type_id])
        except HubSpotError as exc:
            errors.append(batch_error(exc.category, exc.message, {"fromObjectId": [from_id], "toObjectId": [to_id]}))
            continue
        results += _default_results(f, t, from_id, to_id)
    return _batch(ctx, results, errors, started, 200)


def batch_create(ctx: Ctx, from_type: str, to_type: str, version: str) -> Response:
    f, t, portal = _types(ctx, from_type, to_type)
    started = ctx.sim.crm.now_ms()
    results, errors = [], []
    for item in _inputs(body_object(ctx)):
        from_id, to_id = str((item.get("from") or {}).get("id", "")), str((item.get("to") or {}).get("id", ""))
        try:
            ids = ctx.sim.crm.associate(portal, f.name, from_id, t.name, to_id, _specs(item.get("types")))
        except HubSpotError as exc:
            errors.append(batch_error(exc.category, exc.message, {"fromObjectId": [from_id], "toObjectId": [to_id]}))
            continue
        results.append(_labels_pair(version, f, t, from_id, to_id, ids))
    return _batch(ctx, results, errors, started, 201)


def batch_read(ctx: Ctx, from_type: str, to_type: str, version: str) -> Response:
    f, t, portal = _types(ctx, from_type, to_type)
    started = ctx.sim.crm.now_ms()
    results, errors = [], []
    for item in _inputs(body_object(ctx)):
        object_id = str(item.get("id", ""))
        if ctx.sim.crm.find(portal, f.name, object_id) is None:
            errors.append(batch_error("OBJECT_NOT_FOUND", f"No {f.name} with ID {object_id} exists",
                                      {"fromObjectId": [object_id]}))
            continue
        results.append({"from": {"id": object_id}, "to": _linked(ctx, version, portal, f, object_id, t)})
    return _batch(ctx, results, errors, started, 200)


def _done(ctx: Ctx, version: str, started: int) -> Response:
    # v4 answers batch archives with 204; the date-versioned APIs answer with an empty batch response.
    return Response(status=204) if version == "v4" else _batch(ctx, [], [], started, 200)


def batch_archive(ctx: Ctx, from_type: str, to_type: str, version: str) -> Response:
    f, t, portal = _types(ctx, from_type, to_type)
    started = ctx.sim.crm.now_ms()
    for item in _inputs(body_object(ctx)):
        from_id = str((item.get("from") or {}).get("id", ""))
        for target in item.get("to") or []:
            ctx.sim.crm.dissociate(portal, f.name, from_id, t.name, str((target or {}).get("id", "")))
    return _done(ctx, version, started)


def batch_archive_labels(ctx: Ctx, from_type: str, to_type: str, version: str) -> Response:
    f, t, portal = _types(ctx, from_type, to_type)
    started = ctx.sim.crm.now_ms()
    for item in _inputs(body_object(ctx)):
        from_id, to_id = str((item.get("from") or {}).get("id", "")), str((item.get("to") or {}).get("id", ""))
        ctx.sim.crm.dissociate(portal, f.name, from_id, t.name, to_id, _specs(item.get("types")))
    return _done(ctx, version, started)


def labels(ctx: Ctx, from_type: str, to_type: str, version: str) -> Response:
    f, t = resolve(from_type), resolve(to_type)
    ctx.need_portal()
    return json_response({"results": [_spec_with_label(version, a.type_id)
                                      for a in assocdefs.for_pair(f.name, t.name)]})


def routes() -> list[Route]:
    out: list[Route] = []
    for version, prefix in ASSOC_OBJECT_PREFIXES.items():
        d = {"version": version}
        out += [
            Route(f"{prefix}/<from_type>/<from_id>/associations/default/<to_type>/<to_id>", ("PUT",),
                  associate_default, defaults=d),
            Route(f"{prefix}/<object_type>/<object_id>/associations/<to_type>/<to_id>", ("PUT",),
                  associate_labelled, defaults=d),
            Route(f"{prefix}/<object_type>/<object_id>/associations/<to_type>/<to_id>", ("DELETE",),
                  remove_all, defaults=d),
            Route(f"{prefix}/<object_type>/<object_id>/associations/<to_type>", ("GET",), list_associations,
                  defaults=d),
        ]
    for version, prefix in ASSOC_PREFIXES.items():
        d = {"version": version}
        base = f"{prefix}/<from_type>/<to_type>"
        out += [
            Route(f"{base}/batch/associate/default", ("POST",), batch_associate_default, defaults=d),
            Route(f"{base}/batch/create", ("POST",), batch_create, defaults=d),
            Route(f"{base}/batch/read", ("POST",), batch_read, defaults=d),
            Route(f"{base}/batch/archive", ("POST",), batch_archive, defaults=d),
            Route(f"{base}/batch/labels/archive", ("POST",), batch_archive_labels, defaults=d),
            Route(f"{base}/labels", ("GET",), labels, defaults=d),
        ]
    return out
