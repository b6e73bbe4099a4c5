"""The contract check that needs nothing beside the repository: hubspot-api-client's generated models."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from sandbox.hubspot import create_app
from sandbox.hubspot.model_contract import (
    ASSOCIATION_TYPE_IDS_2026_03,
    CHECKED_VERSIONS,
    NEWER_THAN_CLIENT,
    V4_INTEGER_IDS,
    ModelContract,
    shared_model_contract,
)
from tests.hubspot_specs import requires_hubspot_specs

AUTH = {"Authorization": "Bearer x"}
JSON = "application/json"
RECORD = {"id": "1", "properties": {"dealname": "D"}, "createdAt": "2026-01-01T00:00:00Z",
          "updatedAt": "2026-01-01T00:00:00.120Z", "archived": False, "url": "https://app.hubspot.com/x"}


@pytest.fixture(scope="module")
def contract() -> ModelContract:
    return shared_model_contract()


def _request(contract: ModelContract, method: str, path: str, body: Any, headers: dict[str, str] = AUTH) -> list[str]:
    raw = json.dumps(body).encode() if body is not None else b""
    return [v.message for v in contract.validate_request(method, path, "", headers, raw, JSON)]


def _response(contract: ModelContract, method: str, path: str, status: int, body: Any) -> list[str]:
    raw = json.dumps(body).encode() if body is not None else b""
    return [v.message for v in contract.validate_response(method, path, status, JSON, raw)]


def test_every_crm_route_the_simulator_serves_is_mapped(contract: ModelContract) -> None:
    simulator = create_app(webhook_worker=False)
    try:
        routes = [r for r in simulator.routes
                  if r.path.startswith("/crm/") and (r.defaults or {}).get("version") in CHECKED_VERSIONS]
    finally:
        simulator.close()
    assert len(routes) > 60  # objects, batches, search, associations and properties, in v3/v4 and 2026-03
    for route in routes:
        concrete = re.sub(r"<(\w+)>", lambda m: "deals" if m.group(1).endswith("type") else "12", route.path)
        for method in route.methods:
            found = contract.match(method, concrete)
            assert found is not None, f"{method} {route.path} has no model mapping"


def test_the_most_literal_template_wins(contract: ModelContract) -> None:
    search = contract.match("POST", "/crm/objects/2026-03/deals/search")
    assert search is not None and search.request is not None and search.request.name == "PublicObjectSearchRequest"
    default = contract.match("PUT", "/crm/objects/2026-03/deals/1/associations/default/companies/2")
    assert default is not None and "default" in default.template
    assert contract.match("GET", "/account-info/2026-03/details") is None  # the client has no model for it


def test_well_formed_requests_pass(contract: ModelContract) -> None:
    assert _request(contract, "POST", "/crm/objects/2026-03/contacts/batch/upsert", {"inputs": [
        {"id": "a@example.com", "idProperty": "email", "properties": {"firstname": "A"}}]}) == []
    assert _request(contract, "POST", "/crm/v3/objects/deals", {"properties": {"dealname": "D"}, "associations": [
        {"to": {"id": "5"}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 5}]}]}) == []
    assert _request(contract, "POST", "/crm/objects/2026-03/deals/search", {
        "filterGroups": [{"filters": [{"propertyName": "amount", "operator": "GT", "value": "5"}]}],
        "sorts": ["-amount"], "properties": ["dealname"], "limit": 10, "after": "0"}) == []
    assert _request(contract, "POST", "/crm/associations/2026-03/deals/companies/batch/associate/default",
                    {"inputs": [{"from": {"id": "1"}, "to": {"id": "2"}}]}) == []
    assert _request(contract, "POST", "/crm/properties/2026-03/deals", {
        "name": "hubbooks_status", "label": "Status", "type": "enumeration", "fieldType": "select",
        "groupName": "hubbooks", "options": [{"label": "Paid", "value": "paid", "hidden": False}]}) == []


def test_a_malformed_request_body_is_caught(contract: ModelContract) -> None:
    upsert = _request(contract, "POST", "/crm/objects/2026-03/contacts/batch/upsert", {"inputs": [
        {"idProperty": "email", "properties": {"age": 5}, "idProprety": "typo"}]})
    assert "body inputs/0: 'idProprety' is not a field of SimplePublicObjectBatchInputUpsert" in upsert
    assert "body inputs/0/properties/age: 5 is not of type 'str'" in upsert
    assert any("`id`, must not be `None`" in m for m in upsert)  # the model's own required-field check

    wrong_enum = _request(contract, "POST", "/crm/objects/2026-03/deals", {"properties": {}, "associations": [
        {"to": {"id": "5"}, "types": [{"associationCategory": "HUBSPOT", "associationTypeId": 5}]}]})
    assert len(wrong_enum) == 1 and "`associationCategory` (HUBSPOT), must be one of" in wrong_enum[0]

    search = _request(contract, "POST", "/crm/v3/objects/deals/search", {"limit": "5", "sorts": [{"x": 1}]})
    assert {m.split(":")[0] for m in search} == {"body limit", "body sorts/0"}

    property_type = _request(contract, "POST", "/crm/properties/2026-03/deals",
                             {"name": "x", "label": "X", "type": "money", "fieldType": "text", "groupName": "g"})
    assert len(property_type) == 1 and "`type` (money), must be one of" in property_type[0]

    assert _request(contract, "POST", "/crm/v3/objects/deals/batch/read", None) == [
        "a BatchReadInputSimplePublicObjectId body is required"]
    assert "credentials" in _request(contract, "GET", "/crm/v3/objects/deals", None, headers={})[0]
    assert _request(contract, "GET", "/crm/v3/objects/deals/1", {"unexpected": True}) == [
        "this operation takes no request body"]


def test_well_formed_answers_pass(contract: ModelContract) -> None:
    assert _response(contract, "POST", "/crm/objects/2026-03/deals", 201, RECORD) == []
    batch = {"status": "COMPLETE", "results": [RECORD], "startedAt": "2026-01-01T00:00:00Z",
             "completedAt": "2026-01-01T00:00:01Z"}
    assert _response(contract, "POST", "/crm/objects/2026-03/deals/batch/create", 201, batch) == []
    error = {"status": "error", "message": "Not found", "correlationId": "c0ffee", "category": "OBJECT_NOT_FOUND"}
    assert _response(contract, "GET", "/crm/v3/objects/deals/1", 404, error) == []
    assert _response(contract, "DELETE", "/crm/v3/objects/deals/1", 204, None) == []


def test_a_malformed_answer_is_caught(contract: ModelContract) -> None:
    record = {**RECORD, "createdAt": "yesterday", "archived": "no", "colour": "red"}
    del record["id"]
    found = _response(contract, "POST", "/crm/objects/2026-03/deals", 201, record)
    assert "body (root): 'colour' is not a field of SimplePublicObject" in found
    assert 'body createdAt: "yesterday" is not a datetime' in found
    assert "body archived: \"no\" is not of type 'bool'" in found
    assert any("`id`, must not be `None`" in m for m in found)

    batch = {"status": "DONE", "results": [RECORD], "startedAt": "2026-01-01T00:00:00Z",
             "completedAt": "2026-01-01T00:00:01Z"}
    assert "`status` (DONE), must be one of" in _response(
        contract, "POST", "/crm/objects/2026-03/deals/batch/create", 201, batch)[0]
    assert "`message`, must not be `None`" in _response(
        contract, "GET", "/crm/v3/objects/deals/1", 404, {"correlationId": "c", "category": "OBJECT_NOT_FOUND"})[0]
    assert _response(contract, "POST", "/crm/v3/objects/deals", 200, RECORD) == [
        "status 200 is not one this operation answers ([201])"]
    assert _response(contract, "DELETE", "/crm/v3/objects/deals/1", 204, {}) == [
        "status 204 documents no body but one was sent"]
    assert _response(contract, "GET", "/crm/v3/objects/deals/1", 200, None) == [
        "a SimplePublicObjectWithAssociations body is required"]


def test_association_ids_are_integers_in_v4_and_strings_in_2026_03(contract: ModelContract) -> None:
    pair = {"fromObjectTypeId": "0-3", "fromObjectId": 1, "toObjectTypeId": "0-2", "toObjectId": 2,
            "labels": ["Primary"]}
    assert _response(contract, "PUT", "/crm/v4/objects/deals/1/associations/companies/2", 201, pair) == []
    dated = _response(contract, "PUT", "/crm/objects/2026-03/deals/1/associations/companies/2", 201, pair)
    assert dated == ["body fromObjectId: 1 is not of type 'str'", "body toObjectId: 2 is not of type 'str'"]
    label = {"category": "HUBSPOT_DEFINED", "typeId": 5, "label": "Primary"}
    listed = {"results": [{"toObjectId": "2", "associationTypes": [
        {**label, "fromObjectTypeId": "0-3", "toObjectTypeId": "0-2"}]}]}
    assert _response(contract, "GET", "/crm/objects/2026-03/deals/1/associations/companies", 200, listed) == []
    v4_listed = _response(contract, "GET", "/crm/v4/objects/deals/1/associations/companies", 200, listed)
    assert "body results/0/toObjectId: \"2\" is not of type 'int'" in v4_listed
    assert any("'fromObjectTypeId' is not a field of AssociationSpecWithLabel" in m for m in v4_listed)


def test_the_simulator_checks_with_the_models_when_it_has_no_spec_files(tmp_path: Any) -> None:
    app = create_app(validate_openapi=True, specs_dir=str(tmp_path), webhook_worker=False)
    try:
        assert app.contract is shared_model_contract()
    finally:
        app.close()


@requires_hubspot_specs
def test_fields_added_to_the_models_are_documented_by_hubspot() -> None:
    """Every field the checker adds to the client's models is in HubSpot's OpenAPI files (where a developer has
    them), under the schema of the same name, with the type given."""
    from sandbox.hubspot.openapi_contract import shared_spec_contract

    schemas: dict[str, list[dict[str, Any]]] = {}
    for spec in shared_spec_contract().specs.values():
        for name, schema in spec.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(name, []).append(schema)
    json_types = {"str": "string", "int": "integer", "bool": "boolean"}
    for table in (NEWER_THAN_CLIENT, V4_INTEGER_IDS, ASSOCIATION_TYPE_IDS_2026_03):
        for model, fields in table.items():
            if model == "Error":
                continue  # "status": "error" is in HubSpot's answers, not in its OpenAPI files
            documented = schemas[model.removeprefix("Model")]
            for field, kind in fields.items():
                found = [s["properties"][field] for s in documented if field in s.get("properties", {})]
                assert found, f"{model}.{field} is in none of HubSpot's {model} schemas"
                if kind in json_types:
                    assert any(f.get("type") == json_types[kind] for f in found), f"{model}.{field}: {found}"
