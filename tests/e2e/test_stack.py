"""The whole stack (template.yaml with both simulators), as other end-to-end tests will use it."""

from __future__ import annotations

import pytest

from sandbox.cfn_template import load_template, resources_of_type, serverless_functions
from sandbox.stack import StackProcess, http_json

pytestmark = pytest.mark.e2e


def test_stack_is_healthy_and_described(stack: StackProcess) -> None:
    health = stack.health()
    assert health["status"] == "ok"
    assert health["dependencies"] == {"aws": "ok", "qbo": "ok", "hubspot": "ok"}
    assert set(health["functions"]) == set(serverless_functions(load_template()))
    description = stack.describe()
    assert description["gateway_url"] == stack.gateway_url
    assert stack.hubspot_app["app_id"] and stack.hubspot_app["client_id"]
    assert stack.qbo_app["client_id"]
    assert "client_secret" not in str(description)
    parameters = description["parameters"]
    assert parameters["PublicBaseUrl"] == stack.gateway_url and parameters["SchedulesState"] == "ENABLED"
    assert parameters["QboTokenUrl"] == f"{stack.qbo_url}/oauth2/v1/tokens/bearer"
    assert parameters["HubSpotAppId"] == str(stack.hubspot_app["app_id"])


def test_app_secrets_hold_the_registered_credentials(stack: StackProcess) -> None:
    assert stack.secret("HubSpotAppSecret")["client_secret"]
    qbo = stack.secret("QboAppSecret")
    assert qbo["client_secret"] and qbo["webhook_verifier_token"]


def test_resources_match_the_template(stack: StackProcess) -> None:
    template = load_template()
    resources = stack.describe()["resources"]
    assert set(resources["tables"]) == set(resources_of_type(template, "AWS::DynamoDB::Table"))
    assert set(resources["queues"]) == set(resources_of_type(template, "AWS::SQS::Queue"))
    assert set(resources["secrets"]) == set(resources_of_type(template, "AWS::SecretsManager::Secret"))
    assert set(resources["schedules"]) == {"SyncSchedule", "OverdueCheckSchedule", "ReconcileSchedule",
                                          "ProfileRefreshSchedule"}
    tables = stack.aws_session().client("dynamodb").list_tables()["TableNames"]
    assert sorted(tables) == sorted(resources["tables"].values())


def test_every_template_route_is_served(stack: StackProcess) -> None:
    routes = {(route["method"], route["path"]) for route in stack.routes()}
    assert ("GET", "/app/context") in routes and ("POST", "/webhooks/qbo") in routes
    status, body = http_json("GET", f"{stack.gateway_url}/app/context")
    assert status == 401, body  # the lead's handler refuses unsigned requests


def test_sync_schedule_fans_out_and_drains(stack: StackProcess) -> None:
    fired = stack.fire_schedule("SyncSchedule")
    assert fired["function"] == "SyncSchedulerFunction" and fired["payload"] == {"job": "sync"}
    assert fired["status"] == "ok", fired["error"]
    assert stack.drain_queues(timeout=30)["drained"]
