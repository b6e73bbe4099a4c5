"""Throttling, injected faults, statistics and the control API."""

from __future__ import annotations

import threading

import requests

from tests.sandbox.qbo.conftest import Connection, Sim


def test_rate_limit_per_realm_minute(sim: Sim) -> None:
    conn = sim.connect()
    sim.control("POST", "/config", json={"rate_limit_per_minute": 5})
    statuses = [conn.call("GET", "preferences").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    throttled = conn.call("GET", "preferences")
    fault = throttled.json()["Fault"]
    assert fault["type"] == "SERVICE" and fault["Error"][0]["code"] == "3001"
    assert fault["Error"][0]["Message"] == "message=ThrottleExceeded; errorCode=003001; statusCode=429"
    other = sim.connect()
    assert other.call("GET", "preferences").status_code == 200
    sim.control("POST", "/clock", json={"advance_seconds": 61})
    conn.tokens = sim.token(conn.app, {"grant_type": "refresh_token",
                                       "refresh_token": conn.tokens["refresh_token"]}).json()
    assert conn.call("GET", "preferences").status_code == 200


def test_default_limits_match_qbo(sim: Sim) -> None:
    config = sim.control("GET", "/config").json()
    assert config["rate_limit_per_minute"] == 500 and config["concurrency_limit"] == 10
    assert config["webhook_timeout_seconds"] == 3.0


def test_concurrency_limit(sim: Sim) -> None:
    conn = sim.connect()
    sim.control("POST", "/config", json={"concurrency_limit": 2})
    sim.control("POST", "/faults", json={"status": 0, "latency_ms": 300, "path_prefix": "/v3/"})
    results: list[int] = []

    def call() -> None:
        results.append(conn.call("GET", "preferences").status_code)

    threads = [threading.Thread(target=call) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 200, 429, 429, 429]


def test_injected_faults_and_clear(sim: Sim) -> None:
    conn = sim.connect()
    sim.control("POST", "/faults", json={"status": 503, "rate": 1.0, "latency_ms": 0, "path_prefix": "/v3/"})
    response = conn.call("GET", "preferences")
    assert response.status_code == 503 and response.json()["Fault"]["type"] == "SystemFault"
    sim.control("DELETE", "/faults")
    assert conn.call("GET", "preferences").status_code == 200


def test_stats_per_endpoint_and_realm(sim: Sim) -> None:
    conn = sim.connect()
    conn.call("GET", "preferences")
    conn.call("GET", "customer/1")
    stats = sim.control("GET", "/stats").json()
    assert stats["endpoints"]["GET /v3/company/<realm>/<entity>/<entity_id>"] == {conn.realm: 1}
    assert stats["endpoints"]["POST /oauth2/v1/tokens/bearer"]["-"] == 1


def test_control_listing_and_reset(sim: Sim) -> None:
    conn: Connection = sim.connect(country="CA", home_currency="CAD")
    apps = sim.control("GET", "/apps").json()["apps"]
    assert apps[0]["client_id"] == conn.app["client_id"] and apps[0]["webhook_format"] == "cloudevents"
    company = sim.control("GET", f"/companies/{conn.realm}").json()
    assert company["country"] == "CA" and company["home_currency"] == "CAD"
    assert sim.control("POST", "/config", json={"nope": 1}).status_code == 400
    assert sim.control("POST", "/reset").json() == {"reset": True}
    assert sim.control("GET", "/companies").json() == {"companies": []}


def test_unknown_resource(sim: Sim) -> None:
    conn = sim.connect()
    assert conn.call("GET", "Invoice/1").json()["Fault"]["Error"][0]["code"] == "500"
    assert requests.get(f"{sim.url}/nothing", timeout=5).status_code == 404


def _second_app_on(sim: Sim, realm: str) -> Connection:
    from tests.sandbox.qbo.conftest import REDIRECT_URI
    app = sim.new_app()
    code = sim.authorize(app, realm)["code"]
    tokens = sim.token(app, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI})
    assert tokens.status_code == 200, tokens.text
    return Connection(sim, app, realm, tokens.json())


