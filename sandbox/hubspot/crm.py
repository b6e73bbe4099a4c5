"""CRM record rules shared by the single, batch and search endpoints: typed writes, uniqueness, associations."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sandbox.hubspot import assocdefs
from sandbox.hubspot.errors import HubSpotError, validation
from sandbox.hubspot.objecttypes import by_name, resolve
from sandbox.hubspot.propdefs import (
    DEFAULT_READ,
    PUBLISHED_QUOTE_STATUSES,
    InvalidValue,
    PropertyDef,
    coerce_input,
    iso_ms,
    modified_property,
    normalize,
    parse_instant_ms,
)
from sandbox.hubspot.state import CrmObject, Portal, State
from sandbox.simkit.clock import SimClock

SYSTEM_PROPERTIES = {"hs_object_id", "createdate", "hs_lastmodifieddate", "lastmodifieddate"}
CURRENCY_PROPERTIES = {"deal_currency_code", "hs_currency", "hs_line_item_currency_code"}


@dataclass(frozen=True)
class CrmEvent:
    portal_id: int
    object_type: str
    object_id: str
    kind: str  # creation | propertyChange | deletion | associationChange
    occurred_ms: int
    property_name: str | None = None
    property_value: str | None = None
    change_source: str = "API"  # CRM_UI for a person in HubSpot, INTEGRATION for an app's token
    source_id: str | None = None  # INTEGRATION: the app id; CRM_UI: "userId:<id>"


@dataclass(frozen=True)
class Origin:
    """Who is writing: HubSpot tags each change, and webhooks carry it as changeSource/sourceId."""

    change_source: str = "API"
    source_id: str | None = None


_origin = threading.local()


def current_origin() -> Origin:
    return getattr(_origin, "value", None) or Origin()


@contextmanager
def acting_as(origin: Origin) -> Iterator[None]:
    """Writes made in this block (this thread) are tagged with `origin`."""
    previous = getattr(_origin, "value", None)
    _origin.value = origin
    try:
        yield
    finally:
        _origin.value = previous


EventSink = Callable[[CrmEvent], None]


def _property_error(name: str, code: str, message: str) -> dict[str, Any]:
    return {"isValid": False, "message": message, "error": code, "name": name}


def _raise_invalid(problems: list[dict[str, Any]]) -> None:
    raise validation(
        "Property values were not valid: " + json.dumps(problems, separators=(",", ":")),
        errors=[{"message": p["message"], "code": p["error"], "context": {"propertyName": [p["name"]]}}
                for p in problems],
    )


class Crm:
    def __init__(self, state: State, clock: SimClock, sink: EventSink | None = None) -> None:
        self.state = state
        self.clock = clock
        self.sink = sink

    # ---- helpers ------------------------------------------------------------------------------------------------

    def now_ms(self) -> int:
        return int(self.clock.now() * 1000)

    def _emit(self, event: CrmEvent) -> None:
        if self.sink is not None:
            self.sink(event)

    def property_defs(self, portal: Portal, object_type: str) -> dict[str, PropertyDef]:
        return portal.properties[object_type]

    def _check_values(self, portal: Portal, object_type: str, raw: dict[str, Any],
                      existing: CrmObject | None) -> dict[str, str]:
        if not isinstance(raw, dict):
            raise validation("properties must be an object")
        defs = portal.properties[object_type]
        clean: dict[str, str] = {}
        problems: list[dict[str, Any]] = []
        for name, value in raw.items():
            prop = defs.get(name)
            if prop is None or prop.archived:
                problems.append(_property_error(name, "PROPERTY_DOESNT_EXIST", f'Property "{name}" does not exist'))
                continue
            if prop.read_only or name in SYSTEM_PROPERTIES:
                problems.append(_property_error(name, "READ_ONLY_VALUE",
                                                f'"{name}" is a read only property; its value cannot be set.'))
                continue
            try:
                text = coerce_input(value)
                if text is None:
                    text = ""
                allowed = portal.currencies if name in CURRENCY_PROPERTIES else None
                clean[name] = normalize(prop, text, allowed)
            except InvalidValue as exc:
                if name == "deal_currency_code" and exc.code == "INVALID_OPTION":
                    exc.message = (f'"{value}" is not a part of the current effective currency codes '
                                   f"for portal {portal.portal_id}")
                if name == "hs_line_item_currency_code" and exc.code == "INVALID_OPTION":
                    raise validation(f"Provided line item currency {value} is not supported by portal") from None
                problems.append(_property_error(name, exc.code, exc.message))
        if object_type in ("line_items", "products") and clean.get("price", "").startswith("-"):
            problems.append(_property_error("price", "INVALID_DECIMAL", "price must not be negative"))
        if problems:
            _raise_invalid(problems)
        self._check_unique(portal, object_type, clean, existing)
        return clean

    def _check_unique(self, portal: Portal, object_type: str, values: dict[str, str],
                      existing: CrmObject | None) -> None:
        defs = portal.properties[object_type]
        for name, value in values.items():
            if not value or not defs[name].unique:
                continue
            other = self._find_by_property(portal, object_type, name, value)
            if other is not None and (existing is None or other.id != existing.id):
                label = by_name(object_type).singular.replace("_", " ").capitalize()
                raise HubSpotError(409, "CONFLICT", f"{label} already exists. Existing ID: {other.id}")

    def _find_by_property(self, portal: Portal, object_type: str, name: str, value: str) -> CrmObject | None:
        folded = value.lower() if name == "email" else value
        for obj in portal.objects.get(object_type, {}).values():
            current = obj.properties.get(name)
            if not obj.archived and current is not None and (current.lower() if name == "email" else current) == folded:
                return obj
        return None

    def _set(self, obj: CrmObject, name: str, value: str, ts: int, source: str | None = None) -> bool:
        source = source or current_origin().change_source
        if obj.properties.get(name) == value or (value == "" and name not in obj.properties):
            return False
        if value == "":
            obj.properties.pop(name, None)
        else:
            obj.properties[name] = value
        obj.history.setdefault(name, []).insert(0, (value, ts, source))
        return True

    # ---- type-specific rules ------------------------------------------------------------------------------------

    def _derive(self, portal: Portal, obj: CrmObject, changed: dict[str, str], ts: int) -> None:
        props = obj.properties
        pricing = {"price", "quantity", "discount", "hs_discount_percentage"}
        if obj.object_type == "line_items" and pricing & changed.keys():
            try:
                price = Decimal(props.get("price", "0"))
                quantity = Decimal(props.get("quantity", "1"))
                unit = price - Decimal(props.get("discount", "0") or "0")
                pct = Decimal(props.get("hs_discount_percentage", "0") or "0")
                amount = unit * quantity * (Decimal(100) - pct) / Decimal(100)
                self._set(obj, "amount", format(amount.normalize(), "f"), ts, "CALCULATED")
            except InvalidOperation:
                pass
        if obj.object_type == "quotes" and "hs_status" in changed:
            status = props.get("hs_status", "")
            if status in PUBLISHED_QUOTE_STATUSES:
                key = f"{portal.portal_id}-{obj.id}"
                self._set(obj, "hs_quote_link", f"https://{portal.portal_id}.hs-sites.com/{key}", ts, "CALCULATED")
                self._set(obj, "hs_pdf_download_link",
                          f"https://api.hubspot.com/quotes/v1/quotes/{key}/pdf", ts, "CALCULATED")
                self._set(obj, "hs_locked", "true", ts, "CALCULATED")
            else:
                self._set(obj, "hs_locked", "false", ts, "CALCULATED")

    def _before_create(self, portal: Portal, object_type: str, values: dict[str, str],
                       associations: list[tuple[str, str, int]]) -> None:
        missing: list[str] = []
        if object_type == "quotes":
            missing = [p for p in ("hs_title", "hs_expiration_date") if not values.get(p)]
            if "hs_currency" not in values:
                for to_type, to_id, _ in associations:
                    deal = portal.objects.get("deals", {}).get(to_id) if to_type == "deals" else None
                    if deal is not None and deal.properties.get("deal_currency_code"):
                        values["hs_currency"] = deal.properties["deal_currency_code"]
        elif object_type == "invoices":
            missing = [] if values.get("hs_currency") else ["hs_currency"]
            today = datetime.fromtimestamp(self.clock.now(), tz=UTC).replace(hour=0, minute=0, second=0,
                                                                              microsecond=0)
            invoice_ms = parse_instant_ms(values.get("hs_invoice_date", "")) or int(today.timestamp() * 1000)
            values.setdefault("hs_invoice_date", iso_ms(invoice_ms))
            values.setdefault("hs_due_date", iso_ms(invoice_ms + 30 * 86_400_000))
            values.setdefault("hs_invoice_status", "draft")
        elif object_type in ("notes", "tasks"):
            missing = [] if values.get("hs_timestamp") else ["hs_timestamp"]
        elif object_type == "deals":
            values.setdefault("pipeline", "default")
        if missing:
            _raise_invalid([_property_error(m, "REQUIRED_PROPERTY", f'Property "{m}" is required') for m in missing])

    def _before_update(self, portal: Portal, obj: CrmObject, values: dict[str, str]) -> None:
        if obj.object_type == "quotes" and obj.properties.get("hs_locked") == "true" and set(values) - {"hs_status"}:
            raise validation("This quote is published and locked; set hs_status to DRAFT before editing it.")
        if obj.object_type == "invoices" and values.get("hs_invoice_status") == "open":
            has_contact = bool(self.associated(portal, "invoices", obj.id, "contacts"))
            has_items = bool(self.associated(portal, "invoices", obj.id, "line_items"))
            if not (has_contact and has_items):
                raise validation("An invoice needs an associated contact and line items before it can be open.")

    # ---- record operations --------------------------------------------------------------------------------------

    def parse_associations(self, portal: Portal, object_type: str,
                           raw: Any) -> list[tuple[str, str, int]]:
        """Turn create-time `associations` into (to_type, to_id, type_id), checking each target exists."""
        out: list[tuple[str, str, int]] = []
        if raw in (None, []):
            return out
        if not isinstance(raw, list):
            raise validation("associations must be an array")
        for item in raw:
            to_id = str(((item or {}).get("to") or {}).get("id", ""))
            for spec in (item or {}).get("types") or []:
                assoc = assocdefs.get(int(spec.get("associationTypeId", -1)))
                if assoc is None or assoc.from_type != object_type:
                    raise validation(f"{spec.get('associationTypeId')} is not a valid association type id "
                                     f"for {object_type}", sub_category="crm.associations.INVALID_ASSOCIATION_TYPE")
                target = portal.objects.get(assoc.to_type, {}).get(to_id)
                if target is None or target.archived:
                    raise validation(f"No {assoc.to_type} with ID {to_id} exists to associate with",
                                     sub_category="crm.associations.INVALID_OBJECT_IDS")
                out.append((assoc.to_type, to_id, assoc.type_id))
        return out

    def create(self, portal: Portal, object_type: str, raw_props: dict[str, Any], raw_assocs: Any = None,
               source: str | None = None) -> CrmObject:
        with self.state.lock:
            values = self._check_values(portal, object_type, raw_props or {}, None)
            associations = self.parse_associations(portal, object_type, raw_assocs)
            self._before_create(portal, object_type, values, associations)
            ts = self.now_ms()
            obj = CrmObject(id=self.state.next_object_id(), object_type=object_type, properties={}, created_ms=ts,
                            updated_ms=ts)
            for name, value in {**values, "hs_object_id": obj.id, "createdate": iso_ms(ts),
                                modified_property(object_type): iso_ms(ts)}.items():
                self._set(obj, name, value, ts, source)
            self._derive(portal, obj, values, ts)
            portal.objects.setdefault(object_type, {})[obj.id] = obj
            for to_type, to_id, type_id in associations:
                self._link(portal, object_type, obj.id, to_type, to_id, type_id)
        origin = current_origin()
        self._emit(CrmEvent(portal.portal_id, object_type, obj.id, "creation", ts,
                            change_source=origin.change_source, source_id=origin.source_id))
        return obj

    def update(self, portal: Portal, obj: CrmObject, raw_props: dict[str, Any],
               source: str | None = None) -> CrmObject:
        events: list[CrmEvent] = []
        with self.state.lock:
            values = self._check_values(portal, obj.object_type, raw_props or {}, obj)
            self._before_update(portal, obj, values)
            ts = max(self.now_ms(), obj.updated_ms)
            changed = {name: value for name, value in values.items() if self._set(obj, name, value, ts, source)}
            self._derive(portal, obj, changed, ts)
            if changed:
                obj.updated_ms = ts
                self._set(obj, modified_property(obj.object_type), iso_ms(ts), ts, source)
            origin = current_origin()
            events = [CrmEvent(portal.portal_id, obj.object_type, obj.id, "propertyChange", ts, name, value,
                               origin.change_source, origin.source_id)
                      for name, value in changed.items()]
        for event in events:
            self._emit(event)
        return obj

    def find(self, portal: Portal, object_type: str, object_id: str, id_property: str | None = None,
             archived: bool = False) -> CrmObject | None:
        with self.state.lock:
            if id_property and id_property != "hs_object_id":
                prop = portal.properties[object_type].get(id_property)
                if prop is None or not (prop.unique or id_property == "email"):
                    raise validation(f"{id_property} is not a unique property of {object_type}")
                found = self._find_by_property(portal, object_type, id_property, object_id)
            else:
                found = portal.objects.get(object_type, {}).get(str(object_id))
            if found is None or found.archived != archived:
                return None
            return found

    def archive(self, portal: Portal, obj: CrmObject) -> None:
        with self.state.lock:
            if obj.archived:
                return
            obj.archived = True
            obj.archived_ms = self.now_ms()
            for key in [k for k in portal.associations if k[0] == obj.object_type and k[1] == obj.id]:
                for to_id in list(portal.associations[key]):
                    self._unlink_all(portal, obj.object_type, obj.id, key[2], to_id)
        origin = current_origin()
        self._emit(CrmEvent(portal.portal_id, obj.object_type, obj.id, "deletion", obj.archived_ms or 0,
                            change_source=origin.change_source, source_id=origin.source_id))

    def live(self, portal: Portal, object_type: str, archived: bool = False) -> list[CrmObject]:
        with self.state.lock:
            objects = [o for o in portal.objects.get(object_type, {}).values() if o.archived == archived]
        return sorted(objects, key=lambda o: int(o.id))

    # ---- associations -------------------------------------------------------------------------------------------

    def _link(self, portal: Portal, from_type: str, from_id: str, to_type: str, to_id: str, type_id: int) -> None:
        assoc = assocdefs.get(type_id)
        if assoc is None:
            return
        ids = {type_id}
        if not assoc.is_default:
            # A labelled association always comes with the pair's unlabelled one, as in HubSpot.
            default = assocdefs.default_for(from_type, to_type)
            if default is not None:
                ids.add(default.type_id)
        for tid in ids:
            inverse = assocdefs.ALL[tid].inverse_id
            portal.associations.setdefault((from_type, from_id, to_type), {}).setdefault(to_id, set()).add(tid)
            portal.associations.setdefault((to_type, to_id, from_type), {}).setdefault(from_id, set()).add(inverse)

    def _unlink_all(self, portal: Portal, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        portal.associations.get((from_type, from_id, to_type), {}).pop(to_id, None)
        portal.associations.get((to_type, to_id, from_type), {}).pop(from_id, None)

    def associate(self, portal: Portal, from_type: str, from_id: str, to_type: str, to_id: str,
                  type_ids: Iterable[int]) -> list[int]:
        ids = list(type_ids)
        with self.state.lock:
            for oid, otype in ((from_id, from_type), (to_id, to_type)):
                target = portal.objects.get(otype, {}).get(oid)
                if target is None or target.archived:
                    raise HubSpotError(404, "OBJECT_NOT_FOUND", f"No {otype} with ID {oid} exists",
                                       sub_category="crm.associations.INVALID_OBJECT_IDS")
            for type_id in ids:
                assoc = assocdefs.get(type_id)
                if assoc is None or (assoc.from_type, assoc.to_type) != (from_type, to_type):
                    raise validation(f"{type_id} is not a valid association type id from {from_type} to {to_type}",
                                     sub_category="crm.associations.INVALID_ASSOCIATION_TYPE")
            for type_id in ids:
                self._link(portal, from_type, from_id, to_type, to_id, type_id)
            current = sorted(portal.associations[(from_type, from_id, to_type)][to_id])
        self._emit(CrmEvent(portal.portal_id, from_type, from_id, "associationChange", self.now_ms()))
        return current

    def dissociate(self, portal: Portal, from_type: str, from_id: str, to_type: str, to_id: str,
                   type_ids: Iterable[int] | None = None) -> None:
        with self.state.lock:
            if type_ids is None:
                self._unlink_all(portal, from_type, from_id, to_type, to_id)
                return
            for type_id in type_ids:
                assoc = assocdefs.get(type_id)
                if assoc is None:
                    continue
                portal.associations.get((from_type, from_id, to_type), {}).get(to_id, set()).discard(type_id)
                portal.associations.get((to_type, to_id, from_type), {}).get(from_id, set()).discard(assoc.inverse_id)
            for key, other in (((from_type, from_id, to_type), to_id), ((to_type, to_id, from_type), from_id)):
                if not portal.associations.get(key, {}).get(other, {1}):
                    portal.associations[key].pop(other, None)

    def associated(self, portal: Portal, from_type: str, from_id: str, to_type: str) -> dict[str, set[int]]:
        with self.state.lock:
            found = portal.associations.get((from_type, from_id, to_type), {})
            return {k: set(v) for k, v in sorted(found.items(), key=lambda kv: int(kv[0])) if v}

    # ---- rendering ----------------------------------------------------------------------------------------------

    def render(self, portal: Portal, obj: CrmObject, properties: list[str] | None = None,
               with_history: list[str] | None = None, associations: list[str] | None = None,
               all_properties: bool = False) -> dict[str, Any]:
        with self.state.lock:
            if all_properties:
                names: Iterable[str] = obj.properties.keys()
            else:
                wanted = properties if properties else list(DEFAULT_READ[obj.object_type])
                names = [*wanted, "hs_object_id", "createdate", modified_property(obj.object_type)]
            # Unset properties are left out: the spec types property values as strings, not null.
            props = {n: obj.properties[n] for n in names if n in obj.properties}
            out: dict[str, Any] = {"id": obj.id, "properties": props, "createdAt": iso_ms(obj.created_ms),
                                   "updatedAt": iso_ms(obj.updated_ms), "archived": obj.archived,
                                   "url": f"https://app.hubspot.com/contacts/{portal.portal_id}/record/"
                                          f"{by_name(obj.object_type).type_id}/{obj.id}"}
            if obj.archived and obj.archived_ms is not None:
                out["archivedAt"] = iso_ms(obj.archived_ms)
            if with_history:
                out["propertiesWithHistory"] = {
                    n: [{"value": v, "timestamp": iso_ms(ts), "sourceType": src} for v, ts, src in obj.history[n]]
                    for n in with_history if n in obj.history}
            if associations:
                assoc_out: dict[str, Any] = {}
                for name in associations:
                    try:
                        to_type = resolve(name)
                    except HubSpotError:
                        continue
                    linked = self.associated(portal, obj.object_type, obj.id, to_type.name)
                    results = [{"id": to_id, "type": assocdefs.ALL[tid].v3_name}
                               for to_id, tids in linked.items() for tid in sorted(tids)]
                    if results:
                        assoc_out[to_type.assoc_key] = {"results": results}
                if assoc_out:
                    out["associations"] = assoc_out
            return out
