"""Change data capture: what changed since a time (at most 30 days back), active objects first, then deletions."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.qbo.company import Company
from sandbox.qbo.entities import kind_by_name
from sandbox.qbo.faults import business, required
from sandbox.qbo.timefmt import meta_time, parse_datetime

MAX_OBJECTS = 1000
WINDOW_SECONDS = 30 * 86_400


def changes(company: Company, entities: str | None, changed_since: str | None, now: float) -> dict[str, Any]:
    if not entities:
        raise required("entities")
    if not changed_since:
        raise required("changedSince")
    try:
        since = parse_datetime(changed_since, company.zone)
    except ValueError as exc:
        raise business(f"Invalid changedSince value: {changed_since}", element="changedSince") from exc
    if since < now - WINDOW_SECONDS:
        raise business("The changedSince value must be within the last 30 days.", element="changedSince")
    responses: list[dict[str, Any]] = []
    budget = MAX_OBJECTS
    for name in [part.strip() for part in entities.split(",") if part.strip()]:
        kind = kind_by_name(name)
        if kind is None or not kind.cdc:
            raise business(f"Change data capture is not supported for {name}.", element="entities")
        changed = sorted(((company.updated_at.get((kind.name, e["Id"]), 0.0), e) for e in company.all(kind.name)
                          if company.updated_at.get((kind.name, e["Id"]), 0.0) >= since), key=lambda pair: pair[0])
        rows = [copy.deepcopy(entity) for _, entity in changed]
        rows += [{"domain": "QBO", "status": "Deleted", "Id": entity_id,
                  "MetaData": {"LastUpdatedTime": meta_time(at, company.zone)}}
                 for entity_id, at in sorted(company.tombstones[kind.name].items(), key=lambda pair: pair[1])
                 if at >= since]
        rows = rows[:budget]
        budget -= len(rows)
        if rows:
            responses.append({kind.name: rows, "startPosition": 1, "maxResults": len(rows),
                              "totalCount": len(rows)})
        else:
            responses.append({})
    return {"QueryResponse": responses}