def test_ten_requests_per_second_per_realm_and_app(sim: Sim) -> None:
    """api-facts Q9 [V]: 10 requests/s per realmId + app (production always, sandbox from 2025-09-15); excess ->
    429 fault 3001. Before: only 500/min and 10 in flight existed, so a client bursting 50 calls in a second
    passed here and was throttled in production."""
    from sandbox.qbo.state import SimConfig
    assert SimConfig().rate_limit_per_second == 10
    conn = sim.connect()
    sim.control("POST", "/config", json={"rate_limit_per_second": 10})
    statuses = [conn.call("GET", "preferences").status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    throttled = conn.call("GET", "preferences")
    assert throttled.status_code == 429 and throttled.json()["Fault"]["Error"][0]["code"] == "3001"
    assert throttled.json()["Fault"]["type"] == "SERVICE"
    # Per app: another app connected to the same company has its own 10/s.
    assert _second_app_on(sim, conn.realm).call("GET", "preferences").status_code == 200
    sim.control("POST", "/clock", json={"advance_seconds": 1})
    assert conn.call("GET", "preferences").status_code == 200


def test_batch_requests_per_minute_per_app_and_per_realm(sim: Sim) -> None:
    """api-facts Q5 and Q9 [V]: 40 batch requests/min per realm + app, and 120 batch requests/min per realm
    (sandbox from 2025-08-15, production from 2025-10-31); excess -> 429 fault 3001. Before: batch calls only
    counted towards the 500/min limit."""
    from sandbox.qbo.state import SimConfig
    defaults = SimConfig()
    assert (defaults.batch_limit_per_minute_app, defaults.batch_limit_per_minute) == (40, 120)
    conn = sim.connect()
    other = _second_app_on(sim, conn.realm)
    sim.control("POST", "/config", json={"batch_limit_per_minute_app": 2, "batch_limit_per_minute": 3})
    body = {"BatchItemRequest": [{"bId": "q1", "Query": "select * from Term"}]}
    assert [conn.call("POST", "batch", json=body).status_code for _ in range(3)] == [200, 200, 429]
    assert conn.call("GET", "preferences").status_code == 200  # other endpoints are not batch-limited
    assert other.call("POST", "batch", json=body).status_code == 200  # the realm's third batch call
    limited = other.call("POST", "batch", json=body)  # over the realm's 3 / min
    assert limited.status_code == 429 and limited.json()["Fault"]["Error"][0]["code"] == "3001"
    sim.control("POST", "/clock", json={"advance_seconds": 60})
    for connection in (conn, other):
        connection.tokens = sim.token(connection.app, {"grant_type": "refresh_token",
                                                       "refresh_token": connection.tokens["refresh_token"]}).json()
    assert conn.call("POST", "batch", json=body).status_code == 200


def test_a_lost_answer_is_carried_out_and_a_repeat_with_its_requestid_gets_the_original(sim: Sim) -> None:
    conn = sim.connect()
    sim.control("POST", "/faults", json={"status": 0, "lost_rate": 1.0, "methods": ["POST"], "path_prefix": "/v3/"})
    body = {"DisplayName": "Lost Answer Ltd"}
    lost = conn.call("POST", "customer", json=body, params={"requestid": "lost-1"})
    assert lost.status_code == 504 and lost.json()["Fault"]["type"] == "SystemFault"
    described = sim.control("GET", "/faults").json()["fault"]
    assert described["injected"]["lost"] == 1
    sim.control("DELETE", "/faults")
    again = conn.call("POST", "customer", json=body, params={"requestid": "lost-1"})
    assert again.status_code == 200 and again.json()["Customer"]["DisplayName"] == "Lost Answer Ltd"
    found = conn.call("GET", "query", params={"query": "SELECT * FROM Customer WHERE DisplayName = 'Lost Answer Ltd'"})
    assert len(found.json()["QueryResponse"]["Customer"]) == 1
