"""The HubSpot transport with a scripted session: auth, versioned paths, retries, 429 waits, typed errors."""

from __future__ import annotations

import pytest
import requests

from hubbooks.adapters.http_retry import Deadline
from hubbooks.adapters.hubspot.errors import (
    HubSpotApiError,
    HubSpotAuthenticationError,
    HubSpotMissingScopesError,
    HubSpotNotFoundError,
    HubSpotRateLimitedError,
    HubSpotUnavailableError,
)
from hubbooks.adapters.hubspot.rate_budget import BudgetLimits, RequestBudget
from hubbooks.adapters.hubspot.transport import HubSpotTransport, versioned
from hubbooks.domain.errors import UpstreamRateLimitedError
from tests.unit.hubspot.fakes import ScriptedSession, http_response

CORRELATION = "aeb5f871-7f07-4993-9211-075dc63e7cbf"


def _transport(session: ScriptedSession, *, tokens: list[str] | None = None, sleeps: list[float] | None = None,
               budget: RequestBudget | None = None, remaining_ms: int = 60_000) -> HubSpotTransport:
    issued = tokens if tokens is not None else []

    def token() -> str:
        issued.append("tok")
        return "tok"

    return HubSpotTransport("https://api.hubapi.test/", session=session, access_token=token, portal_id=42,
                            budget=budget, sleep=(sleeps if sleeps is not None else []).append,
                            deadline=Deadline(remaining_ms=lambda: remaining_ms))


def test_versioned_paths() -> None:
    assert versioned("crm/objects", "deals/1") == "/crm/objects/2026-03/deals/1"
    assert versioned("account-info", "details") == "/account-info/2026-03/details"
    assert versioned("oauth", "token") == "/oauth/2026-03/token"


def test_sends_the_bearer_token_to_the_versioned_url() -> None:
    session = ScriptedSession([http_response(200, {"ok": True})])
    assert _transport(session).json("GET", "/crm/objects/2026-03/deals/1", action="reading") == {"ok": True}
    sent = session.sent[0]
    assert sent.url == "https://api.hubapi.test/crm/objects/2026-03/deals/1"
    assert sent.headers["Authorization"] == "Bearer tok"


