"""Create the template's AWS resources (tables, key, queues, secrets, schedules) in moto, from the template itself.

Works against moto server (a session whose clients point at AWS_ENDPOINT_URL) and inside in-process `mock_aws()`.
Resources are created in dependency order by retrying those whose properties do not resolve yet (a queue's
RedrivePolicy needs its dead-letter queue's ARN first), so no ordering is repeated here from the template.
"""

from __future__ import annotations

import json
import secrets as pysecrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import boto3

from sandbox.cfn_template import Resolver, function_environment, resources_of_type, serverless_functions

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
API_ID = "sandboxapi"
SCHEDULER_ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/hubbooks-sandbox-scheduler"

_TABLE_SHAPE_KEYS = ("AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes", "LocalSecondaryIndexes",
                     "BillingMode", "ProvisionedThroughput")
_QUEUE_ATTRIBUTES = ("DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds",
                     "VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy", "FifoQueue",
                     "ContentBasedDeduplication", "SqsManagedSseEnabled", "KmsMasterKeyId",
                     "KmsDataKeyReusePeriodSeconds", "DeduplicationScope", "FifoThroughputLimit")


class ClientSource(Protocol):
    """What provisioning needs from a boto3 session: `client(name)`; see `sandbox.aws.server.EndpointSession`."""

    def client(self, service_name: str) -> Any: ...


@dataclass(frozen=True)
class QueueInfo:
    logical_id: str
    name: str
    url: str
    arn: str
    attributes: dict[str, str]


@dataclass(frozen=True)
class ScheduleInfo:
    name: str  # the event's logical name in the template, e.g. SyncSchedule
    function: str  # the target function's logical id
    physical_name: str
    expression: str
    timezone: str
    state: str
    input: str | None


@dataclass
class ProvisionedStack:
    template: Mapping[str, Any]
    resolver: Resolver
    tables: dict[str, str] = field(default_factory=dict)  # logical id -> table name
    queues: dict[str, QueueInfo] = field(default_factory=dict)
    keys: dict[str, str] = field(default_factory=dict)  # logical id -> key id
    secrets: dict[str, str] = field(default_factory=dict)  # logical id -> secret arn
    schedules: dict[str, ScheduleInfo] = field(default_factory=dict)

    @property
    def api_id(self) -> str:
        return API_ID

    def queue_by_arn(self, arn: str) -> QueueInfo:
        for queue in self.queues.values():
            if queue.arn == arn:
                return queue
        raise KeyError(f"no provisioned queue has the ARN {arn}")

    def function_environment(self, logical_id: str) -> dict[str, str]:
        return function_environment(self.template, self.resolver, logical_id)

    def function_arn(self, logical_id: str) -> str:
        return f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:function:{logical_id}"


def provision(template: Mapping[str, Any], parameters: Mapping[str, str], *,
              session: ClientSource | None = None,
              secret_values: Mapping[str, str] | None = None) -> ProvisionedStack:
    """Create every supported resource of `template` through `session` and return their resolved identities.

    `parameters` override the template's defaults (the caller merges them); `secret_values` replaces the template's
    SecretString of the named secrets (logical id -> secret string).
    """
    session = session or boto3.Session(region_name=REGION)
    resolver = Resolver(parameters=dict(parameters), conditions=template.get("Conditions", {}))
    stack = ProvisionedStack(template=template, resolver=resolver)
    _register_serverless_refs(template, stack)
    creators: dict[str, Callable[[str, dict[str, Any]], None]] = {
        "AWS::DynamoDB::Table": lambda lid, res: _create_table(session, stack, lid, res),
        "AWS::KMS::Key": lambda lid, res: _create_key(session, stack, lid, res),
        "AWS::KMS::Alias": lambda lid, res: _create_alias(session, stack, lid, res),
        "AWS::SQS::Queue": lambda lid, res: _create_queue(session, stack, lid, res),
        "AWS::SecretsManager::Secret": lambda lid, res: _create_secret(session, stack, lid, res,
                                                                       dict(secret_values or {})),
    }
    pending = [(lid, res) for lid, res in template["Resources"].items() if res.get("Type") in creators]
    while pending:
        deferred = []
        for logical_id, resource in pending:
            try:
                creators[resource["Type"]](logical_id, resource)
            except _Unresolved:
                deferred.append((logical_id, resource))
        if len(deferred) == len(pending):
            names = ", ".join(lid for lid, _ in deferred)
            raise RuntimeError(f"cannot provision {names}: they reference values no resource provides")
        pending = deferred
    _create_schedules(session, stack)
    return stack


