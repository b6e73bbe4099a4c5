"""A small reader of Intuit's QBO XSDs: which JSON field names each entity type may carry, following extensions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

XS = "{http://www.w3.org/2001/XMLSchema}"
XSD_DIR = Path(__file__).resolve().parents[3] / "specs" / "qbo" / "xsd"  # vendored: see specs/README.md


@dataclass
class TypeInfo:
    elements: dict[str, str] = field(default_factory=dict)  # child element name -> type name
    attributes: set[str] = field(default_factory=set)
    base: str | None = None
    simple_content: bool = False


def _local(name: str | None) -> str:
    return (name or "").split(":")[-1]


class Schema:
    def __init__(self, directory: Path = XSD_DIR) -> None:
        self.types: dict[str, TypeInfo] = {}
        self.elements: dict[str, str] = {}
        for path in sorted(directory.glob("*.xsd")):
            root = ET.parse(path).getroot()
            for node in root:
                if node.tag == f"{XS}complexType":
                    self.types[node.get("name", "")] = self._complex(node)
                elif node.tag == f"{XS}element" and node.get("name"):
                    self.elements[node.get("name", "")] = self._element_type(node)

    def _element_type(self, node: ET.Element) -> str:
        if node.get("type"):
            return _local(node.get("type"))
        inline = node.find(f"{XS}complexType")
        if inline is not None:
            anon = f"__anon_{id(inline)}"
            self.types[anon] = self._complex(inline)
            return anon
        return "xs:string"

    def _complex(self, node: ET.Element) -> TypeInfo:
        info = TypeInfo()

        def walk(current: ET.Element) -> None:
            for child in current:
                tag = child.tag.replace(XS, "")
                if tag == "element":
                    name = child.get("name") or _local(child.get("ref"))
                    info.elements[name] = self._element_type(child) if child.get("name") else \
                        self.elements.get(name, name)
                elif tag == "attribute":
                    info.attributes.add(child.get("name") or _local(child.get("ref")))
                elif tag in ("simpleContent",):
                    info.simple_content = True
                    walk(child)
                elif tag in ("extension", "restriction"):
                    info.base = _local(child.get("base"))
                    walk(child)
                elif tag in ("sequence", "choice", "all", "complexContent", "group"):
                    walk(child)

        walk(node)
        return info

    def chain(self, type_name: str) -> list[TypeInfo]:
        out = []
        current: str | None = type_name
        while current and current in self.types:
            out.append(self.types[current])
            current = self.types[current].base
        return out

    def is_simple_content(self, type_name: str) -> bool:
        return any(info.simple_content for info in self.chain(type_name))

    def allowed(self, type_name: str) -> dict[str, str | None]:
        names: dict[str, str | None] = {}
        for info in self.chain(type_name):
            names.update(info.elements)
            names.update(dict.fromkeys(info.attributes))
        if self.is_simple_content(type_name):
            names["value"] = None
        return names

    def check(self, value: Any, type_name: str, path: str, problems: list[str]) -> None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                self.check(item, type_name, f"{path}[{index}]", problems)
            return
        if not isinstance(value, dict):
            return
        if type_name not in self.types:
            problems.append(f"{path}: an object where the XSD has the simple type {type_name}")
            return
        allowed = self.allowed(type_name)
        for key, child in value.items():
            if key not in allowed:
                problems.append(f"{path}.{key} is not in XSD type {type_name}")
            elif allowed[key] is not None:
                self.check(child, str(allowed[key]), f"{path}.{key}", problems)
