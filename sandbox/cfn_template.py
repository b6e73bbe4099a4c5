"""Read template.yaml, the single source of truth the sandbox and the tests build their stand-ins from.

CloudFormation short-form tags (!Ref, !Sub, !GetAtt, !If, ...) load as `Intrinsic` values; `Resolver` turns them
into concrete values given parameter values and the physical ids/attributes of the locally created resources.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE_PATH = REPO_ROOT / "template.yaml"

_TAGS = ("Ref", "Sub", "GetAtt", "If", "Equals", "Not", "And", "Or", "Join", "Select", "Split",
         "FindInMap", "ImportValue", "Condition", "Base64", "Cidr", "GetAZs")


@dataclass(frozen=True)
class Intrinsic:
    name: str
    value: Any


class _TemplateLoader(yaml.SafeLoader):
    pass


def _make_constructor(tag: str) -> Any:
    def construct(loader: yaml.SafeLoader, node: yaml.Node) -> Intrinsic:
        value: Any
        if isinstance(node, yaml.ScalarNode):
            value = loader.construct_scalar(node)
            if tag == "GetAtt" and isinstance(value, str):
                value = value.split(".", 1)
        elif isinstance(node, yaml.SequenceNode):
            value = loader.construct_sequence(node, deep=True)
        else:
            value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
        return Intrinsic("Fn::" + tag if tag not in ("Ref", "Condition") else tag, value)

    return construct


for _tag in _TAGS:
    _TemplateLoader.add_constructor("!" + _tag, _make_constructor(_tag))


@lru_cache(maxsize=4)
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_TemplateLoader)


def resources_of_type(template: Mapping[str, Any], resource_type: str) -> dict[str, dict[str, Any]]:
    return {name: res for name, res in template["Resources"].items() if res.get("Type") == resource_type}


def parameter_defaults(template: Mapping[str, Any]) -> dict[str, str]:
    return {name: str(spec.get("Default", "")) for name, spec in template.get("Parameters", {}).items()}


@dataclass
class Resolver:
    """Evaluates intrinsic functions against local stand-ins of the stack's resources."""

    parameters: dict[str, str]
    refs: dict[str, str] = field(default_factory=dict)  # logical id -> what !Ref returns
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)  # (logical id, attr) -> value
    pseudo: dict[str, str] = field(default_factory=lambda: {
        "AWS::Region": "us-east-1", "AWS::AccountId": "123456789012", "AWS::Partition": "aws",
        "AWS::URLSuffix": "amazonaws.com", "AWS::StackName": "hubbooks-sandbox", "AWS::NoValue": ""})
    conditions: Mapping[str, Any] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        if isinstance(value, Intrinsic):
            return self._intrinsic(value)
        if isinstance(value, dict):
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.conditions[name]))

    def _ref(self, name: str) -> str:
        if name in self.parameters:
            return self.parameters[name]
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.refs:
            return self.refs[name]
        raise KeyError(f"template reference {name!r} has no local value")

    def _intrinsic(self, fn: Intrinsic) -> Any:
        name, arg = fn.name, fn.value
        if name == "Ref":
            return self._ref(arg)
        if name == "Condition":
            return self.condition(arg)
        if name == "Fn::GetAtt":
            logical_id, attribute = arg
            return self.attributes[(logical_id, attribute)]
        if name == "Fn::Sub":
            text, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            local = {key: self.resolve(val) for key, val in variables.items()}

            def substitute(match: re.Match[str]) -> str:
                key = match.group(1)
                if key in local:
                    return str(local[key])
                if "." in key:
                    logical_id, attribute = key.split(".", 1)
                    return str(self.attributes[(logical_id, attribute)])
                return str(self._ref(key))

            return re.sub(r"\$\{([^}!]+)\}", substitute, text)
        if name == "Fn::If":
            condition, when_true, when_false = arg
            return self.resolve(when_true if self.condition(condition) else when_false)
        if name == "Fn::Equals":
            left, right = (self.resolve(item) for item in arg)
            return str(left) == str(right)
        if name == "Fn::Not":
            return not self.resolve(arg[0])
        if name == "Fn::And":
            return all(self.resolve(item) for item in arg)
        if name == "Fn::Or":
            return any(self.resolve(item) for item in arg)
        if name == "Fn::Join":
            separator, items = arg
            return separator.join(str(item) for item in self.resolve(items))
        raise NotImplementedError(f"{name} is not supported by the local template resolver")


def serverless_functions(template: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return resources_of_type(template, "AWS::Serverless::Function")


def _merge_global(global_value: Any, own_value: Any) -> Any:
    # SAM's Globals rules: maps merge (own keys win), lists are prepended to the function's own, scalars are overridden.
    if isinstance(global_value, dict) and isinstance(own_value, dict):
        merged = dict(global_value)
        for key, value in own_value.items():
            merged[key] = _merge_global(global_value[key], value) if key in global_value else value
        return merged
    if isinstance(global_value, list) and isinstance(own_value, list):
        return [*global_value, *own_value]
    return own_value


def function_properties(template: Mapping[str, Any], logical_id: str) -> dict[str, Any]:
    """A function's properties with `Globals.Function` applied, intrinsics still unresolved."""
    own = template["Resources"][logical_id].get("Properties", {})
    global_props = template.get("Globals", {}).get("Function", {})
    merged: dict[str, Any] = _merge_global(dict(global_props), dict(own))
    return merged


def environment_value(value: Any) -> str:
    # CloudFormation stores every environment value as a string; YAML booleans become "true"/"false".
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def function_environment(template: Mapping[str, Any], resolver: Resolver, logical_id: str) -> dict[str, str]:
    """The environment Lambda gives the function: global variables merged with the function's own, resolved."""
    variables = function_properties(template, logical_id).get("Environment", {}).get("Variables", {})
    return {name: environment_value(resolver.resolve(value)) for name, value in variables.items()}