def test_a_429_waits_for_the_interval_when_hubspot_gives_no_retry_after() -> None:
    limited = http_response(429, {"status": "error", "message": "ten_secondly_rolling", "errorType": "RATE_LIMIT",
                                  "policyName": "TEN_SECONDLY_ROLLING", "correlationId": CORRELATION},
                            {"X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                             "X-HubSpot-RateLimit-Remaining": "0"})
    session, sleeps = ScriptedSession([limited, http_response(200, {})]), []
    _transport(session, sleeps=sleeps).json("GET", "/x", action="reading")
    assert sleeps == [10.0] and len(session.sent) == 2


def test_retry_after_wins_over_the_interval() -> None:
    limited = http_response(429, {}, {"Retry-After": "3", "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
                                      "X-HubSpot-RateLimit-Remaining": "0"})
    sleeps: list[float] = []
    _transport(ScriptedSession([limited, http_response(200, {})]), sleeps=sleeps).json("GET", "/x", action="a")
    assert sleeps == [3.0]


def test_rate_limited_to_the_end_is_a_typed_error_that_maps_to_503() -> None:
    answers = [http_response(429, {"category": "RATE_LIMITS", "correlationId": CORRELATION, "message": "m"},
                             {"Retry-After": "1"}) for _ in range(4)]
    with pytest.raises(HubSpotRateLimitedError) as limited:
        _transport(ScriptedSession(answers)).json("GET", "/x", action="reading deal 1")
    assert isinstance(limited.value, UpstreamRateLimitedError) and limited.value.status_code == 503
    assert limited.value.correlation_id == CORRELATION and "reading deal 1" in limited.value.message


def test_a_401_is_reported_not_retried_and_triggers_no_new_token() -> None:
    tokens: list[str] = []
    session = ScriptedSession([http_response(401, {"category": "INVALID_AUTHENTICATION", "message": "expired",
                                                   "correlationId": CORRELATION})])
    with pytest.raises(HubSpotAuthenticationError) as refused:
        _transport(session, tokens=tokens).json("GET", "/x", action="reading")
    assert len(session.sent) == 1 and tokens == ["tok"]
    assert refused.value.category == "INVALID_AUTHENTICATION"


def test_a_401_on_a_cached_token_is_tried_once_more_with_the_stored_grant() -> None:
    tokens = iter(["cached", "stored"])
    dropped: list[bool] = []

    def drop() -> bool:
        if dropped:
            return False
        dropped.append(True)
        return True

    session = ScriptedSession([http_response(401, {"category": "INVALID_AUTHENTICATION", "message": "expired"}),
                               http_response(200, {"ok": True})])
    transport = HubSpotTransport("https://api.hubapi.test/", session=session, access_token=lambda: next(tokens),
                                 portal_id=42, deadline=Deadline(remaining_ms=lambda: 60_000),
                                 token_rejected=drop)
    assert transport.json("GET", "/x", action="reading") == {"ok": True}
    assert [call.headers["Authorization"] for call in session.sent] == ["Bearer cached", "Bearer stored"]
    # Nothing cached to drop the second time: the 401 is reported, not retried in a loop
    session = ScriptedSession([http_response(401, {"category": "INVALID_AUTHENTICATION", "message": "revoked"})])
    transport = HubSpotTransport("https://api.hubapi.test/", session=session, access_token=lambda: "stored",
                                 portal_id=42, deadline=Deadline(remaining_ms=lambda: 60_000),
                                 token_rejected=lambda: False)
    with pytest.raises(HubSpotAuthenticationError):
        transport.json("GET", "/x", action="reading")
    assert len(session.sent) == 1


@pytest.mark.parametrize(("status", "category", "error_type"), [
    (403, "MISSING_SCOPES", HubSpotMissingScopesError),
    (404, "OBJECT_NOT_FOUND", HubSpotNotFoundError),
])
def test_client_errors_fail_fast_with_category_and_correlation_id(status: int, category: str,
                                                                  error_type: type[HubSpotApiError]) -> None:
    session = ScriptedSession([http_response(status, {"status": "error", "message": "secret upstream detail",
                                                      "category": category, "correlationId": CORRELATION,
                                                      "subCategory": "sub"})])
    with pytest.raises(error_type) as failed:
        _transport(session).json("GET", "/x", action="reading")
    error = failed.value
    assert (error.status, error.category, error.sub_category, error.correlation_id) == (status, category, "sub",
                                                                                          CORRELATION)
    assert "secret upstream detail" not in error.message and error.hubspot_message == "secret upstream detail"
    assert len(session.sent) == 1


def test_server_errors_are_retried_with_backoff() -> None:
    sleeps: list[float] = []
    session = ScriptedSession([http_response(502), http_response(503), http_response(200, {"ok": 1})])
    assert _transport(session, sleeps=sleeps).json("GET", "/x", action="reading") == {"ok": 1}
    assert len(sleeps) == 2 and sleeps[0] <= 0.5 <= sleeps[1] <= 1.0


def test_a_locked_record_is_retried_after_two_seconds() -> None:
    sleeps: list[float] = []
    _transport(ScriptedSession([http_response(423, {}), http_response(200, {})]), sleeps=sleeps).json(
        "PATCH", "/x", action="updating")
    assert sleeps == [2.0]


def test_connection_failures_become_unavailable_after_the_last_attempt() -> None:
    session = ScriptedSession([requests.ConnectionError("refused")] * 4)
    with pytest.raises(HubSpotUnavailableError):
        _transport(session).json("GET", "/x", action="reading")
    assert len(session.sent) == 4


def test_no_retry_when_the_invocation_has_no_time_left() -> None:
    session = ScriptedSession([http_response(503, {})])
    with pytest.raises(HubSpotApiError) as failed:
        _transport(session, remaining_ms=2_600).json("GET", "/x", action="reading")
    assert failed.value.status == 503 and len(session.sent) == 1


def test_an_exhausted_budget_without_time_to_wait_fails_before_calling_hubspot() -> None:
    budget = RequestBudget(BudgetLimits(burst_requests=1))
    session = ScriptedSession([http_response(200, {})])
    transport = _transport(session, budget=budget, remaining_ms=12_000)
    transport.json("GET", "/x", action="first")
    with pytest.raises(HubSpotRateLimitedError) as paced:
        transport.json("GET", "/x", action="second")
    assert paced.value.category == "LOCAL_BUDGET" and len(session.sent) == 1


def test_form_bodies_for_app_level_calls_carry_no_bearer_token() -> None:
    session = ScriptedSession([http_response(200, {})])
    HubSpotTransport("https://api.hubapi.test", session=session).json(
        "POST", "/oauth/2026-03/token", action="token", form={"grant_type": "refresh_token"})
    assert session.sent[0].data == {"grant_type": "refresh_token"} and "Authorization" not in session.sent[0].headers


def test_a_token_source_needs_a_portal() -> None:
    with pytest.raises(ValueError, match="portal"):
        HubSpotTransport("https://x", access_token=lambda: "t")
