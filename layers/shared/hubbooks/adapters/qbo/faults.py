"""Turn a QBO fault body (either of its two shapes) into the matching typed error."""

from __future__ import annotations

from typing import Any, NamedTuple

import requests

from hubbooks.domain.qbo_errors import (
    QboAuthenticationError,
    QboAuthorizationError,
    QboDuplicateDocNumberError,
    QboDuplicateNameError,
    QboFaultError,
    QboObjectNotFoundError,
    QboServerError,
    QboStaleObjectError,
    QboThrottledError,
    QboValidationError,
)


class FaultDetail(NamedTuple):
    code: str = ""
    message: str = ""
    detail: str = ""
    element: str = ""
    fault_type: str = ""


def fault_in(body: Any) -> FaultDetail | None:
    """The first error of a fault, or None. QBO capitalises `Fault/Error/Message` except on 401s, where it sends
    `fault/error/message`, so both are read."""
    if not isinstance(body, dict):
        return None
    fault = body.get("Fault") or body.get("fault")
    if not isinstance(fault, dict):
        return None
    errors = fault.get("Error") or fault.get("error") or []
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    def text(*names: str) -> str:
        for name in names:
            value = first.get(name)
            if value is not None:
                return str(value)
        return ""
    return FaultDetail(code=text("code", "Code"), message=text("Message", "message"),
                       detail=text("Detail", "detail"), element=text("element", "Element"),
                       fault_type=str(fault.get("type") or fault.get("Type") or ""))


def _is_duplicate_doc_number(fault: FaultDetail) -> bool:
    # Integrators see 6140; an Intuit table says 6210. The message is the stable part.
    return fault.code in ("6140", "6210") or "duplicate document number" in fault.message.lower()


def error_class_for(http_status: int, fault: FaultDetail) -> type[QboFaultError]:
    code = int(fault.code) if fault.code.isdigit() else -1
    if fault.code == "3001" or http_status == 429 or "throttleexceeded" in fault.message.lower():
        return QboThrottledError
    if http_status == 401 or fault.code == "3200":
        return QboAuthenticationError
    if fault.code == "5010":
        return QboStaleObjectError
    if fault.code == "6240":
        return QboDuplicateNameError
    if _is_duplicate_doc_number(fault):
        return QboDuplicateDocNumberError
    if fault.code == "610":
        return QboObjectNotFoundError
    if http_status == 403 or 1 <= code < 500 or fault.code in ("3100", "6190"):
        return QboAuthorizationError
    if http_status >= 500 or code >= 10000:
        return QboServerError
    if 2000 <= code < 5000 or 6000 <= code < 7000 or http_status in (400, 404, 422):
        return QboValidationError
    return QboFaultError


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def error_from_response(response: requests.Response, body: Any = None) -> QboFaultError:
    parsed = body if body is not None else _json_or_none(response)
    fault = fault_in(parsed) or FaultDetail(message=response.reason or f"HTTP {response.status_code}")
    error_class = error_class_for(response.status_code, fault)
    return error_class(fault_code=fault.code, fault_message=fault.message, fault_detail=fault.detail,
                       element=fault.element, http_status=response.status_code, fault_type=fault.fault_type,
                       intuit_tid=response.headers.get("intuit_tid") or response.headers.get("Intuit-Tid") or "")


def is_throttle(response: requests.Response) -> bool:
    """429, or the older 3001 answers that came with HTTP 400/403."""
    if response.status_code == 429:
        return True
    if response.status_code in (400, 403):
        fault = fault_in(_json_or_none(response))
        return fault is not None and fault.code == "3001"
    return False
