"""QBO fault bodies. QBO has two shapes: the usual capitalised `Fault` and a lower-case one for 401s."""

from __future__ import annotations

from typing import Any


class QboFault(Exception):
    """A fault the Accounting API answers with; raised anywhere below the HTTP layer."""

    def __init__(self, code: str, message: str, detail: str = "", element: str = "", *, status: int = 400,
                 fault_type: str = "ValidationFault") -> None:
        super().__init__(f"{code} {message}: {detail}")
        self.code = code
        self.message = message
        self.detail = detail
        self.element = element
        self.status = status
        self.fault_type = fault_type

    def fault(self) -> dict[str, Any]:
        error: dict[str, Any] = {"Message": self.message, "Detail": self.detail, "code": self.code}
        if self.element is not None:
            error["element"] = self.element
        return {"Error": [error], "type": self.fault_type}


def not_found(entity: str, entity_id: str, element: str = "") -> QboFault:
    return QboFault("610", "Object Not Found",
                    f"Object Not Found : Something you're trying to use has been made inactive or is not found. "
                    f"{entity} Id={entity_id}", element)


def stale(entity: str, entity_id: str) -> QboFault:
    return QboFault("5010", "Stale Object Error",
                    f"Stale Object Error : You and root were working on this at the same time. root finished before "
                    f"you did, so your work was not saved. {entity} Id={entity_id}")


def required(element: str) -> QboFault:
    return QboFault("2020", "Required param missing, need to supply the required value for the API",
                    f"Required parameter {element} is missing in the request", element)


def business(detail: str, code: str = "6000", element: str = "") -> QboFault:
    return QboFault(code, "A business validation error has occurred while processing your request",
                    f"Business Validation Error: {detail}", element)


def invalid_query(detail: str) -> QboFault:
    return QboFault("4001", "Invalid query", f"QueryValidationError: {detail}")


def unsupported(detail: str) -> QboFault:
    return QboFault("500", "Unsupported Operation", detail)


def invalid_property(name: str) -> QboFault:
    return QboFault("2010", "Request has invalid or unsupported property",
                    f"Property Name:{name} specified is unsupported or invalid", name)


def duplicate_name() -> QboFault:
    return QboFault("6240", "Duplicate Name Exists Error", "The name supplied already exists. : null")


def duplicate_doc_number(doc_number: str, txn_type: str, txn_id: str) -> QboFault:
    return QboFault("6140", "Duplicate Document Number Error",
                    "Duplicate Document Number Error : You must specify a different number. This number has already "
                    f"been used. DocNumber={doc_number} is assigned to TxnType={txn_type} with TxnId={txn_id}")


def throttled() -> QboFault:
    return QboFault("3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429",
                    "The request limit was reached.  Try again later", status=429, fault_type="SERVICE")


def forbidden_realm() -> QboFault:
    # The token is good but was granted for another company. Intuit answers 3100 with fault type SERVICE
    # (qbo_api issue #138, oauth-jsclient issue #2); api-facts §Q8 lists no SECURITY type.
    return QboFault("3100", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", "",
                    status=403, fault_type="SERVICE")


def wrong_environment() -> QboFault:
    """A sandbox company called on the production host, or a production company on the sandbox host.

    Intuit answers HTTP 403 with the same fault as for a realm the app may not use: code 3100,
    `message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403`, type SERVICE, no detail
    (minimul/qbo_api issue #138: a sandbox realm queried on the production base URL; Intuit's help article for 3100
    says to use the sandbox base URL for sandbox companies). api-facts §Q8: 403 = forbidden, 1-499 = authorization.
    """
    return QboFault("3100", "message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403", "",
                    status=403, fault_type="SERVICE")


def authentication_body(detail: str, epoch_ms: int) -> dict[str, Any]:
    """The lower-case envelope QBO sends with 401s (qbo_api error/401 cassette)."""
    return {
        "warnings": None, "intuitObject": None,
        "fault": {"error": [{"message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                             "detail": detail, "code": "3200", "element": None}], "type": "AUTHENTICATION"},
        "report": None, "queryResponse": None, "batchItemResponse": [], "attachableResponse": [],
        "syncErrorResponse": None, "requestId": None, "time": epoch_ms, "status": None, "cdcresponse": [],
    }
