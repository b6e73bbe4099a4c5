"""Check requests and responses against HubSpot's official OpenAPI files.

The files are not redistributable; where they are absent, shared_contract() falls back to model_contract.

Reusable outside the simulator: give it a method, path, query, headers and body (and the response status and
body) and it names the operation they belong to and lists every way they break its contract.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator, oas30_format_checker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from sandbox.hubspot.model_contract import shared_model_contract
from sandbox.hubspot.violations import ContractCheck, Violation

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_URN = "urn:hubspot-spec:"


def default_specs_dir() -> Path:
    """$HUBBOOKS_SPECS_DIR, else specs/hubspot in this repository. HubSpot's files are not committed (their licence
    does not allow redistribution); specs/README.md says where to get them."""
    override = os.environ.get("HUBBOOKS_SPECS_DIR")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / "specs" / "hubspot"


def specs_available(specs_dir: Path | None = None) -> bool:
    return any((specs_dir or default_specs_dir()).glob("*.json"))


@dataclass(frozen=True)
class Operation:
    spec_file: str
    method: str
    template: str
    pointer: str  # JSON pointer to the operation object inside its spec file
    op: dict[str, Any]
    path_params: list[dict[str, Any]]
    literal_segments: int

    @property
    def name(self) -> str:
        return f"{self.spec_file} {self.method.upper()} {self.template}"


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


class OpenApiContract:
    source = "HubSpot's OpenAPI files"

    def __init__(self, specs_dir: Path | str | None = None, files: Iterable[str] | None = None) -> None:
        self.specs_dir = Path(specs_dir) if specs_dir else default_specs_dir()
        names = sorted(files) if files else sorted(p.name for p in self.specs_dir.glob("*.json"))
        self.specs: dict[str, dict[str, Any]] = {}
        for name in names:
            self.specs[name] = json.loads((self.specs_dir / name).read_text())
        self.registry: Registry = Registry().with_resources(
            (_URN + name, Resource.from_contents(spec, default_specification=DRAFT4))
            for name, spec in self.specs.items())
        self._by_length: dict[int, list[tuple[re.Pattern[str], Operation]]] = {}
        self._validators: dict[tuple[str, str, str], Validator] = {}
        self._lock = threading.Lock()
        self._index()

    # ---- operation lookup ---------------------------------------------------------------------------------------

    def _index(self) -> None:
        for name, spec in self.specs.items():
            for template, item in spec.get("paths", {}).items():
                shared = item.get("parameters", [])
                segments = template.strip("/").split("/")
                pattern = "^/" + "/".join(
                    "([^/]+)" if seg.startswith("{") else re.escape(seg) for seg in segments) + "/?$"
                literal = sum(1 for seg in segments if not seg.startswith("{"))
                for method in HTTP_METHODS:
                    if method not in item:
                        continue
                    op = item[method]
                    params = [self._deref(name, p) for p in [*shared, *op.get("parameters", [])]]
                    operation = Operation(name, method, template,
                                          f"/paths/{_escape(template)}/{method}", op,
                                          [p for p in params if p.get("in") == "path"], literal)
                    self._by_length.setdefault(len(segments), []).append((re.compile(pattern), operation))
        for ops in self._by_length.values():
            # The most literal template wins, so /objects/contacts/search beats /objects/{type}/{id}.
            ops.sort(key=lambda entry: -entry[1].literal_segments)

    def _deref(self, spec_file: str, node: dict[str, Any]) -> dict[str, Any]:
        seen = 0
        while "$ref" in node and seen < 10:
            ref = node["$ref"]
            target: Any = self.specs[spec_file]
            for part in ref.lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
        return node

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]] | None:
        segments = path.strip("/").split("/")
        for pattern, operation in self._by_length.get(len(segments), []):
            if operation.method != method.lower():
                continue
            found = pattern.match(path)
            if found:
                names = [seg[1:-1] for seg in operation.template.strip("/").split("/") if seg.startswith("{")]
                return operation, dict(zip(names, found.groups(), strict=True))
        return None

    def covers(self, path: str) -> bool:
        """Whether any spec documents this path (with any method)."""
        return any(self.match(m, path) for m in HTTP_METHODS)

    # ---- schema validation --------------------------------------------------------------------------------------

    def _validator(self, spec_file: str, pointer: str, direction: str) -> Validator:
        key = (spec_file, pointer, direction)
        with self._lock:
            validator = self._validators.get(key)
            if validator is None:
                cls = OAS30WriteValidator if direction == "request" else OAS30ReadValidator
                validator = cls({"$ref": f"{_URN}{spec_file}#{pointer}"}, registry=self.registry,
                                format_checker=oas30_format_checker)
                self._validators[key] = validator
            return validator

    @staticmethod
    def _describe(errors: Iterable[ValidationError], limit: int = 5) -> list[str]:
        out = []
        for error in sorted(errors, key=lambda e: list(e.absolute_path))[:limit]:
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            message = error.message if len(error.message) < 300 else error.message[:300] + "..."
            out.append(f"{where}: {message}")
        return out

    def _check(self, spec_file: str, pointer: str, direction: str, instance: Any) -> list[str]:
        return self._describe(self._validator(spec_file, pointer, direction).iter_errors(instance))

    @staticmethod
    def _coerce(value: str, schema: dict[str, Any]) -> Any:
        kind = schema.get("type")
        try:
            if kind == "integer":
                return int(value)
            if kind == "number":
                return float(value)
        except ValueError:
            return value
        if kind == "boolean":
            return {"true": True, "false": False}.get(value, value)
        return value

    def validate_request(self, method: str, path: str, query: Mapping[str, list[str]] | str,
                         headers: Mapping[str, str], body: bytes, content_type: str | None) -> list[Violation]:
        found = self.match(method, path)
        if found is None:
            return []
        operation, path_values = found
        problems: list[str] = []
        params = [self._deref(operation.spec_file, p)
                  for p in [*self.specs[operation.spec_file]["paths"][operation.template].get("parameters", []),
                            *operation.op.get("parameters", [])]]
        query_map = parse_qs(query, keep_blank_values=True) if isinstance(query, str) else query
        lower_headers = {k.lower(): v for k, v in headers.items()}
        for param in params:
            schema = param.get("schema", {})
            location = param.get("in")
            name = param.get("name", "")
            values: list[str] | None
            if location == "path":
                values = [path_values[name]] if name in path_values else None
            elif location == "query":
                values = query_map.get(name)
            elif location == "header":
                values = [lower_headers[name.lower()]] if name.lower() in lower_headers else None
            else:
                continue
            if not values:
                if param.get("required"):
                    problems.append(f"{location} parameter {name!r} is required")
                continue
            if schema.get("type") == "array":
                instance: Any = [self._coerce(v, schema.get("items", {})) for v in values]
            else:
                if len(values) > 1:
                    problems.append(f"{location} parameter {name!r} given {len(values)} times")
                instance = self._coerce(values[0], schema)
            errors = self._describe(OAS30WriteValidator(schema, registry=self.registry,
                                                        format_checker=oas30_format_checker).iter_errors(instance))
            problems.extend(f"{location} parameter {name!r}: {e}" for e in errors)
        problems.extend(self._security_problems(operation, lower_headers, query_map))
        problems.extend(self._body_problems(operation, body, content_type))
        return [Violation("request", method.upper(), path, operation.name, p) for p in problems]

    def _security_problems(self, operation: Operation, headers: Mapping[str, str],
                           query: Mapping[str, list[str]]) -> list[str]:
        security = operation.op.get("security", self.specs[operation.spec_file].get("security"))
        if not security:
            return []
        schemes = self.specs[operation.spec_file].get("components", {}).get("securitySchemes", {})
        for requirement in security:
            for scheme_name in requirement:
                scheme = schemes.get(scheme_name, {})
                if scheme.get("type") == "oauth2" and headers.get("authorization", "").lower().startswith("bearer "):
                    return []
                if scheme.get("type") == "apiKey":
                    where, key = scheme.get("in"), str(scheme.get("name", ""))
                    if where == "query" and key in query:
                        return []
                    if where == "header" and (key.lower() in headers or
                                              headers.get("authorization", "").lower().startswith("bearer ")):
                        # Private-app and service-key tokens travel as bearer tokens too.
                        return []
        return ["no credentials for any of the operation's security schemes"]

    def _body_problems(self, operation: Operation, body: bytes, content_type: str | None) -> list[str]:
        request_body = operation.op.get("requestBody")
        if request_body is None:
            return []
        request_body = self._deref(operation.spec_file, request_body)
        if not body:
            return ["request body is required"] if request_body.get("required") else []
        content = request_body.get("content", {})
        media = _media_type(content_type)
        key = media if media in content else ("*/*" if "*/*" in content else None)
        if key is None:
            return [f"request content type {media or '(none)'!r} is not one of {sorted(content)}"]
        try:
            if key == "application/x-www-form-urlencoded":
                instance: Any = {k: v[-1] for k, v in parse_qs(body.decode(), keep_blank_values=True).items()}
            else:
                instance = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            return [f"request body does not parse as {key}: {exc}"]
        pointer = f"{operation.pointer}/requestBody/content/{_escape(key)}/schema"
        if "$ref" in operation.op["requestBody"]:
            ref = operation.op["requestBody"]["$ref"].lstrip("#")
            pointer = f"{ref}/content/{_escape(key)}/schema"
        return [f"body {p}" for p in self._check(operation.spec_file, pointer, "request", instance)]

    def validate_response(self, method: str, path: str, status: int, content_type: str | None,
                          body: bytes) -> list[Violation]:
        found = self.match(method, path)
        if found is None:
            return []
        operation = found[0]
        responses = operation.op.get("responses", {})
        key = next((k for k in (str(status), f"{status // 100}XX", "default") if k in responses), None)
        if key is None:
            return [Violation("response", method.upper(), path, operation.name,
                              f"status {status} is not documented", status)]
        pointer = f"{operation.pointer}/responses/{key}"
        response = responses[key]
        if "$ref" in response:
            pointer = response["$ref"].lstrip("#")
            response = self._deref(operation.spec_file, response)
        content = response.get("content") or {}
        problems: list[str] = []
        if not content:
            if body:
                problems.append(f"status {status} documents no body but one was sent")
        elif not body:
            if status not in (204, 304):
                problems.append(f"status {status} needs a body ({sorted(content)})")
        else:
            media = _media_type(content_type)
            media_key = media if media in content else ("*/*" if "*/*" in content else None)
            if media_key is None:
                problems.append(f"response content type {media!r} is not one of {sorted(content)}")
            else:
                try:
                    instance = json.loads(body)
                except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                    problems.append(f"response body is not JSON: {exc}")
                else:
                    if "schema" in content[media_key]:
                        schema_pointer = f"{pointer}/content/{_escape(media_key)}/schema"
                        problems.extend(f"body {p}" for p in
                                        self._check(operation.spec_file, schema_pointer, "response", instance))
        return [Violation("response", method.upper(), path, operation.name, p, status) for p in problems]


@lru_cache(maxsize=4)
def shared_spec_contract(specs_dir: str | None = None) -> OpenApiContract:
    """One loaded contract per spec folder, so compiled schemas are reused across simulator instances."""
    return OpenApiContract(specs_dir)


def shared_contract(specs_dir: str | None = None) -> ContractCheck:
    """HubSpot's OpenAPI files where a developer has put them; otherwise the models of HubSpot's Apache-2.0 Python
    client, which are generated from those files and may be installed anywhere (specs/README.md)."""
    if specs_available(Path(specs_dir) if specs_dir else None):
        return shared_spec_contract(specs_dir)
    return shared_model_contract()
