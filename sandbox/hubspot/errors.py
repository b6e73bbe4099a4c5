"""HubSpot-shaped error bodies, raised as exceptions so handlers stay linear."""

from __future__ import annotations

import uuid
from typing import Any


def correlation_id() -> str:
    # The spec declares correlationId as format uuid; clients log it, so keep it a real UUID.
    return str(uuid.uuid4())


class HubSpotError(Exception):
    """An API error answered with HubSpot's standard `Error` body."""

    def __init__(self, status: int, category: str, message: str, *, sub_category: str | None = None,
                 errors: list[dict[str, Any]] | None = None, context: dict[str, list[str]] | None = None,
                 extra: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.category = category
        self.message = message
        self.sub_category = sub_category
        self.errors = errors
        self.context = context
        self.extra = extra or {}
        self.headers = headers or {}

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": "error", "message": self.message, "correlationId": correlation_id(),
                                "category": self.category}
        if self.sub_category:
            body["subCategory"] = self.sub_category
        if self.errors is not None:
            body["errors"] = self.errors
        if self.context is not None:
            body["context"] = self.context
        body.update(self.extra)
        return body


def not_found(message: str = "resource not found") -> HubSpotError:
    return HubSpotError(404, "OBJECT_NOT_FOUND", message)


def validation(message: str, errors: list[dict[str, Any]] | None = None,
               sub_category: str | None = None) -> HubSpotError:
    return HubSpotError(400, "VALIDATION_ERROR", message, errors=errors, sub_category=sub_category)


def batch_error(category: str, message: str, context: dict[str, list[str]] | None = None,
                status: str = "error") -> dict[str, Any]:
    """One entry of a batch response's `errors[]` (spec `StandardError`, whose fields are all required)."""
    return {"status": status, "category": category, "message": message, "context": context or {},
            "errors": [], "links": {}}
