"""Check requests and responses against the models of HubSpot's own Python client (hubspot-api-client).

HubSpot's OpenAPI files may not be redistributed (specs/README.md), but HubSpot publishes its Python client under
Apache-2.0, and that client's models are generated from the same files: each model lists its fields and their types
(`openapi_types`, `attribute_map`), and its setters refuse a missing required field or a value outside an enum.
This checker maps each simulator route to the client's request and response models and walks a JSON body against
them strictly: unknown fields are refused, types must match, and building the model runs its own required-field
and enum checks. It answers the same questions as `OpenApiContract`, so the simulator uses whichever is available.

hubspot-api-client is a test dependency (requirements-dev.txt), never part of the layer.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, lru_cache
from types import MappingProxyType, ModuleType
from typing import Any

from sandbox.hubspot.routing import (
    ASSOC_OBJECT_PREFIXES,
    ASSOC_PREFIXES,
    OBJECT_PREFIXES,
    OWNERS_PREFIXES,
    PROPERTY_PREFIXES,
)
from sandbox.hubspot.violations import Violation

# The 2026-03 paths are checked with the v3/v4 models: HubSpot kept the shapes, bar the differences listed below
# (specs/README.md says how that was verified); 2026-09 is not checked.
CHECKED_VERSIONS = ("v3", "v4", "2026-03")

OBJECTS = "hubspot.crm.objects.models"
ASSOCIATIONS = "hubspot.crm.associations.v4.models"
ASSOCIATION_SCHEMA = "hubspot.crm.associations.v4.schema.models"
PROPERTIES = "hubspot.crm.properties.models"
OWNERS = "hubspot.crm.owners.models"

MAX_PROBLEMS = 5

FieldTypes = Mapping[str, Mapping[str, str]]  # model name -> JSON field -> type, in the client's type notation

# Fields HubSpot documents (specs/README.md: checked against the 2026-08 OpenAPI files) that hubspot-api-client 12.0.0's
# models predate. Without them the strict walk would refuse correct answers.
NEWER_THAN_CLIENT: FieldTypes = MappingProxyType({
    "SimplePublicObject": {"url": "str", "warnings": "list[object]"},
    "SimplePublicObjectWithAssociations": {"url": "str", "warnings": "list[object]"},
    "SimplePublicUpsertObject": {"url": "str", "warnings": "list[object]"},
    "ModelProperty": {"dataSensitivity": "str", "sensitiveDataCategories": "list[str]", "currencyPropertyName": "str",
                      "numberDisplayHint": "str", "textDisplayHint": "str", "dateDisplayHint": "str"},
    "PropertyCreate": {"dataSensitivity": "str", "currencyPropertyName": "str", "numberDisplayHint": "str",
                       "textDisplayHint": "str", "showCurrencySymbol": "bool"},
    "BatchReadInputPropertyName": {"dataSensitivity": "str"},
    # Not in the OpenAPI files but in every HubSpot error answer: {"status": "error", "message": ..., ...}.
    "Error": {"status": "str"},
})

# Associations v4 answers carry record ids as JSON integers (the v4 OpenAPI file says int64); the client's v4 models
# type them as strings, which is what the 2026-03 paths send.
V4_INTEGER_IDS: FieldTypes = {
    "LabelsBetweenObjectPair": {"fromObjectId": "int", "toObjectId": "int"},
    "MultiAssociatedObjectWithLabel": {"toObjectId": "int"},
}

# The 2026-03 association answers add the object type ids to each association type.
ASSOCIATION_TYPE_IDS_2026_03: FieldTypes = {
    "AssociationSpecWithLabel": {"fromObjectTypeId": "str", "toObjectTypeId": "str"},
}


@dataclass(frozen=True)
class ModelRef:
    """A model of one generated package, or a list of them when `many` (a bare JSON array body)."""

    package: str
    name: str
    many: bool = False

    def describe(self) -> str:
        return f"list[{self.name}]" if self.many else self.name


# An answer the route gives whose body the client has no model for: its status is checked, its body is not.
NOT_MODELLED = ModelRef("", "")


@dataclass(frozen=True)
class RouteContract:
    method: str
    template: str  # with {placeholders}
    request: ModelRef | None  # None: the operation takes no JSON body
    responses: Mapping[int, ModelRef | None]  # status -> model; None: no body (204)
    errors: str  # package whose Error model describes 4xx/5xx answers
    # Fields added or retyped on top of the client's models.
    fields: FieldTypes = field(default_factory=lambda: NEWER_THAN_CLIENT)

    @property
    def name(self) -> str:
        return f"hubspot-api-client {self.method} {self.template}"


def _objects(prefix: str) -> list[RouteContract]:
    o = OBJECTS

    def m(name: str) -> ModelRef:
        return ModelRef(o, name)

    with_errors = m("BatchResponseSimplePublicObjectWithErrors")
    base = f"{prefix}/{{objectType}}"
    return [
        RouteContract("GET", base, None,
                      {200: m("CollectionResponseSimplePublicObjectWithAssociationsForwardPaging")}, o),
        RouteContract("POST", base, m("SimplePublicObjectInputForCreate"), {201: m("SimplePublicObject")}, o),
        RouteContract("GET", f"{base}/{{objectId}}", None, {200: m("SimplePublicObjectWithAssociations")}, o),
        RouteContract("PATCH", f"{base}/{{objectId}}", m("SimplePublicObjectInput"), {200: m("SimplePublicObject")}, o),
        RouteContract("DELETE", f"{base}/{{objectId}}", None, {204: None}, o),
        RouteContract("POST", f"{base}/search", m("PublicObjectSearchRequest"),
                      {200: m("CollectionResponseWithTotalSimplePublicObjectForwardPaging")}, o),
        RouteContract("POST", f"{base}/batch/read", m("BatchReadInputSimplePublicObjectId"),
                      {200: m("BatchResponseSimplePublicObject"), 207: with_errors}, o),
        RouteContract("POST", f"{base}/batch/create", m("BatchInputSimplePublicObjectBatchInputForCreate"),
                      {201: m("BatchResponseSimplePublicObject"), 207: with_errors}, o),
        RouteContract("POST", f"{base}/batch/update", m("BatchInputSimplePublicObjectBatchInput"),
                      {200: m("BatchResponseSimplePublicObject"), 207: with_errors}, o),
        RouteContract("POST", f"{base}/batch/upsert", m("BatchInputSimplePublicObjectBatchInputUpsert"),
                      {200: m("BatchResponseSimplePublicUpsertObject"),
                       207: m("BatchResponseSimplePublicUpsertObjectWithErrors")}, o),
        RouteContract("POST", f"{base}/batch/archive", m("BatchInputSimplePublicObjectId"), {204: None}, o),
    ]


def _association_fields(version: str) -> FieldTypes:
    extra = V4_INTEGER_IDS if version == "v4" else ASSOCIATION_TYPE_IDS_2026_03
    return {**NEWER_THAN_CLIENT, **extra}


def _association_objects(prefix: str, version: str) -> list[RouteContract]:
    a, fields = ASSOCIATIONS, _association_fields(version)

    def m(name: str) -> ModelRef:
        return ModelRef(a, name)

    pair = f"{prefix}/{{objectType}}/{{objectId}}/associations/{{toObjectType}}"
    return [
        RouteContract("PUT", f"{prefix}/{{fromObjectType}}/{{fromObjectId}}/associations/default/"
                             "{toObjectType}/{toObjectId}", None, {200: m("BatchResponsePublicDefaultAssociation")}, a,
                      fields),
        RouteContract("PUT", f"{pair}/{{toObjectId}}", ModelRef(a, "AssociationSpec", many=True),
                      {201: m("LabelsBetweenObjectPair")}, a, fields),
        RouteContract("DELETE", f"{pair}/{{toObjectId}}", None, {204: None}, a, fields),
        RouteContract("GET", pair, None, {200: m("CollectionResponseMultiAssociatedObjectWithLabelForwardPaging")}, a,
                      fields),
    ]


def _association_batches(prefix: str, version: str) -> list[RouteContract]:
    a, fields = ASSOCIATIONS, _association_fields(version)

    def m(name: str) -> ModelRef:
        return ModelRef(a, name)

    # v4 archives answer 204; the 2026-03 ones answer 200 with a bare batch status the client does not model.
    archived: dict[int, ModelRef | None] = {204: None} if version == "v4" else {200: NOT_MODELLED}
    base = f"{prefix}/{{fromObjectType}}/{{toObjectType}}"
    return [
        RouteContract("POST", f"{base}/batch/associate/default", m("BatchInputPublicDefaultAssociationMultiPost"),
                      {200: m("BatchResponsePublicDefaultAssociation")}, a, fields),
        RouteContract("POST", f"{base}/batch/create", m("BatchInputPublicAssociationMultiPost"),
                      {201: m("BatchResponseLabelsBetweenObjectPair"),
                       207: m("BatchResponseLabelsBetweenObjectPairWithErrors")}, a, fields),
        RouteContract("POST", f"{base}/batch/read", m("BatchInputPublicFetchAssociationsBatchRequest"),
                      {200: m("BatchResponsePublicAssociationMultiWithLabel"),
                       207: m("BatchResponsePublicAssociationMultiWithLabelWithErrors")}, a, fields),
        RouteContract("POST", f"{base}/batch/archive", m("BatchInputPublicAssociationMultiArchive"), archived, a,
                      fields),
        RouteContract("POST", f"{base}/batch/labels/archive", m("BatchInputPublicAssociationMultiPost"), archived, a,
                      fields),
        RouteContract("GET", f"{base}/labels", None,
                      {200: ModelRef(ASSOCIATION_SCHEMA, "CollectionResponseAssociationSpecWithLabelNoPaging")},
                      ASSOCIATION_SCHEMA, fields),
    ]


def _properties(prefix: str) -> list[RouteContract]:
    p = PROPERTIES

    def m(name: str) -> ModelRef:
        return ModelRef(p, name)

    base = f"{prefix}/{{objectType}}"
    return [
        RouteContract("GET", base, None, {200: m("CollectionResponsePropertyNoPaging")}, p),
        RouteContract("POST", base, m("PropertyCreate"), {201: m("ModelProperty")}, p),
        RouteContract("POST", f"{base}/batch/read", m("BatchReadInputPropertyName"),
                      {200: m("BatchResponseProperty"), 207: m("BatchResponsePropertyWithErrors")}, p),
        RouteContract("POST", f"{base}/batch/create", m("BatchInputPropertyCreate"),
                      {201: m("BatchResponseProperty"), 207: m("BatchResponsePropertyWithErrors")}, p),
        RouteContract("POST", f"{base}/batch/archive", m("BatchInputPropertyName"), {204: None}, p),
        RouteContract("GET", f"{base}/groups", None, {200: m("CollectionResponsePropertyGroupNoPaging")}, p),
        RouteContract("POST", f"{base}/groups", m("PropertyGroupCreate"), {201: m("PropertyGroup")}, p),
        RouteContract("GET", f"{base}/groups/{{groupName}}", None, {200: m("PropertyGroup")}, p),
        RouteContract("PATCH", f"{base}/groups/{{groupName}}", m("PropertyGroupUpdate"), {200: m("PropertyGroup")}, p),
        RouteContract("DELETE", f"{base}/groups/{{groupName}}", None, {204: None}, p),
        RouteContract("GET", f"{base}/{{propertyName}}", None, {200: m("ModelProperty")}, p),
        RouteContract("PATCH", f"{base}/{{propertyName}}", m("PropertyUpdate"), {200: m("ModelProperty")}, p),
        RouteContract("DELETE", f"{base}/{{propertyName}}", None, {204: None}, p),
    ]


def _owners(prefix: str) -> list[RouteContract]:
    o = OWNERS
    return [
        RouteContract("GET", f"{prefix}/", None, {200: ModelRef(o, "CollectionResponsePublicOwnerForwardPaging")}, o),
        RouteContract("GET", f"{prefix}/{{ownerId}}", None, {200: ModelRef(o, "PublicOwner")}, o),
    ]


def route_contracts() -> list[RouteContract]:
    out: list[RouteContract] = []
    for version in CHECKED_VERSIONS:
        if version in OBJECT_PREFIXES:
            out += _objects(OBJECT_PREFIXES[version])
        if version in ASSOC_OBJECT_PREFIXES:
            out += _association_objects(ASSOC_OBJECT_PREFIXES[version], version)
        if version in ASSOC_PREFIXES:
            out += _association_batches(ASSOC_PREFIXES[version], version)
        if version in PROPERTY_PREFIXES:
            out += _properties(PROPERTY_PREFIXES[version])
        if version in OWNERS_PREFIXES:
            out += _owners(OWNERS_PREFIXES[version])
    return out


# ---- the strict walk --------------------------------------------------------------------------------------------

_LIST = re.compile(r"^list\[(.+)\]$")
_DICT = re.compile(r"^dict[\[(]str, (.+)[\])]$")  # the generator writes dict[str, T] or dict(str, T)
_PRIMITIVES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


def _package(name: str) -> ModuleType:
    return importlib.import_module(name)


@cache
def _strict_configuration(package: str) -> Any:
    """The package's Configuration with client-side validation on (the client ships with it off), so the generated
    setters refuse a missing required field and a value outside an enum."""
    configuration = importlib.import_module(package.rsplit(".models", 1)[0] + ".configuration").Configuration()
    configuration.client_side_validation = True
    return configuration


def _parses(kind: str, value: str) -> bool:
    try:
        if kind == "datetime":
            datetime.fromisoformat(value)
        else:
            date.fromisoformat(value)
    except ValueError:
        return False
    return True


class _Walk:
    def __init__(self, package: str, fields: FieldTypes) -> None:
        self.models = _package(package)
        self.fields = fields
        self.configuration = _strict_configuration(package)
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where or '(root)'}: {message}")

    def value(self, value: Any, kind: str, where: str) -> None:
        if kind == "object":
            return
        if kind in _PRIMITIVES:
            ok = isinstance(value, _PRIMITIVES[kind]) and (kind == "bool" or not isinstance(value, bool))
            if not ok:
                self.fail(where, f"{json.dumps(value)[:80]} is not of type {kind!r}")
            return
        if kind in ("datetime", "date"):
            if not isinstance(value, str) or not _parses(kind, value):
                self.fail(where, f"{json.dumps(value)[:80]} is not a {kind}")
            return
        listed = _LIST.match(kind)
        if listed:
            if not isinstance(value, list):
                self.fail(where, f"expected an array of {listed.group(1)}")
                return
            for index, item in enumerate(value):
                self.value(item, listed.group(1), f"{where}/{index}" if where else str(index))
            return
        mapped = _DICT.match(kind) if kind.startswith("dict") else None
        if mapped:
            if not isinstance(value, dict):
                self.fail(where, f"expected an object of {mapped.group(1)}")
                return
            for key, item in value.items():
                self.value(item, mapped.group(1), f"{where}/{key}" if where else key)
            return
        self.model(value, kind, where)

    def model(self, value: Any, name: str, where: str) -> None:
        cls = getattr(self.models, name, None)
        if cls is None:
            raise LookupError(f"{self.models.__name__} has no model {name}")
        if not isinstance(value, dict):
            self.fail(where, f"expected a {name} object")
            return
        json_to_attr = {json_key: attr for attr, json_key in cls.attribute_map.items()}
        extra = self.fields.get(name, {})
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            attr = json_to_attr.get(key)
            if attr is None and key not in extra:
                self.fail(where, f"{key!r} is not a field of {name}")
                continue
            if item is None:
                continue  # JSON null reads as absent; the model's required check below decides
            self.value(item, extra.get(key) or cls.openapi_types[attr], f"{where}/{key}" if where else key)
            if attr is not None:
                kwargs[attr] = item
        try:
            cls(**kwargs, local_vars_configuration=self.configuration)  # its setters check required fields, enums
        except (ValueError, TypeError) as exc:
            self.fail(where, f"{name}: {_readable(exc, cls)}")


def _readable(exc: Exception, cls: type) -> str:
    """Name fields by their JSON key, as HubSpot documents them, not by the client's snake_case attribute."""
    message = str(exc)
    for attr, json_key in cls.attribute_map.items():  # type: ignore[attr-defined]
        message = message.replace(f"`{attr}`", f"`{json_key}`")
    return message