class _Unresolved(Exception):
    """A property references a resource that is not created yet."""


def _resolved(stack: ProvisionedStack, value: Any) -> Any:
    try:
        return stack.resolver.resolve(value)
    except KeyError as exc:
        raise _Unresolved(str(exc)) from exc


def _register_serverless_refs(template: Mapping[str, Any], stack: ProvisionedStack) -> None:
    # SAM resources have no moto counterpart; they still need the values `!Ref`/`!GetAtt` give in AWS.
    refs, attributes = stack.resolver.refs, stack.resolver.attributes
    for logical_id in resources_of_type(template, "AWS::Serverless::HttpApi"):
        refs[logical_id] = API_ID
        attributes[(logical_id, "ApiEndpoint")] = f"https://{API_ID}.execute-api.{REGION}.amazonaws.com"
    for logical_id in resources_of_type(template, "AWS::Serverless::LayerVersion"):
        refs[logical_id] = f"arn:aws:lambda:{REGION}:{ACCOUNT_ID}:layer:{logical_id}:1"
    for logical_id in serverless_functions(template):
        refs[logical_id] = logical_id
        attributes[(logical_id, "Arn")] = stack.function_arn(logical_id)


def _create_table(session: ClientSource, stack: ProvisionedStack, logical_id: str, resource: dict[str, Any]) -> None:
    props = _resolved(stack, resource.get("Properties", {}))
    name = props.get("TableName") or logical_id
    shape = {key: props[key] for key in _TABLE_SHAPE_KEYS if key in props}
    shape.setdefault("BillingMode", "PAY_PER_REQUEST")
    client = session.client("dynamodb")
    client.create_table(TableName=name, **shape)
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        client.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "AttributeName": ttl["AttributeName"], "Enabled": True})
    pitr = props.get("PointInTimeRecoverySpecification") or {}
    if pitr.get("PointInTimeRecoveryEnabled") is True:
        client.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
    arn = client.describe_table(TableName=name)["Table"]["TableArn"]
    stack.tables[logical_id] = name
    stack.resolver.refs[logical_id] = name
    stack.resolver.attributes[(logical_id, "Arn")] = arn


def _create_key(session: ClientSource, stack: ProvisionedStack, logical_id: str, resource: dict[str, Any]) -> None:
    props = _resolved(stack, resource.get("Properties", {}))
    client = session.client("kms")
    args: dict[str, Any] = {key: props[key] for key in ("Description", "KeySpec", "KeyUsage") if key in props}
    if "KeyPolicy" in props:
        policy = props["KeyPolicy"]
        args["Policy"] = policy if isinstance(policy, str) else json.dumps(policy)
    metadata = client.create_key(**args)["KeyMetadata"]
    if props.get("EnableKeyRotation") is True:
        client.enable_key_rotation(KeyId=metadata["KeyId"])
    stack.keys[logical_id] = metadata["KeyId"]
    stack.resolver.refs[logical_id] = metadata["KeyId"]
    stack.resolver.attributes[(logical_id, "Arn")] = metadata["Arn"]
    stack.resolver.attributes[(logical_id, "KeyId")] = metadata["KeyId"]


def _create_alias(session: ClientSource, stack: ProvisionedStack, logical_id: str, resource: dict[str, Any]) -> None:
    props = _resolved(stack, resource.get("Properties", {}))
    session.client("kms").create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
    stack.resolver.refs[logical_id] = props["AliasName"]


