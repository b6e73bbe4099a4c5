"""What a contract check reports, and the questions every contract check answers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Violation:
    kind: str  # "request" or "response"
    method: str
    path: str
    operation: str | None  # which documented operation the call matched
    message: str
    status: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class ContractCheck(Protocol):
    """Checked by HubSpot's OpenAPI files (OpenApiContract) or by its client's generated models (ModelContract)."""

    source: str

    def covers(self, path: str) -> bool: ...

    def validate_request(self, method: str, path: str, query: Mapping[str, list[str]] | str,
                         headers: Mapping[str, str], body: bytes, content_type: str | None) -> list[Violation]: ...

    def validate_response(self, method: str, path: str, status: int, content_type: str | None,
                          body: bytes) -> list[Violation]: ...
