"""Domain errors. Each carries the HTTP status and stable code the API answers with, and a message for people."""

from __future__ import annotations

from typing import Any, ClassVar


class HubBooksError(Exception):
    status_code: ClassVar[int] = 500
    code: ClassVar[str] = "internal_error"

    def __init__(self, message: str, *, details: Any = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class ConfigurationError(HubBooksError):
    code = "not_configured"


class InvalidRequestError(HubBooksError):
    status_code = 400
    code = "invalid_request"


class UnauthorizedRequestError(HubBooksError):
    status_code = 401
    code = "unauthorized"


class ForbiddenError(HubBooksError):
    status_code = 403
    code = "forbidden"


class NotFoundError(HubBooksError):
    status_code = 404
    code = "not_found"


class ConflictError(HubBooksError):
    status_code = 409
    code = "conflict"


class PayloadTooLargeError(HubBooksError):
    status_code = 413
    code = "payload_too_large"


class TenantNotConnectedError(HubBooksError):
    status_code = 409
    code = "not_connected"


class UpstreamError(HubBooksError):
    """A provider failed in a way the user cannot fix by changing their input."""

    status_code = 502
    code = "upstream_error"

    def log_fields(self) -> dict[str, object]:
        """What a log line should carry about the failure; each provider's errors add their own diagnostics."""
        return {"error_code": self.code}


class UpstreamRateLimitedError(UpstreamError):
    status_code = 503
    code = "upstream_rate_limited"
