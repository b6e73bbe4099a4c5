"""Accounting operations independent of HTTP: create, read, update, delete, void, send. Used by routes and batch."""

from __future__ import annotations

import copy
from typing import Any

from sandbox.qbo.company import Company, Entity
from sandbox.qbo.entities import EntityKind
from sandbox.qbo.entities.base import Ctx, clean, ref_value
from sandbox.qbo.entities.payment import void_payment
from sandbox.qbo.entities.sales import void_sales
from sandbox.qbo.faults import QboFault, business, not_found, required, stale, unsupported
from sandbox.qbo.state import SimState
from sandbox.qbo.timefmt import meta_time


class Accounting:
    def __init__(self, state: SimState) -> None:
        self.state = state

    def _ctx(self, company: Company, options: set[str] | None = None) -> Ctx:
        return Ctx(state=self.state, company=company, now=self.state.clock.now(), options=options or set())

    def _flush(self, ctx: Ctx) -> None:
        for entity, entity_id, operation in ctx.events:
            self.state.emit(ctx.company.realm_id, entity, entity_id, operation)

    # -- reads ----------------------------------------------------------------------------------------------------
    def read(self, company: Company, kind: EntityKind, entity_id: str) -> Entity:
        with self.state.lock:
            if kind.singleton:
                entity_id = "1" if kind.name == "Preferences" else company.realm_id
            found = company.get(kind.name, entity_id)
            if found is None:
                raise not_found(kind.name, entity_id)
            return copy.deepcopy(found)

    # -- writes ---------------------------------------------------------------------------------------------------
    def save(self, company: Company, kind: EntityKind, body: Any, options: set[str]) -> Entity:
        """POST {entity}: an Id in the body means update, as in QBO."""
        if not isinstance(body, dict):
            raise QboFault("2010", "Request has invalid or unsupported property", "Unable to parse the request body")
        if kind.singleton or body.get("Id") not in (None, ""):
            return self.update(company, kind, body, options)
        return self.create(company, kind, body, options)

    def create(self, company: Company, kind: EntityKind, body: Entity, options: set[str]) -> Entity:
        if not kind.creatable:
            raise unsupported(f"Operation Create is not supported for {kind.name}.")
        data = clean(body)
        writable = {k: v for k, v in data.items() if k in kind.fields and k not in kind.read_only}
        with self.state.lock:
            ctx = self._ctx(company, options)
            built = kind.build(ctx, writable, None)
            entity: Entity = {"domain": "QBO", "sparse": False, "Id": company.new_id(kind.name), "SyncToken": "0"}
            entity.update(built)
            company.stamp(entity, ctx.now, created=True)
            company.put(kind.name, entity, ctx.now)
            if kind.after_write:
                kind.after_write(ctx, entity, None)
            ctx.events.insert(0, (kind.name, entity["Id"], "Create"))
            result = copy.deepcopy(entity)
        self._flush(ctx)
        return result

    def _existing(self, company: Company, kind: EntityKind, body: Entity, check_token: bool = True) -> Entity:
        entity_id = "1" if kind.name == "Preferences" else (
            company.realm_id if kind.name == "CompanyInfo" else str(body.get("Id") or ""))
        if not entity_id:
            raise required("Id")
        found = company.get(kind.name, entity_id)
        if found is None:
            raise not_found(kind.name, entity_id)
        if check_token:
            token = body.get("SyncToken")
            if token in (None, ""):
                raise required("SyncToken")
            if str(token) != str(found["SyncToken"]):
                raise stale(kind.name, entity_id)
        return found

    def update(self, company: Company, kind: EntityKind, body: Entity, options: set[str]) -> Entity:
        if not kind.updatable:
            raise unsupported(f"Operation Update is not supported for {kind.name}.")
        data = clean(body)
        with self.state.lock:
            old = self._existing(company, kind, data)
            ctx = self._ctx(company, options)
            writable = {k: v for k, v in data.items() if k in kind.fields and k not in kind.read_only}
            if data.get("sparse") in (True, "true") or kind.singleton:
                base = {k: copy.deepcopy(v) for k, v in old.items() if k in kind.fields and k not in kind.read_only}
                base.update(writable)
                writable = base
            built = kind.build(ctx, writable, old)
            entity: Entity = {"domain": "QBO", "sparse": False, "Id": old["Id"],
                              "SyncToken": str(int(old["SyncToken"]) + 1), "MetaData": dict(old["MetaData"])}
            entity.update(built)
            company.stamp(entity, ctx.now, created=False)
            company.put(kind.name, entity, ctx.now)
            if kind.after_write:
                kind.after_write(ctx, entity, old)
            operation = "Update"
            if kind.name_list and old.get("Active") is not False and entity.get("Active") is False:
                operation = "Delete"  # name-list objects are "deleted" by making them inactive
            ctx.events.insert(0, (kind.name, entity["Id"], operation))
            result = copy.deepcopy(entity)
        self._flush(ctx)
        return result

    def delete(self, company: Company, kind: EntityKind, body: Any) -> Entity:
        if not isinstance(body, dict):
            raise QboFault("2010", "Request has invalid or unsupported property", "Unable to parse the request body")
        if not kind.deletable:
            raise unsupported(f"Operation Delete is not supported for {kind.name}; make it inactive instead.")
        with self.state.lock:
            old = self._existing(company, kind, clean(body))
            ctx = self._ctx(company)
            if kind.name == "Invoice" and any(link.get("TxnType") == "Payment" for link in old.get("LinkedTxn", [])):
                raise business("This transaction has payments applied to it. Delete or unlink the payments first.")
            company.remove(kind.name, old["Id"], ctx.now)
            if kind.after_remove:
                kind.after_remove(ctx, {}, old)
            ctx.events.insert(0, (kind.name, old["Id"], "Delete"))
        self._flush(ctx)
        return {"domain": "QBO", "status": "Deleted", "Id": old["Id"]}

    def void(self, company: Company, kind: EntityKind, body: Any) -> Entity:
        if not isinstance(body, dict):
            raise QboFault("2010", "Request has invalid or unsupported property", "Unable to parse the request body")
        if kind.void_style is None:
            raise unsupported(f"Operation Void is not supported for {kind.name}.")
        with self.state.lock:
            old = self._existing(company, kind, clean(body))
            ctx = self._ctx(company)
            if kind.name == "Invoice" and any(link.get("TxnType") == "Payment" for link in old.get("LinkedTxn", [])):
                raise business("This invoice has payments applied to it. Void or delete the payments first.")
            entity = copy.deepcopy(old)
            if kind.name == "Payment":
                void_payment(entity)
            else:
                void_sales(entity)
            entity["SyncToken"] = str(int(old["SyncToken"]) + 1)
            company.stamp(entity, ctx.now, created=False)
            company.put(kind.name, entity, ctx.now)
            if kind.after_write:
                kind.after_write(ctx, entity, old)
            ctx.events.insert(0, (kind.name, entity["Id"], "Void"))
            result = copy.deepcopy(entity)
        self._flush(ctx)
        return result

    def send(self, company: Company, kind: EntityKind, entity_id: str, send_to: str | None) -> Entity:
        if not kind.sendable:
            raise unsupported(f"Operation Send is not supported for {kind.name}.")
        with self.state.lock:
            found = company.get(kind.name, entity_id)
            if found is None:
                raise not_found(kind.name, entity_id)
            ctx = self._ctx(company)
            day = meta_time(ctx.now, company.zone)[:10]
            sent_today = sum(1 for mail in company.emails if mail["time"][:10] == day)
            if sent_today >= self.state.config.sandbox_email_cap_per_day:
                raise business("You've reached the daily limit of e-mails for a sandbox company.")
            entity = copy.deepcopy(found)
            if send_to:
                entity["BillEmail"] = {"Address": send_to}
            address = (entity.get("BillEmail") or {}).get("Address")
            if not address:
                raise business("Email address is missing. Enter an email address for the customer or in sendTo.",
                               element="BillEmail")
            stamp = meta_time(ctx.now, company.zone)
            entity["EmailStatus"] = "EmailSent"
            entity["DeliveryInfo"] = {"DeliveryType": "Email", "DeliveryTime": stamp}
            entity["SyncToken"] = str(int(found["SyncToken"]) + 1)
            company.stamp(entity, ctx.now, created=False)
            company.put(kind.name, entity, ctx.now)
            company.emails.append({"time": stamp, "to": address, "entity": kind.name, "id": entity_id,
                                   "doc_number": entity.get("DocNumber"),
                                   "customer": ref_value(entity.get("CustomerRef"))})
            ctx.events.append((kind.name, entity_id, "Emailed"))
            result = copy.deepcopy(entity)
        self._flush(ctx)
        return result