def check_json(instance: Any, ref: ModelRef, fields: FieldTypes = NEWER_THAN_CLIENT) -> list[str]:
    """Every way `instance` breaks the model `ref` names, each as "where: what"."""
    walk = _Walk(ref.package, fields)
    if ref.many:
        walk.value(instance, f"list[{ref.name}]", "")
    else:
        walk.model(instance, ref.name, "")
    return walk.problems


# ---- the contract ---------------------------------------------------------------------------------------------------


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


class ModelContract:
    """Same questions as OpenApiContract, answered from hubspot-api-client's generated models."""

    source = "hubspot-api-client models"

    def __init__(self) -> None:
        self.routes = route_contracts()
        compiled = []
        for route in self.routes:
            segments = route.template.strip("/").split("/")
            pattern = "^/" + "/".join("[^/]+" if s.startswith("{") else re.escape(s) for s in segments) + "/?$"
            literal = sum(1 for s in segments if not s.startswith("{"))
            compiled.append((literal, re.compile(pattern), route))
        # The most literal template wins, so /objects/deals/search beats /objects/{type}/{id}.
        compiled.sort(key=lambda entry: -entry[0])
        self._compiled = [(pattern, route) for _, pattern, route in compiled]
        for route in self.routes:  # fail at start-up, not mid-test, if a model name is wrong
            for ref in [route.request, *route.responses.values()]:
                if ref is None or ref is NOT_MODELLED:
                    continue
                if getattr(_package(ref.package), ref.name, None) is None:
                    raise LookupError(f"{route.name}: {ref.package} has no model {ref.name}")

    def match(self, method: str, path: str) -> RouteContract | None:
        for pattern, route in self._compiled:
            if route.method == method.upper() and pattern.match(path):
                return route
        return None

    def covers(self, path: str) -> bool:
        return any(pattern.match(path) for pattern, _ in self._compiled)

    def validate_request(self, method: str, path: str, query: Mapping[str, list[str]] | str,
                         headers: Mapping[str, str], body: bytes, content_type: str | None) -> list[Violation]:
        route = self.match(method, path)
        if route is None:
            return []
        problems: list[str] = []
        lowered = {k.lower(): v for k, v in headers.items()}
        if not lowered.get("authorization", "").lower().startswith("bearer "):
            problems.append("no credentials: HubSpot's CRM APIs need an 'Authorization: Bearer' token")
        if route.request is not None:
            problems += self._body(route.request, route.fields, body, content_type)
        elif body and _media_type(content_type) == "application/json":
            problems.append("this operation takes no request body")
        return [Violation("request", method.upper(), path, route.name, p) for p in problems[:MAX_PROBLEMS]]

    def validate_response(self, method: str, path: str, status: int, content_type: str | None,
                          body: bytes) -> list[Violation]:
        route = self.match(method, path)
        if route is None:
            return []
        problems: list[str] = []
        if status >= 400:
            # HubSpot's rate-limit answer carries fields the generated Error model lacks.
            if status != 429:
                problems = self._body(ModelRef(route.errors, "Error"), route.fields, body, content_type)
        elif status not in route.responses:
            problems = [f"status {status} is not one this operation answers ({sorted(route.responses)})"]
        else:
            ref = route.responses[status]
            if ref is None:
                problems = [f"status {status} documents no body but one was sent"] if body else []
            elif ref is not NOT_MODELLED:
                problems = self._body(ref, route.fields, body, content_type)
        return [Violation("response", method.upper(), path, route.name, p, status) for p in problems[:MAX_PROBLEMS]]

    @staticmethod
    def _body(ref: ModelRef, fields: FieldTypes, body: bytes, content_type: str | None) -> list[str]:
        if not body:
            return [f"a {ref.describe()} body is required"]
        if _media_type(content_type) != "application/json":
            return [f"content type {_media_type(content_type) or '(none)'!r} is not 'application/json'"]
        try:
            instance = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return [f"body is not JSON: {exc}"]
        return [f"body {p}" for p in check_json(instance, ref, fields)]


@lru_cache(maxsize=1)
def shared_model_contract() -> ModelContract:
    return ModelContract()
