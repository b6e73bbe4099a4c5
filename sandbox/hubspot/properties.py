"""Properties API: typed property definitions and groups per object type, including custom ones."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from sandbox.hubspot.errors import HubSpotError, batch_error, not_found, validation
from sandbox.hubspot.objects import body_object
from sandbox.hubspot.objecttypes import resolve
from sandbox.hubspot.propdefs import PropertyDef, iso_ms
from sandbox.hubspot.routing import PROPERTY_PREFIXES, Ctx, Route
from sandbox.hubspot.state import PropertyGroup
from sandbox.simkit.http import json_response

TYPES = {"bool", "date", "datetime", "enumeration", "number", "phone_number", "string"}
FIELD_TYPES = {"booleancheckbox", "calculation_equation", "checkbox", "date", "file", "html", "number",
               "phonenumber", "radio", "select", "text", "textarea"}


def _defs(ctx: Ctx, object_type: str) -> tuple[str, dict[str, PropertyDef], dict[str, PropertyGroup]]:
    name = resolve(object_type).name
    portal = ctx.need_portal()
    return name, portal.properties[name], portal.groups[name]


def _build(ctx: Ctx, object_type: str, body: dict[str, Any]) -> PropertyDef:
    _, defs, groups = _defs(ctx, object_type)
    missing = [k for k in ("name", "label", "type", "fieldType", "groupName") if not body.get(k)]
    if missing:
        raise validation(f"Missing required fields: {missing}")
    if body["type"] not in TYPES or body["fieldType"] not in FIELD_TYPES:
        raise validation(f"Invalid type/fieldType: {body['type']}/{body['fieldType']}")
    if body["name"] in defs and not defs[body["name"]].archived:
        raise HubSpotError(409, "OBJECT_ALREADY_EXISTS", f"A property named '{body['name']}' already exists.")
    if body["groupName"] not in groups:
        raise validation(f"Property group {body['groupName']} does not exist.")
    options = body.get("options") or []
    if body["type"] == "enumeration" and not options and body["fieldType"] != "booleancheckbox":
        raise validation("Enumeration properties need options")
    now = iso_ms(ctx.sim.crm.now_ms())
    return PropertyDef(name=body["name"], label=body["label"], type=body["type"], group=body["groupName"],
                       field_type=body["fieldType"], options=tuple((str(o["value"]), str(o["label"]))
                                                                   for o in options),
                       description=body.get("description", ""), unique=bool(body.get("hasUniqueValue")),
                       hubspot_defined=False, number_hint=body.get("numberDisplayHint"),
                       display_order=int(body.get("displayOrder", -1)), created_at=now, updated_at=now)


def list_properties(ctx: Ctx, object_type: str, version: str) -> Response:
    _, defs, _ = _defs(ctx, object_type)
    archived = ctx.query_bool("archived")
    return json_response({"results": [p.to_json() for p in defs.values() if p.archived == archived]})


def get_property(ctx: Ctx, object_type: str, name: str, version: str) -> Response:
    _, defs, _ = _defs(ctx, object_type)
    prop = defs.get(name)
    if prop is None or prop.archived != ctx.query_bool("archived"):
        raise not_found(f"Unable to find property {name}")
    return json_response(prop.to_json())


def create_property(ctx: Ctx, object_type: str, version: str) -> Response:
    _, defs, _ = _defs(ctx, object_type)
    prop = _build(ctx, object_type, body_object(ctx))
    with ctx.sim.state.lock:
        defs[prop.name] = prop
    return json_response(prop.to_json(), status=201)


def update_property(ctx: Ctx, object_type: str, name: str, version: str) -> Response:
    _, defs, groups = _defs(ctx, object_type)
    prop = defs.get(name)
    if prop is None or prop.archived:
        raise not_found(f"Unable to find property {name}")
    body = body_object(ctx)
    if prop.hubspot_defined and set(body) - {"options", "label", "description", "displayOrder", "hidden"}:
        raise validation(f"{name} is a HubSpot-defined property; only labels and options can change")
    with ctx.sim.state.lock:
        if "label" in body:
            prop.label = body["label"]
        if "description" in body:
            prop.description = body["description"]
        if "groupName" in body:
            if body["groupName"] not in groups:
                raise validation(f"Property group {body['groupName']} does not exist.")
            prop.group = body["groupName"]
        if "options" in body:
            prop.options = tuple((str(o["value"]), str(o["label"])) for o in body["options"] or [])
        if "displayOrder" in body:
            prop.display_order = int(body["displayOrder"])
        prop.updated_at = iso_ms(ctx.sim.crm.now_ms())
    return json_response(prop.to_json())


def archive_property(ctx: Ctx, object_type: str, name: str, version: str) -> Response:
    _, defs, _ = _defs(ctx, object_type)
    prop = defs.get(name)
    if prop is None or prop.archived:
        raise not_found(f"Unable to find property {name}")
    if prop.hubspot_defined:
        raise validation(f"{name} is a HubSpot-defined property and cannot be archived")
    prop.archived = True
    return Response(status=204)


def batch_read(ctx: Ctx, object_type: str, version: str) -> Response:
    _, defs, _ = _defs(ctx, object_type)
    body = body_object(ctx)
    started = iso_ms(ctx.sim.crm.now_ms())
    names = [str((i or {}).get("name", "")) for i in body.get("inputs") or []]
    found = [defs[n].to_json() for n in names if n in defs and not defs[n].archived]
    missing = [n for n in names if n not in defs or defs[n].archived]
    out: dict[str, Any] = {"status": "COMPLETE", "results": found, "startedAt": started,
                           "completedAt": iso_ms(ctx.sim.crm.now_ms())}
    if missing:
        out["errors"] = [batch_error("OBJECT_NOT_FOUND", "Some properties were not found", {"names": missing})]
        out["numErrors"] = 1
        return json_response(out, status=207)
    return json_response(out)


def batch_create(ctx: Ctx, object_type: str, version: str) -> Response:
    _, defs, _ = _defs(ctx, object_type)
    body = body_object(ctx)
    started = iso_ms(ctx.sim.crm.now_ms())
    results, errors = [], []
    for item in body.get("inputs") or []:
        try:
            prop = _build(ctx, object_type, item or {})
        except HubSpotError as exc:
            errors.append(batch_error(exc.category, exc.message))
            continue
        defs[prop.name] = prop
        results.append(prop.to_json())
    out: dict[str, Any] = {"status": "COMPLETE", "results": results, "startedAt": started,
                           "completedAt": iso_ms(ctx.sim.crm.now_ms())}
    if errors:
        out.update(errors=errors, numErrors=len(errors))
        return json_response(out, status=207)
    return json_response(out, status=201)


def batch_archive(ctx: Ctx, object_type: str, version: str) -> Response:
    _, defs, _ = _defs(ctx, object_type)
    for item in body_object(ctx).get("inputs") or []:
        prop = defs.get(str((item or {}).get("name", "")))
        if prop is not None and not prop.hubspot_defined:
            prop.archived = True
    return Response(status=204)


def list_groups(ctx: Ctx, object_type: str, version: str) -> Response:
    _, _, groups = _defs(ctx, object_type)
    return json_response({"results": [g.to_json() for g in groups.values() if not g.archived]})


def get_group(ctx: Ctx, object_type: str, group: str, version: str) -> Response:
    _, _, groups = _defs(ctx, object_type)
    found = groups.get(group)
    if found is None or found.archived:
        raise not_found(f"Unable to find property group {group}")
    return json_response(found.to_json())


def create_group(ctx: Ctx, object_type: str, version: str) -> Response:
    _, _, groups = _defs(ctx, object_type)
    body = body_object(ctx)
    if not body.get("name") or not body.get("label"):
        raise validation("name and label are required")
    if body["name"] in groups and not groups[body["name"]].archived:
        raise HubSpotError(409, "OBJECT_ALREADY_EXISTS", f"A property group named '{body['name']}' already exists.")
    group = PropertyGroup(body["name"], body["label"], int(body.get("displayOrder", -1)))
    groups[group.name] = group
    return json_response(group.to_json(), status=201)


def update_group(ctx: Ctx, object_type: str, group: str, version: str) -> Response:
    _, _, groups = _defs(ctx, object_type)
    found = groups.get(group)
    if found is None or found.archived:
        raise not_found(f"Unable to find property group {group}")
    body = body_object(ctx)
    found.label = body.get("label", found.label)
    found.display_order = int(body.get("displayOrder", found.display_order))
    return json_response(found.to_json())


def archive_group(ctx: Ctx, object_type: str, group: str, version: str) -> Response:
    _, defs, groups = _defs(ctx, object_type)
    found = groups.get(group)
    if found is None or found.archived:
        raise not_found(f"Unable to find property group {group}")
    if any(p.group == group and not p.archived for p in defs.values()):
        raise validation(f"Property group {group} still holds properties",
                         sub_category="PropertyGroupError.GROUP_WITH_ACTIVE_PROPERTIES")
    found.archived = True
    return Response(status=204)


def routes() -> list[Route]:
    out: list[Route] = []
    for version, prefix in PROPERTY_PREFIXES.items():
        d = {"version": version}
        base = f"{prefix}/<object_type>"
        out += [
            Route(base, ("GET",), list_properties, defaults=d),
            Route(base, ("POST",), create_property, defaults=d),
            Route(f"{base}/batch/read", ("POST",), batch_read, defaults=d),
            Route(f"{base}/batch/create", ("POST",), batch_create, defaults=d),
            Route(f"{base}/batch/archive", ("POST",), batch_archive, defaults=d),
            Route(f"{base}/groups", ("GET",), list_groups, defaults=d),
            Route(f"{base}/groups", ("POST",), create_group, defaults=d),
            Route(f"{base}/groups/<group>", ("GET",), get_group, defaults=d),
            Route(f"{base}/groups/<group>", ("PATCH",), update_group, defaults=d),
            Route(f"{base}/groups/<group>", ("DELETE",), archive_group, defaults=d),
            Route(f"{base}/<name>", ("GET",), get_property, defaults=d),
            Route(f"{base}/<name>", ("PATCH",), update_property, defaults=d),
            Route(f"{base}/<name>", ("DELETE",), archive_property, defaults=d),
        ]
    return out
