"""Provisioning creates what template.yaml declares, read back from (in-process) moto."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from sandbox.aws.provision import ProvisionedStack, provision, schedule_events
from sandbox.cfn_template import load_template, parameter_defaults, resources_of_type

TEMPLATE = load_template()


@pytest.fixture
def provisioned() -> Iterator[tuple[ProvisionedStack, boto3.Session]]:
    with mock_aws():
        session = boto3.Session(region_name="us-east-1")
        parameters = {**parameter_defaults(TEMPLATE), "PublicBaseUrl": "http://127.0.0.1:3000"}
        stack = provision(TEMPLATE, parameters, session=session,
                          secret_values={"HubSpotAppSecret": '{"client_secret": "s3cret"}'})
        yield stack, session


def _sorted(items: list[dict[str, Any]], key: str) -> list[dict[str, Any]]:
    return sorted(items, key=lambda item: item[key])


def test_tables_match_the_template(provisioned: tuple[ProvisionedStack, boto3.Session]) -> None:
    stack, session = provisioned
    ddb = session.client("dynamodb")
    declared = resources_of_type(TEMPLATE, "AWS::DynamoDB::Table")
    assert set(stack.tables) == set(declared)
    for logical_id, resource in declared.items():
        props = resource["Properties"]
        table = ddb.describe_table(TableName=logical_id)["Table"]
        assert table["KeySchema"] == props["KeySchema"]
        assert _sorted(table["AttributeDefinitions"], "AttributeName") == _sorted(
            props["AttributeDefinitions"], "AttributeName")
        indexes = {index["IndexName"]: index["KeySchema"] for index in table.get("GlobalSecondaryIndexes", [])}
        assert indexes == {index["IndexName"]: index["KeySchema"] for index in props.get("GlobalSecondaryIndexes", [])}
        ttl = ddb.describe_time_to_live(TableName=logical_id)["TimeToLiveDescription"]
        assert ttl == {"TimeToLiveStatus": "ENABLED",
                       "AttributeName": props["TimeToLiveSpecification"]["AttributeName"]}


def test_queues_have_the_template_attributes(provisioned: tuple[ProvisionedStack, boto3.Session]) -> None:
    stack, session = provisioned
    sqs = session.client("sqs")
    assert set(stack.queues) == set(resources_of_type(TEMPLATE, "AWS::SQS::Queue"))
    attributes = sqs.get_queue_attributes(QueueUrl=stack.queues["SyncQueue"].url, AttributeNames=["All"])["Attributes"]
    assert attributes["VisibilityTimeout"] == "600"
    assert json.loads(attributes["RedrivePolicy"]) == {"deadLetterTargetArn": stack.queues["SyncDeadLetterQueue"].arn,
                                                       "maxReceiveCount": 3}
    assert stack.resolver.attributes[("SyncQueue", "QueueName")] == "SyncQueue"


def test_key_alias_and_secrets(provisioned: tuple[ProvisionedStack, boto3.Session]) -> None:
    stack, session = provisioned
    kms = session.client("kms")
    key_id = stack.keys["TokenKey"]
    assert kms.get_key_rotation_status(KeyId=key_id)["KeyRotationEnabled"] is True
    aliases = {alias["AliasName"]: alias.get("TargetKeyId") for alias in kms.list_aliases()["Aliases"]}
    assert aliases["alias/hubbooks-dev-tokens"] == key_id
    secrets = session.client("secretsmanager")
    supplied = secrets.get_secret_value(SecretId=stack.secrets["HubSpotAppSecret"])["SecretString"]
    from_template = secrets.get_secret_value(SecretId=stack.secrets["QboAppSecret"])["SecretString"]
    assert json.loads(supplied) == {"client_secret": "s3cret"}
    assert json.loads(from_template) == {"client_secret": "", "webhook_verifier_token": ""}


def test_schedules_are_created_for_every_schedule_v2_event(provisioned: tuple[ProvisionedStack,
                                                                              boto3.Session]) -> None:
    stack, session = provisioned
    scheduler = session.client("scheduler")
    assert set(stack.schedules) == set(schedule_events(TEMPLATE)) == {"SyncSchedule", "OverdueCheckSchedule",
                                                                      "ReconcileSchedule", "ProfileRefreshSchedule"}
    overdue = scheduler.get_schedule(Name=stack.schedules["OverdueCheckSchedule"].physical_name)
    assert overdue["ScheduleExpression"] == "cron(0 7 * * ? *)"
    assert overdue["ScheduleExpressionTimezone"] == "America/New_York"
    assert overdue["Target"]["Arn"].endswith(":function:SyncSchedulerFunction")
    assert json.loads(overdue["Target"]["Input"]) == {"job": "overdue_check"}


def test_function_environment_merges_globals_with_the_function(provisioned: tuple[ProvisionedStack,
                                                                                   boto3.Session]) -> None:
    stack, _ = provisioned
    env = stack.function_environment("SyncSchedulerFunction")
    assert env["APP_TABLE_NAME"] == "AppTable" and env["TOKEN_KEY_ID"] == stack.keys["TokenKey"]
    assert env["SYNC_QUEUE_URL"] == stack.queues["SyncQueue"].url
    assert env["HUBSPOT_APP_SECRET_ARN"] == stack.secrets["HubSpotAppSecret"]
    assert env["PUBLIC_BASE_URL"] == "http://127.0.0.1:3000"
    assert "SYNC_QUEUE_URL" not in stack.function_environment("OAuthFunction")
    assert all(isinstance(value, str) for value in env.values())
