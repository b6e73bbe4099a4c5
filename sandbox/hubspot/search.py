"""CRM search: filter groups (OR of ANDed filters), free-text query, sorts and offset paging."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Response

from sandbox.hubspot.errors import validation
from sandbox.hubspot.objects import body_object
from sandbox.hubspot.objecttypes import resolve
from sandbox.hubspot.propdefs import PropertyDef, parse_instant_ms
from sandbox.hubspot.routing import OBJECT_PREFIXES, Ctx, Route
from sandbox.hubspot.state import CrmObject
from sandbox.simkit.http import json_response

MAX_LIMIT = 200
MAX_GROUPS = 6
MAX_FILTERS_PER_GROUP = 6
MAX_QUERY = 3000
MAX_TOTAL_PAGE_DEPTH = 10_000
OPERATORS = {"EQ", "NEQ", "LT", "LTE", "GT", "GTE", "BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY",
             "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"}


def _comparable(prop: PropertyDef | None, value: str) -> Any:
    """A value in the form its property type orders by (numbers and instants numerically, text case-folded)."""
    kind = prop.type if prop else "string"
    if kind == "number" or (prop is not None and prop.name == "hs_object_id"):
        try:
            return float(value)
        except ValueError:
            return None
    if kind in ("date", "datetime"):
        return parse_instant_ms(value)
    return value.lower()


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^\w@.\-]+", text.lower()) if t]


def _token_match(pattern: str, text: str) -> bool:
    regex = re.compile("^" + re.escape(pattern.lower()).replace(r"\*", ".*") + "$")
    return any(regex.match(tok) for tok in _tokens(text)) or bool(regex.match(text.lower()))


def _filter(prop: PropertyDef | None, spec: dict[str, Any]) -> Callable[[CrmObject], bool]:
    name = spec["propertyName"]
    op = spec["operator"]
    if op == "HAS_PROPERTY":
        return lambda o: bool(o.properties.get(name))
    if op == "NOT_HAS_PROPERTY":
        return lambda o: not o.properties.get(name)
    if op in ("IN", "NOT_IN"):
        values = spec.get("values")
        if not isinstance(values, list):
            raise validation(f"{op} needs a values array")
        wanted = {_comparable(prop, str(v)) for v in values}
        if op == "IN":
            return lambda o: name in o.properties and _comparable(prop, o.properties[name]) in wanted
        return lambda o: name not in o.properties or _comparable(prop, o.properties[name]) not in wanted
    if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
        pattern = str(spec.get("value", ""))
        hit: Callable[[CrmObject], bool] = lambda o: _token_match(pattern, o.properties.get(name, ""))  # noqa: E731
        return hit if op == "CONTAINS_TOKEN" else (lambda o: not hit(o))
    if "value" not in spec:
        raise validation(f"{op} needs a value")
    target = _comparable(prop, str(spec["value"]))
    if op == "BETWEEN":
        if "highValue" not in spec:
            raise validation("BETWEEN needs value and highValue")
        high = _comparable(prop, str(spec["highValue"]))

        def between(o: CrmObject) -> bool:
            current = _comparable(prop, o.properties[name]) if name in o.properties else None
            return current is not None and target is not None and high is not None and target <= current <= high
        return between
    if op == "NEQ":
        return lambda o: name not in o.properties or _comparable(prop, o.properties[name]) != target
    compare: dict[str, Callable[[Any, Any], bool]] = {
        "EQ": lambda a, b: a == b, "LT": lambda a, b: a < b, "LTE": lambda a, b: a <= b,
        "GT": lambda a, b: a > b, "GTE": lambda a, b: a >= b}

    def check(o: CrmObject) -> bool:
        if name not in o.properties:
            return False
        current = _comparable(prop, o.properties[name])
        if current is None or target is None or type(current) is not type(target):
            return False
        return compare[op](current, target)
    return check


def _parse_sorts(raw: Any) -> list[tuple[str, bool]]:
    """Sorts as the spec types them (strings; a leading '-' means descending) or as objects HubSpot also takes."""
    out = []
    for item in raw or []:
        if isinstance(item, str):
            out.append((item.lstrip("-"), item.startswith("-")))
        elif isinstance(item, dict) and "propertyName" in item:
            out.append((item["propertyName"], str(item.get("direction", "ASCENDING")).upper() == "DESCENDING"))
        else:
            raise validation(f"Invalid sort: {item!r}")
    return out


def search(ctx: Ctx, object_type: str, version: str) -> Response:
    otype = resolve(object_type)
    ctx.require_scope(otype.scope, write=False)
    portal = ctx.need_portal()
    body = body_object(ctx)
    defs = portal.properties[otype.name]
    limit = body.get("limit", 10)
    if not isinstance(limit, int) or not 0 <= limit <= MAX_LIMIT:
        raise validation(f"limit must be between 0 and {MAX_LIMIT}")
    groups = body.get("filterGroups") or []
    if len(groups) > MAX_GROUPS:
        raise validation(f"Too many filter groups: {len(groups)}; the limit is {MAX_GROUPS}")
    query = body.get("query")
    if query is not None and len(str(query)) > MAX_QUERY:
        raise validation(f"query must be at most {MAX_QUERY} characters")
    compiled: list[list[Callable[[CrmObject], bool]]] = []
    for group in groups:
        filters = (group or {}).get("filters") or []
        if len(filters) > MAX_FILTERS_PER_GROUP:
            raise validation(f"Too many filters in a group: {len(filters)}; the limit is {MAX_FILTERS_PER_GROUP}")
        checks = []
        for spec in filters:
            if not isinstance(spec, dict) or spec.get("operator") not in OPERATORS or "propertyName" not in spec:
                raise validation(f"Invalid filter: {spec!r}")
            checks.append(_filter(defs.get(spec["propertyName"]), spec))
        compiled.append(checks)
    sorts = _parse_sorts(body.get("sorts"))
    records = ctx.sim.crm.live(portal, otype.name)
    if compiled:
        records = [r for r in records if any(all(check(r) for check in group) for group in compiled)]
    if query:
        records = [r for r in records
                   if any(_token_match(f"{t}*", v) for t in _tokens(str(query)) for v in r.properties.values())]
    for name, descending in reversed(sorts):
        prop = defs.get(name)
        with_value = [r for r in records if name in r.properties]
        without = [r for r in records if name not in r.properties]
        keyed = [(_comparable(prop, r.properties[name]), r) for r in with_value]
        keyed.sort(key=lambda kv: (kv[0] is None, kv[0] if kv[0] is not None else ""), reverse=descending)
        with_value = [r for _, r in keyed]
        records = with_value + without
    after = body.get("after")
    offset = int(after) if isinstance(after, str) and after.isdigit() else 0
    if offset + limit > MAX_TOTAL_PAGE_DEPTH:
        raise validation(f"Search results are limited to {MAX_TOTAL_PAGE_DEPTH} records")
    page = records[offset:offset + limit]
    properties = body.get("properties") or []
    out: dict[str, Any] = {"total": len(records),
                           "results": [ctx.sim.crm.render(portal, r, properties) for r in page]}
    if offset + limit < len(records):
        out["paging"] = {"next": {"after": str(offset + limit)}}
    return json_response(out)


def routes() -> list[Route]:
    return [Route(f"{prefix}/<object_type>/search", ("POST",), search, kind="search", defaults={"version": v})
            for v, prefix in OBJECT_PREFIXES.items()]
