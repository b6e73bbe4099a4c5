"""The reusable spec-file contract checker on its own, and the simulator's violation log."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sandbox.hubspot.openapi_contract import OpenApiContract, default_specs_dir, shared_contract
from tests.hubspot_specs import requires_hubspot_specs
from tests.sandbox.hubspot.conftest import Seeded

AUTH = {"Authorization": "Bearer x"}


@pytest.fixture(scope="module")
def contract() -> OpenApiContract:
    return shared_contract()


def test_specs_dir_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HUBBOOKS_SPECS_DIR", str(tmp_path))
    assert default_specs_dir() == tmp_path
    monkeypatch.delenv("HUBBOOKS_SPECS_DIR")
    assert default_specs_dir() == Path(__file__).resolve().parents[3] / "specs" / "hubspot"  # inside the repository


@requires_hubspot_specs
def test_most_literal_template_wins(contract: OpenApiContract) -> None:
    found = contract.match("POST", "/crm/v3/objects/contacts/search")
    assert found is not None and found[0].template == "/crm/v3/objects/contacts/search"
    specific = contract.match("GET", "/crm/objects/2026-03/quotes/12")
    assert specific is not None and specific[1] == {"quoteId": "12"}
    generic = contract.match("GET", "/crm/objects/2026-03/widgets/12")
    assert generic is not None and generic[1] == {"objectType": "widgets", "objectId": "12"}
    assert contract.match("GET", "/not/a/hubspot/path") is None


@requires_hubspot_specs
def test_request_violations(contract: OpenApiContract) -> None:
    found = contract.validate_request("POST", "/crm/objects/2026-03/deals", {}, AUTH,
                                      b'{"properties":{"amount":5}}', "application/json")
    messages = " | ".join(v.message for v in found)
    assert "'associations' is a required property" in messages and "is not of type 'string'" in messages
    assert contract.validate_request("POST", "/crm/objects/2026-03/deals", {}, AUTH,
                                     b'{"properties":{"amount":"5"},"associations":[]}', "application/json") == []
    form = contract.validate_request("POST", "/oauth/2026-03/token", {}, {}, b"grant_type=password",
                                     "application/x-www-form-urlencoded")
    assert form and "grant_type" in form[0].message
    params = contract.validate_request("GET", "/crm/v4/objects/deals/abc/associations/contacts", "limit=x", AUTH,
                                       b"", None)
    assert {v.message.split(":")[0] for v in params} == {"path parameter 'objectId'", "query parameter 'limit'"}
    anonymous = contract.validate_request("GET", "/crm/v3/objects/deals", {}, {}, b"", None)
    assert anonymous and "credentials" in anonymous[0].message


@requires_hubspot_specs
def test_response_violations(contract: OpenApiContract) -> None:
    good = {"id": "1", "properties": {}, "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z",
            "archived": False}
    assert contract.validate_response("POST", "/crm/v3/objects/deals", 201, "application/json",
                                      json.dumps(good).encode()) == []
    bad = contract.validate_response("POST", "/crm/v3/objects/deals", 201, "application/json",
                                     json.dumps({**good, "updatedAt": "yesterday"}).encode())
    assert bad and "date-time" in bad[0].message
    error = contract.validate_response("GET", "/crm/v3/objects/deals", 404, "application/json",
                                       b'{"message":"x","category":"OBJECT_NOT_FOUND","correlationId":"no"}')
    assert error and "uuid" in error[0].message
    assert contract.validate_response("DELETE", "/crm/v3/objects/deals/1", 204, None, b"") == []


def test_simulator_logs_and_clears_violations(seeded: Seeded) -> None:
    """Runs with either checker: the spec files where present, else hubspot-api-client's models."""
    seeded.api("POST", "/crm/v3/objects/deals", json={"properties": {"dealname": 5}})
    log = seeded.sim.control("GET", "openapi-violations").json()
    assert log["enabled"] is True and log["count"] >= 1
    flagged = [v for v in log["violations"] if "dealname" in v["message"]]
    assert flagged and flagged[0]["kind"] == "request" and "is not of type 'str" in flagged[0]["message"]
    assert seeded.sim.control("DELETE", "openapi-violations").status_code == 204
    assert seeded.sim.control("GET", "openapi-violations").json()["count"] == 0
