"""HTTP API routes from the template's `HttpApi` events, matched the way API Gateway picks the most specific route."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from sandbox.cfn_template import serverless_functions


@dataclass(frozen=True)
class Route:
    method: str  # upper case, or ANY
    path: str  # as in the template, e.g. /oauth/qbo/connections/{realmId}
    function: str  # logical id

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def segments(self) -> tuple[str, ...]:
        return tuple(self.path.strip("/").split("/")) if self.path.strip("/") else ()

    @property
    def greedy(self) -> bool:
        return bool(self.segments) and self.segments[-1].endswith("+}")

    def match_path(self, path: str) -> dict[str, str] | None:
        """Path parameters if `path` (percent-encoded, as received) fits this route's path, else None."""
        wanted = self.segments
        actual = tuple(path.strip("/").split("/")) if path.strip("/") else ()
        params: dict[str, str] = {}
        for index, pattern in enumerate(wanted):
            parameter = re.fullmatch(r"\{([^}+]+)(\+?)\}", pattern)
            if parameter and parameter.group(2):
                rest = actual[index:]
                if not rest:
                    return None
                params[parameter.group(1)] = unquote("/".join(rest))
                return params
            if index >= len(actual):
                return None
            if parameter:
                if not actual[index]:
                    return None
                params[parameter.group(1)] = unquote(actual[index])
            elif pattern != actual[index]:
                return None
        return params if len(actual) == len(wanted) else None

    def specificity(self) -> tuple[int, ...]:
        # Literal segments beat {param}, which beat {proxy+}; a concrete method beats ANY.
        ranks = [0 if s.endswith("+}") else 1 if s.startswith("{") else 2 for s in self.segments]
        return (*ranks, 1 if self.method != "ANY" else 0)


@dataclass(frozen=True)
class RouteMatch:
    route: Route
    path_parameters: dict[str, str]


def routes_from_template(template: Mapping[str, Any]) -> list[Route]:
    routes = []
    for function_id, resource in serverless_functions(template).items():
        for event in resource.get("Properties", {}).get("Events", {}).values():
            if event.get("Type") != "HttpApi":
                continue
            props = event.get("Properties", {})
            method = str(props.get("Method", "ANY")).upper()
            routes.append(Route(method="ANY" if method in ("ANY", "X-AMAZON-APIGATEWAY-ANY-METHOD") else method,
                                path=str(props.get("Path", "/{proxy+}")), function=function_id))
    return routes


def match_route(routes: list[Route], method: str, path: str) -> RouteMatch | None:
    candidates = []
    for route in routes:
        if route.method not in ("ANY", method.upper()):
            continue
        params = route.match_path(path)
        if params is not None:
            candidates.append(RouteMatch(route, params))
    if not candidates:
        return None
    return max(candidates, key=lambda found: found.route.specificity())
