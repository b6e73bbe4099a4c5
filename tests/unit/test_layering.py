"""The domain talks to the outside world through its ports only: no domain module imports an adapter, the API or the
configuration, not even for type checking (a port defined in an adapter module would invert the dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "layers" / "shared" / "hubbooks"
ALLOWED = ("hubbooks.domain", "hubbooks.models", "hubbooks.observability")


def _imported_modules(source: Path) -> list[tuple[int, str]]:
    """Every module a source file imports, relative imports resolved against its package."""
    package = ".".join(("hubbooks", *source.parent.relative_to(PACKAGE).parts))
    found = []
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            found.append((node.lineno, ".".join(part for part in (base, node.module or "") if part)))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def _outside_the_domain(name: str) -> bool:
    return name.startswith("hubbooks.") and not any(name == a or name.startswith(f"{a}.") for a in ALLOWED)


def test_the_domain_imports_only_the_domain_models_and_observability() -> None:
    modules = sorted((PACKAGE / "domain").rglob("*.py"))
    assert len(modules) > 50, "the domain package moved: point PACKAGE at it"
    outside = [f"{source.relative_to(PACKAGE)}:{line} imports {name}"
               for source in modules for line, name in _imported_modules(source) if _outside_the_domain(name)]
    assert outside == [], "move the port into the domain (domain/<area>/ports.py) and let the adapter import it:\n" \
        + "\n".join(outside)
