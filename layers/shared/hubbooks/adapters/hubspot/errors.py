"""HubSpot failures as typed errors carrying HubSpot's category and correlationId (for logs and support tickets).

The messages are ours: HubSpot's own text is kept in `hubspot_message` for logs and never reaches our callers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from hubbooks.domain.errors import UpstreamError, UpstreamRateLimitedError

if TYPE_CHECKING:  # the domain imports these errors, and the domain stays free of HTTP libraries
    import requests


class HubSpotApiError(UpstreamError):
    code: ClassVar[str] = "hubspot_error"

    def __init__(self, message: str, *, status: int | None = None, category: str | None = None,
                 sub_category: str | None = None, correlation_id: str | None = None,
                 hubspot_message: str | None = None, oauth_error: str | None = None,
                 legacy_status: str | None = None, context: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.category = category
        self.sub_category = sub_category
        self.correlation_id = correlation_id
        self.hubspot_message = hubspot_message
        self.oauth_error = oauth_error  # RFC 6749 `error` of the OAuth endpoints, e.g. invalid_grant
        self.legacy_status = legacy_status  # the OAuth endpoints' older `status`, e.g. BAD_REFRESH_TOKEN
        self.context = context or {}

    def log_fields(self) -> dict[str, Any]:
        return {"hubspot_status": self.status, "hubspot_category": self.category,
                "hubspot_sub_category": self.sub_category, "hubspot_correlation_id": self.correlation_id,
                "hubspot_message": self.hubspot_message}


class HubSpotValidationError(HubSpotApiError):
    code = "hubspot_rejected_input"


class HubSpotAuthenticationError(HubSpotApiError):
    """401: the token was refused. Not a refresh trigger (HubSpot's guidance); the grant needs attention."""

    code = "hubspot_unauthorized"


class HubSpotMissingScopesError(HubSpotApiError):
    code = "hubspot_missing_scopes"


class HubSpotNotFoundError(HubSpotApiError):
    code = "hubspot_not_found"


class HubSpotConflictError(HubSpotApiError):
    code = "hubspot_conflict"


class HubSpotRateLimitedError(HubSpotApiError, UpstreamRateLimitedError):
    code = "hubspot_rate_limited"


class HubSpotUnavailableError(HubSpotApiError):
    """No usable answer: connection failures or timeouts after every retry."""

    code = "hubspot_unavailable"


class HubSpotAnswerLostError(HubSpotUnavailableError):
    """A create got no usable answer (a timeout, a dropped connection, a 5xx): it may have been done. Not retried
    blindly; the caller looks for the record by its marker first."""

    code = "hubspot_answer_lost"


class HubSpotTimeoutError(HubSpotUnavailableError):
    """No answer before the request's deadline (the card's hubspot.fetch gives up at 15 s)."""

    status_code = 503
    code = "hubspot_timeout"


_BY_STATUS: dict[int, tuple[type[HubSpotApiError], str]] = {
    400: (HubSpotValidationError, "HubSpot rejected the request as invalid"),
    401: (HubSpotAuthenticationError, "HubSpot refused the app's credentials; reinstall the app if this persists"),
    403: (HubSpotMissingScopesError, "The HubSpot app lacks a permission this needs; reinstall it to grant it"),
    404: (HubSpotNotFoundError, "HubSpot has no such record"),
    409: (HubSpotConflictError, "HubSpot reports a conflicting record"),
    429: (HubSpotRateLimitedError, "HubSpot's rate limit was reached; try again in a few seconds"),
}


def _json_body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def error_from_response(response: requests.Response, action: str) -> HubSpotApiError:
    """Map a failed answer to its typed error. HubSpot advises treating every body field as optional."""
    body = _json_body(response)
    error_class, summary = _BY_STATUS.get(response.status_code,
                                          (HubSpotApiError, f"HubSpot failed with status {response.status_code}"))
    context = body.get("context")
    legacy_status = body.get("status")
    return error_class(
        f"{summary} ({action}).",
        status=response.status_code,
        category=body.get("category") or body.get("errorType"),
        sub_category=body.get("subCategory"),
        correlation_id=body.get("correlationId") or response.headers.get("X-HubSpot-Correlation-Id"),
        hubspot_message=body.get("message") or body.get("error_description"),
        oauth_error=body.get("error") if isinstance(body.get("error"), str) else None,
        legacy_status=legacy_status if isinstance(legacy_status, str) and legacy_status != "error" else None,
        context=context if isinstance(context, dict) else None,
    )
