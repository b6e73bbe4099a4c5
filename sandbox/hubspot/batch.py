"""Batch read/create/update/upsert/archive: up to 100 inputs, 207 with errors[] when some inputs fail."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.hubspot.crm import Crm
from sandbox.hubspot.errors import HubSpotError, batch_error, validation
from sandbox.hubspot.objects import body_object
from sandbox.hubspot.objecttypes import resolve
from sandbox.hubspot.propdefs import iso_ms
from sandbox.hubspot.routing import OBJECT_PREFIXES, Ctx, Route
from sandbox.hubspot.state import Portal
from sandbox.simkit.http import json_response

MAX_INPUTS = 100


def _inputs(body: dict[str, Any]) -> list[Any]:
    inputs = body.get("inputs")
    if not isinstance(inputs, list):
        raise validation("inputs must be an array")
    if len(inputs) > MAX_INPUTS:
        raise validation(f"Too many inputs: {len(inputs)}; the limit is {MAX_INPUTS}",
                         sub_category="BATCH_TOO_LARGE")
    return inputs


def _envelope(ctx: Ctx, started: int, results: list[dict[str, Any]], errors: list[dict[str, Any]],
              ok_status: int) -> Response:
    out: dict[str, Any] = {"status": "COMPLETE", "results": results, "startedAt": iso_ms(started),
                           "completedAt": iso_ms(ctx.sim.crm.now_ms())}
    if errors:
        out["errors"] = errors
        out["numErrors"] = len(errors)
        return json_response(out, status=207)
    return json_response(out, status=ok_status)


def _as_error(exc: HubSpotError, ids: list[str], trace_id: Any = None) -> dict[str, Any]:
    """One `errors[]` entry. An input's `objectWriteTraceId` comes back in the error's context so the caller can
    tell which input failed (api-facts H5: "give each input a unique objectWriteTraceId to correlate")."""
    context: dict[str, list[str]] = {"ids": ids} if ids else {}
    if trace_id not in (None, ""):
        context["objectWriteTraceId"] = [str(trace_id)]
    return batch_error(exc.category, exc.message, context)


def _prepare(ctx: Ctx, object_type: str, write: bool) -> tuple[Crm, Portal, str, dict[str, Any]]:
    otype = resolve(object_type)
    ctx.require_scope(otype.scope, write=write)
    return ctx.sim.crm, ctx.need_portal(), otype.name, body_object(ctx)


def batch_read(ctx: Ctx, object_type: str, version: str) -> Response:
    crm, portal, name, body = _prepare(ctx, object_type, write=False)
    started = crm.now_ms()
    id_property = body.get("idProperty")
    archived = ctx.query_bool("archived")
    results, missing = [], []
    for item in _inputs(body):
        wanted = str((item or {}).get("id", ""))
        obj = crm.find(portal, name, wanted, id_property, archived=archived)
        if obj is None:
            missing.append(wanted)
        else:
            results.append(crm.render(portal, obj, body.get("properties") or [], body.get("propertiesWithHistory")))
    errors = [batch_error("OBJECT_NOT_FOUND", "Could not get some " + name + " objects, they may be deleted or "
                          "not exist. Check that ids are valid.", {"ids": missing})] if missing else []
    return _envelope(ctx, started, results, errors, 200)


def batch_create(ctx: Ctx, object_type: str, version: str) -> Response:
    crm, portal, name, body = _prepare(ctx, object_type, write=True)
    started = crm.now_ms()
    results, errors = [], []
    for item in _inputs(body):
        item = item or {}
        try:
            obj = crm.create(portal, name, item.get("properties") or {}, item.get("associations"))
        except HubSpotError as exc:
            errors.append(_as_error(exc, [], item.get("objectWriteTraceId")))
            continue
        rendered = crm.render(portal, obj, all_properties=True)
        results.append(_traced(rendered, item))
    return _envelope(ctx, started, results, errors, 201)


def _traced(rendered: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    """Echo the input's objectWriteTraceId so the caller can match results to inputs."""
    if item.get("objectWriteTraceId"):
        rendered["objectWriteTraceId"] = item["objectWriteTraceId"]
    return rendered


def batch_update(ctx: Ctx, object_type: str, version: str) -> Response:
    crm, portal, name, body = _prepare(ctx, object_type, write=True)
    started = crm.now_ms()
    results, errors = [], []
    for item in _inputs(body):
        item = item or {}
        wanted = str(item.get("id", ""))
        try:
            obj = crm.find(portal, name, wanted, item.get("idProperty"))
            if obj is None:
                raise HubSpotError(404, "OBJECT_NOT_FOUND", f"Object with id {wanted} was not found")
            crm.update(portal, obj, item.get("properties") or {})
        except HubSpotError as exc:
            errors.append(_as_error(exc, [wanted], item.get("objectWriteTraceId")))
            continue
        rendered = crm.render(portal, obj, all_properties=True)
        results.append(_traced(rendered, item))
    return _envelope(ctx, started, results, errors, 200)


def batch_upsert(ctx: Ctx, object_type: str, version: str) -> Response:
    crm, portal, name, body = _prepare(ctx, object_type, write=True)
    started = crm.now_ms()
    results, errors = [], []
    # The products spec documents idProperty as a query parameter while the schema has it per input: take both.
    query_id_property = ctx.request.args.get("idProperty")
    for item in _inputs(body):
        item = item or {}
        wanted = str(item.get("id", ""))
        id_property = item.get("idProperty") or query_id_property
        try:
            if not id_property:
                raise validation("idProperty is required for upsert")
            prop = portal.properties[name].get(id_property)
            if prop is None or not (prop.unique or (name == "contacts" and id_property == "email")):
                raise validation(f"{id_property} is not a unique property of {name}; upsert needs a property "
                                 "with hasUniqueValue=true")
            obj = crm.find(portal, name, wanted, id_property)
            if obj is None:
                obj = crm.create(portal, name, {**(item.get("properties") or {}), id_property: wanted})
                created = True
            else:
                crm.update(portal, obj, item.get("properties") or {})
                created = False
        except HubSpotError as exc:
            errors.append(_as_error(exc, [wanted], item.get("objectWriteTraceId")))
            continue
        rendered = crm.render(portal, obj, all_properties=True)
        rendered["new"] = created
        results.append(_traced(rendered, item))
    return _envelope(ctx, started, results, errors, 200)


def batch_archive(ctx: Ctx, object_type: str, version: str) -> Response:
    crm, portal, name, body = _prepare(ctx, object_type, write=True)
    for item in _inputs(body):
        obj = crm.find(portal, name, str((item or {}).get("id", "")))
        if obj is not None:
            crm.archive(portal, obj)
    return Response(status=204)


def routes() -> list[Route]:
    out: list[Route] = []
    for version, prefix in OBJECT_PREFIXES.items():
        d = {"version": version}
        for op, handler in (("read", batch_read), ("create", batch_create), ("update", batch_update),
                            ("upsert", batch_upsert), ("archive", batch_archive)):
            out.append(Route(f"{prefix}/<object_type>/batch/{op}", ("POST",), handler, defaults=d))
    return out
