"""Route modules loaded on the first request that needs them, so a cold start pays only for the routes it serves.

A function declares each route module with the paths (Powertools rules) its routes answer. The resolver imports a
module, and includes its router, the first time a request's path matches one of them; `/openapi.json` and tests
load them all, in the declared order, so the document is the one an eager resolver would write. Rules of different
modules never overlap (tests/unit/api/test_route_modules.py), so the order in which modules load cannot change which
route answers a path; that test also keeps each declaration equal to its module's routes.
"""

from __future__ import annotations

import gc
import importlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayHttpResolver

_PARAMETER = re.compile(r"<\w+>")


@dataclass(frozen=True)
class RouteModule:
    module: str  # holds `router`
    rules: tuple[str, ...]

    def answers(self, path: str) -> bool:
        return any(_rule_pattern(rule).fullmatch(path) for rule in self.rules)


def _rule_pattern(rule: str) -> re.Pattern[str]:
    return re.compile(_PARAMETER.sub("[^/]+", re.escape(rule).replace(r"\<", "<").replace(r"\>", ">")))


class LazyRoutesResolver(APIGatewayHttpResolver):
    """Powertools' HTTP API resolver whose route modules load on demand (see the module's docstring)."""

    def __init__(self, *, route_modules: Sequence[RouteModule] = (), **options: Any) -> None:
        super().__init__(**options)
        self._pending = list(route_modules)

    def load_routes(self, path: str | None = None) -> None:
        """Include the routers of the pending modules that answer `path` (all of them when no path is given).

        Loaded as the handler module was (hubbooks/__init__.py): with the collector paused, then the new long-lived
        objects frozen out of its way."""
        needed = [m for m in self._pending if path is None or m.answers(path)]
        if not needed:
            return
        paused = gc.isenabled()
        gc.disable()
        try:
            for declared in needed:
                self.include_router(importlib.import_module(declared.module).router)
                self._pending.remove(declared)
        finally:
            if paused:
                gc.freeze()
                gc.enable()

    def resolve(self, event: Mapping[str, Any], context: Any) -> dict[str, Any]:
        if self._pending:
            self.load_routes(str(event.get("rawPath") or event.get("path") or ""))
        return super().resolve(event, context)

    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        self.load_routes()
        return super().get_openapi_schema(*args, **kwargs)
