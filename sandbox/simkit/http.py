"""JSON helpers for the simulators' werkzeug apps."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from werkzeug.wrappers import Request, Response


class BadJson(ValueError):
    """The request body is not the JSON the endpoint needs."""


def json_response(data: Any, status: int = 200, headers: Mapping[str, str] | None = None,
                  content_type: str = "application/json") -> Response:
    response = Response(json.dumps(data, separators=(",", ":")), status=status, content_type=content_type)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def read_json(request: Request) -> Any:
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadJson(f"request body is not valid JSON: {exc}") from exc
