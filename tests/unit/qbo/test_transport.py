"""The QBO transport: what every request carries, retries, the one forced refresh on 401, faults as types."""

from __future__ import annotations

import pytest
import requests

from hubbooks.adapters.http_retry import RetryPolicy
from hubbooks.adapters.qbo.client import QboClient
from hubbooks.adapters.qbo.rate_budget import RealmBudgets
from hubbooks.adapters.qbo.transport import BearerToken, QboRequest, QboTransport
from hubbooks.domain.qbo_errors import (
    QboAuthenticationError,
    QboDuplicateDocNumberError,
    QboDuplicateNameError,
    QboServerError,
    QboStaleObjectError,
    QboThrottledError,
    QboValidationError,
)
from tests.unit.qbo.fakes import ScriptedSession, response

REALM = "9130"


class CountingTokens:
    def __init__(self) -> None:
        self.token = BearerToken("at-1", 1)
        self.rejections: list[BearerToken] = []

    def current(self, realm_id: str) -> BearerToken:
        return self.token

    def after_rejection(self, realm_id: str, rejected: BearerToken) -> BearerToken:
        self.rejections.append(rejected)
        self.token = BearerToken(f"at-{rejected.version + 1}", rejected.version + 1)
        return self.token


def fault(code: str, message: str, status: int = 400, detail: str = "") -> requests.Response:
    return response(status, {"Fault": {"Error": [{"Message": message, "Detail": detail, "code": code}],
                                       "type": "ValidationFault"}, "time": "2026-01-01T00:00:00-08:00"},
                    {"intuit_tid": "1-abc"})


def make(session: ScriptedSession, tokens: CountingTokens | None = None,
         sleeps: list[float] | None = None) -> tuple[QboClient, CountingTokens]:
    tokens = tokens or CountingTokens()
    transport = QboTransport(session, "https://qbo.test/", tokens, budgets=RealmBudgets(),  # type: ignore[arg-type]
                             policy=RetryPolicy(max_attempts=3), sleep=(sleeps if sleeps is not None else []).append,
                             request_ids=lambda: "generated-id")
    return QboClient(transport, REALM), tokens


def test_every_request_has_bearer_minorversion_and_a_timeout() -> None:
    session = ScriptedSession([response(200, {"CompanyInfo": {"CompanyName": "Acme"}})])
    client, _ = make(session)
    assert client.company_info() == {"CompanyName": "Acme"}
    sent = session.sent[0]
    assert sent.url == f"https://qbo.test/v3/company/{REALM}/companyinfo/{REALM}"
    assert sent.params == {"minorversion": "75"}
    assert sent.headers["Authorization"] == "Bearer at-1"
    assert sent.headers["Accept"] == "application/json"


def test_creates_carry_the_callers_request_id_or_a_generated_one() -> None:
    session = ScriptedSession([response(200, {"Customer": {"Id": "1"}}), response(200, {"Customer": {"Id": "2"}})])
    client, _ = make(session)
    client.create("Customer", {"DisplayName": "A"}, request_id="deal-7-create-customer")
    client.create("Customer", {"DisplayName": "B"})
    assert [s.params["requestid"] for s in session.sent] == ["deal-7-create-customer", "generated-id"]
    assert session.sent[0].path.endswith("/customer") and session.sent[0].headers["Content-Type"] == "application/json"


def test_request_ids_over_fifty_characters_are_refused_before_sending() -> None:
    session = ScriptedSession([])
    client, _ = make(session)
    with pytest.raises(ValueError, match="at most 50"):
        client.create("Customer", {"DisplayName": "A"}, request_id="x" * 51)
    assert session.sent == []


def test_429_and_5xx_are_retried_with_backoff_and_the_same_request_id() -> None:
    sleeps: list[float] = []
    session = ScriptedSession([fault("3001", "message=ThrottleExceeded; errorCode=003001; statusCode=429", 429),
                               response(503, {"error": "unavailable"}), response(200, {"Invoice": {"Id": "5"}})])
    client, _ = make(session, sleeps=sleeps)
    assert client.create("Invoice", {"Line": []}) == {"Id": "5"}
    assert len(session.sent) == 3 and len(sleeps) == 2
    assert {s.params["requestid"] for s in session.sent} == {"generated-id"}


def test_throttling_that_outlasts_the_retries_raises_throttled() -> None:
    session = ScriptedSession([fault("3001", "message=ThrottleExceeded", 429)] * 3)
    client, _ = make(session)
    with pytest.raises(QboThrottledError) as caught:
        client.query("SELECT * FROM Customer")
    assert caught.value.fault_code == "3001" and caught.value.status_code == 503


def test_a_401_forces_one_refresh_and_retries_with_the_new_token() -> None:
    expired = response(401, {"fault": {"error": [{"message": "AuthenticationFailed", "detail": "Token expired",
                                                  "code": "3200"}], "type": "AUTHENTICATION"}})
    session = ScriptedSession([expired, response(200, {"Preferences": {"Id": "1"}})])
    client, tokens = make(session)
    assert client.preferences() == {"Id": "1"}
    assert tokens.rejections == [BearerToken("at-1", 1)]
    assert session.sent[1].headers["Authorization"] == "Bearer at-2"


