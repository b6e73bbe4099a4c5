"""Batch: up to 30 independent operations in one request; each item answers with its object or its own Fault."""

from __future__ import annotations

from typing import Any

from sandbox.qbo import query
from sandbox.qbo.company import Company
from sandbox.qbo.entities import kind_by_name
from sandbox.qbo.faults import QboFault, business
from sandbox.qbo.service import Accounting

MAX_ITEMS = 30


def run(service: Accounting, company: Company, body: Any, request_id: str | None) -> list[dict[str, Any]]:
    items = body.get("BatchItemRequest") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise QboFault("2020", "Required param missing, need to supply the required value for the API",
                       "Required parameter BatchItemRequest is missing in the request", "BatchItemRequest")
    if len(items) > MAX_ITEMS:
        raise business(f"The batch request has {len(items)} items; the maximum is {MAX_ITEMS}.")
    if request_id is not None and len(request_id) > 36:
        raise business("You cannot enter more than 36 characters in the request_id field for a batch request")
    out = []
    for item in items:
        bid = str(item.get("bId", "")) if isinstance(item, dict) else ""
        try:
            if not isinstance(item, dict):
                raise QboFault("2010", "Request has invalid or unsupported property", "Batch item is not an object")
            if request_id is not None and len(bid) > 10:
                raise business("The bId can't be longer than 10 characters when a requestid is sent.")
            out.append({**_one(service, company, item), "bId": bid})
        except QboFault as fault:
            out.append({"Fault": fault.fault(), "bId": bid})
    return out


def _one(service: Accounting, company: Company, item: dict[str, Any]) -> dict[str, Any]:
    if "Query" in item:
        with service.state.lock:
            return {"QueryResponse": query.execute(company, str(item["Query"]))}
    names = [key for key in item if key not in ("bId", "operation", "optionsData") and key[:1].isupper()]
    if len(names) != 1:
        raise QboFault("2010", "Request has invalid or unsupported property", "A batch item needs one entity")
    kind = kind_by_name(names[0])
    if kind is None or kind.name != names[0]:
        raise QboFault("2010", "Request has invalid or unsupported property",
                       f"Property Name:{names[0]} specified is unsupported or invalid", names[0])
    operation = str(item.get("operation") or "create")
    options = {str(o).lower() for o in str(item.get("optionsData") or "").split(",") if o}
    body = item[names[0]]
    if operation == "delete":
        return {kind.name: service.delete(company, kind, body)}
    if operation == "void" or (operation == "update" and "void" in options):
        return {kind.name: service.void(company, kind, body)}
    if operation == "update":
        return {kind.name: service.update(company, kind, body if isinstance(body, dict) else {}, options)}
    if operation == "create":
        if not isinstance(body, dict):
            raise QboFault("2010", "Request has invalid or unsupported property", "Unable to parse the entity")
        return {kind.name: service.create(company, kind, body, options)}
    raise QboFault("2010", "Request has invalid or unsupported property",
                   f"Property Name:operation={operation} specified is unsupported or invalid", "operation")
