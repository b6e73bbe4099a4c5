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