def _queue_attribute(value: Any) -> str:
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _create_queue(session: ClientSource, stack: ProvisionedStack, logical_id: str, resource: dict[str, Any]) -> None:
    props = _resolved(stack, resource.get("Properties", {}))
    fifo = props.get("FifoQueue") in (True, "true")
    name = props.get("QueueName") or (f"{logical_id}.fifo" if fifo else logical_id)
    attributes = {key: _queue_attribute(props[key]) for key in _QUEUE_ATTRIBUTES if key in props}
    client = session.client("sqs")
    url = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    arn = client.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    stack.queues[logical_id] = QueueInfo(logical_id=logical_id, name=name, url=url, arn=arn, attributes=attributes)
    stack.resolver.refs[logical_id] = url
    stack.resolver.attributes.update({(logical_id, "Arn"): arn, (logical_id, "QueueName"): name,
                                      (logical_id, "QueueUrl"): url})


def _generated_secret(spec: Mapping[str, Any]) -> str:
    length = int(spec.get("PasswordLength", 32))
    value = pysecrets.token_urlsafe(length)[:length]
    if "SecretStringTemplate" in spec and "GenerateStringKey" in spec:
        document = json.loads(spec["SecretStringTemplate"])
        document[spec["GenerateStringKey"]] = value
        return json.dumps(document)
    return value


def _create_secret(session: ClientSource, stack: ProvisionedStack, logical_id: str, resource: dict[str, Any],
                   secret_values: dict[str, str]) -> None:
    props = _resolved(stack, resource.get("Properties", {}))
    name = props.get("Name") or logical_id
    if logical_id in secret_values:
        value = secret_values[logical_id]
    elif "SecretString" in props:
        value = props["SecretString"]
    else:
        value = _generated_secret(props.get("GenerateSecretString", {}))
    args: dict[str, Any] = {"Name": name, "SecretString": value}
    if props.get("Description"):
        args["Description"] = props["Description"]
    arn = session.client("secretsmanager").create_secret(**args)["ARN"]
    stack.secrets[logical_id] = arn
    stack.resolver.refs[logical_id] = arn
    stack.resolver.attributes[(logical_id, "Id")] = arn


def schedule_events(template: Mapping[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every ScheduleV2 event of every function: event name -> (function logical id, unresolved properties)."""
    found: dict[str, tuple[str, dict[str, Any]]] = {}
    for function_id, resource in serverless_functions(template).items():
        for event_name, event in resource.get("Properties", {}).get("Events", {}).items():
            if event.get("Type") == "ScheduleV2":
                found[event_name] = (function_id, event.get("Properties", {}))
    return found


def _create_schedules(session: ClientSource, stack: ProvisionedStack) -> None:
    client = session.client("scheduler")
    for event_name, (function_id, raw) in schedule_events(stack.template).items():
        props = stack.resolver.resolve(raw)
        # OmitName lets CloudFormation generate a unique name; a stack-prefixed one plays that part here.
        physical_name = props.get("Name") or f"{stack.resolver.pseudo['AWS::StackName']}-{function_id}{event_name}"[:64]
        state = str(props.get("State", "ENABLED"))
        timezone = str(props.get("ScheduleExpressionTimezone", "UTC"))
        target: dict[str, Any] = {"Arn": stack.function_arn(function_id), "RoleArn": SCHEDULER_ROLE_ARN}
        for key in ("Input", "RetryPolicy", "DeadLetterConfig"):
            if key in props:
                target[key] = props[key]
        client.create_schedule(
            Name=physical_name, ScheduleExpression=props["ScheduleExpression"],
            ScheduleExpressionTimezone=timezone, State=state, Description=props.get("Description", ""),
            FlexibleTimeWindow=props.get("FlexibleTimeWindow", {"Mode": "OFF"}), Target=target)
        stack.schedules[event_name] = ScheduleInfo(
            name=event_name, function=function_id, physical_name=physical_name,
            expression=props["ScheduleExpression"], timezone=timezone, state=state, input=props.get("Input"))
