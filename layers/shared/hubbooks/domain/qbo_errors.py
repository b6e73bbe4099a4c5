"""QuickBooks Online faults as typed errors, so callers branch on meaning (stale SyncToken, duplicate name) not codes.

Each keeps QBO's own fault code, message and detail for logs and support (`fault_code`, `fault_message`,
`fault_detail`), while `code`/`message` stay HubBooks' stable API code and a sentence for people: QBO's detail text
can name internal ids and is never sent to our callers verbatim.
"""

from __future__ import annotations

from typing import ClassVar

from hubbooks.domain.errors import ForbiddenError, UpstreamError, UpstreamRateLimitedError


class QboFaultError(UpstreamError):
    status_code: ClassVar[int] = 502
    code: ClassVar[str] = "qbo_fault"
    summary: ClassVar[str] = "QuickBooks refused the request"

    def __init__(self, *, fault_code: str = "", fault_message: str = "", fault_detail: str = "",
                 element: str = "", http_status: int = 0, fault_type: str = "", intuit_tid: str = "") -> None:
        # QBO's own message and detail stay in the attributes (for logs): the message reaches API callers.
        super().__init__(f"{self.summary} (QuickBooks error {fault_code or http_status or 'unknown'}).")
        self.fault_code = fault_code
        self.fault_message = fault_message
        self.fault_detail = fault_detail
        self.element = element
        self.http_status = http_status
        self.fault_type = fault_type
        self.intuit_tid = intuit_tid

    def log_fields(self) -> dict[str, object]:
        """What is safe and useful in a log line (no tokens; QBO's detail names only its own objects)."""
        return {"qbo_fault_code": self.fault_code, "qbo_fault_message": self.fault_message,
                "qbo_fault_detail": self.fault_detail, "qbo_http_status": self.http_status,
                "qbo_fault_type": self.fault_type, "intuit_tid": self.intuit_tid}


class QboStaleObjectError(QboFaultError):
    """5010: the SyncToken we sent is older than the object's; re-read it and apply the change again."""

    status_code = 409
    code = "qbo_stale_object"
    summary = "Someone changed this record in QuickBooks at the same time; reload and try again"


class QboDuplicateNameError(QboFaultError):
    """6240: DisplayName/Name already used (names are unique across customers, vendors and employees)."""

    status_code = 409
    code = "qbo_duplicate_name"
    summary = "QuickBooks already has a customer, vendor or employee with that name"


class QboDuplicateDocNumberError(QboFaultError):
    """6140 (some docs say 6210): the transaction number is already used."""

    status_code = 409
    code = "qbo_duplicate_doc_number"
    summary = "That invoice number is already used in QuickBooks; choose another"


class QboValidationError(QboFaultError):
    """2000-4999 and 6000-6999 apart from the codes above: the request breaks a QBO rule."""

    status_code = 422
    code = "qbo_validation_failed"
    summary = "QuickBooks did not accept the data"


class QboObjectNotFoundError(QboValidationError):
    """610: the object, or one it references, does not exist or was made inactive."""

    code = "qbo_object_not_found"
    summary = "Something the request refers to no longer exists in QuickBooks (or was made inactive)"


class QboThrottledError(QboFaultError, UpstreamRateLimitedError):
    """3001 / HTTP 429, after our retries; or our own per-company budget had no room in time."""

    status_code = 503
    code = "upstream_rate_limited"
    summary = "QuickBooks is limiting how fast we can call it; try again in a minute"


class QboAuthenticationError(QboFaultError):
    """401 (3200) even after one forced token refresh: the connection has to be made again."""

    status_code = 409
    code = "qbo_not_connected"
    summary = "QuickBooks no longer accepts this connection; reconnect the company"


class QboAuthorizationError(QboFaultError):
    """120, 3100 / HTTP 403, 6190: the user or company may not do this (permissions, lapsed subscription)."""

    status_code = 403
    code = "qbo_forbidden"
    summary = "QuickBooks does not allow this for the connected company or user"


class QboServerError(QboFaultError):
    """5xx or a SystemFault (>= 10000) that our retries did not get past."""

    code = "qbo_unavailable"
    summary = "QuickBooks is having problems right now; try again later"


class QboTimeoutError(QboServerError):
    """No answer before the request's deadline (the card's hubspot.fetch gives up at 15 s)."""

    status_code = 503
    code = "qbo_timeout"
    summary = "QuickBooks is answering too slowly right now; try again in a minute"


class IntuitOAuthError(UpstreamError):
    """Intuit's OAuth endpoints failed in a way our retries did not get past."""

    code = "intuit_oauth_failed"


class AuthorizationCodeRejectedError(IntuitOAuthError):
    """invalid_grant on the code exchange: the code expired (minutes), was used already, or was for another app."""

    status_code = 400
    code = "authorization_code_rejected"


class SandboxCompanyRefusedError(ForbiddenError):
    """The company is an Intuit sandbox company and this stack does not accept those."""

    code = "qbo_sandbox_company_refused"


class QboCompanyRefusedError(ForbiddenError):
    """After consent, QuickBooks refused to serve the company to us (403 / fault 3100): typically a sandbox company
    on the production service, or a subscription or user role that does not allow connected apps."""

    code = "qbo_company_refused"