def test_a_second_401_after_the_refresh_is_an_authentication_error() -> None:
    expired = response(401, {"fault": {"error": [{"message": "AuthenticationFailed", "detail": "Token revoked",
                                                  "code": "3200"}], "type": "AUTHENTICATION"}})
    session = ScriptedSession([expired, expired])
    client, tokens = make(session)
    with pytest.raises(QboAuthenticationError) as caught:
        client.preferences()
    assert len(tokens.rejections) == 1 and caught.value.fault_code == "3200"


@pytest.mark.parametrize(("code", "message", "error_type"), [
    ("5010", "Stale Object Error", QboStaleObjectError),
    ("6240", "Duplicate Name Exists Error", QboDuplicateNameError),
    ("6140", "Duplicate Document Number Error", QboDuplicateDocNumberError),
    ("6210", "Duplicate Document Number Error", QboDuplicateDocNumberError),
    ("2020", "Required param missing", QboValidationError),
    ("6000", "A business validation error has occurred", QboValidationError),
])
def test_faults_become_typed_errors_keeping_qbo_code_message_and_detail(code: str, message: str,
                                                                       error_type: type) -> None:
    session = ScriptedSession([fault(code, message, detail=f"detail {code}")])
    client, _ = make(session)
    with pytest.raises(error_type) as caught:
        client.create("Invoice", {})
    error = caught.value
    assert (error.fault_code, error.fault_message, error.fault_detail) == (code, message, f"detail {code}")
    assert error.http_status == 400 and error.intuit_tid == "1-abc"
    assert len(session.sent) == 1  # validation faults are not retried


def test_a_fault_inside_a_200_is_still_raised() -> None:
    session = ScriptedSession([response(200, {"Fault": {"Error": [{"Message": "Stale Object Error",
                                                                   "code": "5010"}], "type": "ValidationFault"}})])
    client, _ = make(session)
    with pytest.raises(QboStaleObjectError):
        client.sparse_update("Invoice", "5", "0", {"PrivateNote": "x"})


def test_no_answer_at_all_is_a_server_error_after_the_retries() -> None:
    session = ScriptedSession([requests.ConnectionError("refused")] * 3)
    client, _ = make(session)
    with pytest.raises(QboServerError) as caught:
        client.preferences()
    assert "did not answer" in caught.value.fault_message
    assert len(session.sent) == 3


def test_quickbooks_own_wording_stays_out_of_the_message_callers_see() -> None:
    """The message becomes the API error body; QBO's fault text (and our transport detail) is for logs only."""
    client, _ = make(ScriptedSession([fault("6000", "secret upstream message", detail="secret upstream detail")]))
    with pytest.raises(QboValidationError) as rejected:
        client.create("Invoice", {})
    assert rejected.value.fault_message == "secret upstream message"
    assert "secret" not in rejected.value.message and "6000" in rejected.value.message
    client, _ = make(ScriptedSession([requests.ConnectionError("refused by 10.0.0.7:443")] * 3))
    with pytest.raises(QboServerError) as unreachable:
        client.preferences()
    assert "10.0.0.7" not in unreachable.value.message and "10.0.0.7" in unreachable.value.fault_message


def test_raw_requests_use_the_given_accept_header() -> None:
    session = ScriptedSession([response(200, b"%PDF-1.4", {"Content-Type": "application/pdf"})])
    client, _ = make(session)
    transport = client._transport
    answer = transport.send(REALM, QboRequest("GET", "invoice/5/pdf", accept="application/pdf"))
    assert answer.content.startswith(b"%PDF") and session.sent[0].headers["Accept"] == "application/pdf"


def test_send_goes_as_octet_stream_with_the_address_and_is_repeated_only_when_throttled() -> None:
    sent_invoice = {"Invoice": {"Id": "7", "EmailStatus": "EmailSent"}}
    session = ScriptedSession([fault("3001", "ThrottleExceeded", status=429), response(200, sent_invoice)])
    client, _ = make(session)
    assert client.send("Invoice", "7", send_to="ap@example.com", include="invoiceLink")["EmailStatus"] == "EmailSent"
    assert len(session.sent) == 2
    last = session.sent[-1]
    assert last.path.endswith("/invoice/7/send") and last.headers["Content-Type"] == "application/octet-stream"
    assert last.params["sendTo"] == "ap@example.com" and last.params["include"] == "invoiceLink"


@pytest.mark.parametrize("failure", [response(503, {}), requests.Timeout("read timed out")])
def test_a_send_that_may_have_happened_is_not_repeated(failure: object) -> None:
    # QuickBooks does not deduplicate sends by requestid: a second try could e-mail the customer twice.
    session = ScriptedSession([failure, response(200, {"Invoice": {"Id": "7"}})])  # type: ignore[list-item]
    client, _ = make(session)
    with pytest.raises(QboServerError):
        client.send("Invoice", "7")
    assert len(session.sent) == 1


def test_void_posts_id_and_sync_token_with_the_operation() -> None:
    session = ScriptedSession([response(503, {}), response(200, {"Invoice": {"Id": "7", "PrivateNote": "Voided"}})])
    client, _ = make(session)
    assert client.void("Invoice", "7", "3", request_id="hb-void-7")["PrivateNote"] == "Voided"
    assert len(session.sent) == 2  # a void carries a requestid, so QuickBooks replays rather than repeats it
    assert session.sent[-1].params == {"operation": "void", "requestid": "hb-void-7", "minorversion": "75"}
    assert session.sent[-1].json is None and b'"SyncToken":"3"' in session.sent[-1].data
