"""The domain talks to the outside world through its ports only: no domain module imports an adapter, the API or the
configuration, not even for type checking (a port defined in an adapter module would invert the dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

DOMAIN = Path(__file__).resolve().parents[2] / "layers" / "shared" / "hubbooks" / "domain"
ALLOWED = ("hubbooks.domain", "hubbooks.models", "hubbooks.observability")


def _hubbooks_imports(source: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        found += [(node.lineno, name) for name in names if name == "hubbooks" or name.startswith("hubbooks.")]
    return found


def test_the_domain_imports_only_the_domain_models_and_observability() -> None:
    modules = sorted(DOMAIN.rglob("*.py"))
    assert len(modules) > 50, "the domain package moved: point DOMAIN at it"
    outside = [f"{source.relative_to(DOMAIN.parent)}:{line} imports {name}"
               for source in modules for line, name in _hubbooks_imports(source)
               if not name.startswith(ALLOWED) and name != "hubbooks"]
    assert outside == [], "move the port into the domain (domain/<area>/ports.py) and let the adapter import it:\n" \
        + "\n".join(outside)
