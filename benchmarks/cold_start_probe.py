"""One cold start in a fresh interpreter, run by benchmarks/cold_start.py: never imported by anything else.

    python cold_start_probe.py discover <handler module> <first event kind>
    python cold_start_probe.py handler <handler module> <first event kind>
    python cold_start_probe.py libraries <module list file> <first event kind>

`discover` prints the modules that are not HubBooks' own (the libraries it needs, stdlib included) that a handler's
import loads, then those its first invocation loads, each in load order. `handler` imports the handler and invokes it
once; `libraries` imports exactly the first list, then, as its first invocation starts, the second, and does the same
first invocation with the libraries alone: the same Powertools logger and metrics decorators around
a Powertools resolver with one route, the scheduler's DynamoDB query, or a batch processor given the worker's
typical message and making the same AWS calls for it. Prints one JSON line of seconds, wall clock and this process's
CPU time, and of minor page faults: {"import": ..., "first": ..., "import_cpu": ..., "first_cpu": ...,
"import_faults": ..., "first_faults": ...}.

The workers' first message is a typical one, as the receiver or the scheduler queues it, about a company no portal
has connected (the realm id of no provisioned connection): the webhook worker records it idempotently, builds its
change engine and looks the company's portals up; the sync worker reads the connection and records the job's run.
A connected company would go on to call QuickBooks and HubSpot, which a libraries-only function must call just the
same and which the benchmark cannot reach; everything before those calls is measured on both sides.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

ROUTE = "/health"
UNCONNECTED_PORTAL, UNCONNECTED_REALM = 1, "9130000000000001"


class Context:
    function_name = "ColdStartProbe"
    memory_limit_in_mb = 512
    invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:ColdStartProbe"
    aws_request_id = "cold-start-probe"

    @staticmethod
    def get_remaining_time_in_millis() -> int:
        return 25_000


def first_event(kind: str) -> dict[str, Any]:
    if kind in ("http", "http-raw"):
        return {"version": "2.0", "routeKey": "$default", "rawPath": ROUTE, "rawQueryString": "", "headers": {},
                "requestContext": {"http": {"method": "GET", "path": ROUTE, "protocol": "HTTP/1.1",
                                            "sourceIp": "127.0.0.1", "userAgent": "probe"},
                                   "domainName": "api.example.com", "requestId": "probe", "stage": "$default",
                                   "timeEpoch": int(time.time() * 1000)},
                "isBase64Encoded": False}
    if kind == "sqs-webhook":  # one QuickBooks change, as the receiver queues a delivery (a fresh id: not a replay)
        batch_id = uuid.uuid4().hex
        return _sqs_event({"source": "qbo_batch", "batch_id": batch_id, "realm_id": UNCONNECTED_REALM, "changes": [
            {"source": "qbo", "event_id": batch_id, "realm_id": UNCONNECTED_REALM, "entity": "Invoice",
             "entity_id": "130", "operation": "Update", "occurred_at": datetime.now(UTC).isoformat()}]})
    if kind == "sqs-job":  # the hourly overdue check for one company, as the scheduler fans it out
        return _sqs_event({"job": "overdue_check", "portal_id": UNCONNECTED_PORTAL, "realm_id": UNCONNECTED_REALM,
                           "scheduled_at": datetime.now(UTC).isoformat()})
    if kind == "schedule":
        return {"job": "overdue_check"}
    raise SystemExit(f"unknown event kind {kind}")


def _sqs_event(body: dict[str, Any]) -> dict[str, Any]:
    return {"Records": [{"messageId": "probe-1", "receiptHandle": "r", "body": json.dumps(body), "attributes": {},
                         "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                         "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:probe", "awsRegion": "us-east-1"}]}


def _own_module(module: Any, own_roots: tuple[str, ...]) -> bool:
    path = getattr(module, "__file__", None) or ""
    return bool(path) and path.startswith(own_roots)


def discover(handler_module: str, kind: str) -> None:
    own_roots = tuple(os.environ["PROBE_OWN_ROOTS"].split(os.pathsep))

    def libraries_loaded_since(before: set[str]) -> list[str]:
        return [name for name, module in list(sys.modules.items())
                if name not in before and not _own_module(module, own_roots)]

    before = set(sys.modules)
    handler = importlib.import_module(handler_module).lambda_handler
    at_import = libraries_loaded_since(before)
    before = set(sys.modules)
    handler(first_event(kind), Context())
    print(json.dumps({"import": at_import, "first": libraries_loaded_since(before)}))


def _import_all(names: list[str]) -> None:
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: S112 - aliases some packages register under other names
            continue


def _client_config() -> Any:
    from botocore.config import Config

    return Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 4, "mode": "standard"})


def _webhook_record_handler() -> Any:
    """The webhook worker's work for a change batch, libraries only: validate it, record it idempotently on its
    batch id (Powertools idempotency on DynamoDB), look up the portals connected to its company (gsi2)."""
    from typing import Annotated, Literal

    import boto3
    from aws_lambda_powertools.utilities.idempotency import (
        DynamoDBPersistenceLayer,
        IdempotencyConfig,
        idempotent_function,
    )
    from boto3.dynamodb.conditions import Key
    from pydantic import BaseModel, Field, TypeAdapter

    class Change(BaseModel):
        source: Literal["qbo"] = "qbo"
        event_id: str
        realm_id: str
        entity: str
        entity_id: str
        operation: str
        occurred_at: datetime | None = None
        deleted_id: str | None = None

    class ChangeBatch(BaseModel):
        source: Literal["qbo_batch"] = "qbo_batch"
        batch_id: str
        realm_id: str
        changes: tuple[Change, ...]

    messages: list[Any] = []

    def apply(*, batch: dict[str, Any]) -> dict[str, Any]:
        table = boto3.resource("dynamodb", config=_client_config()).Table(os.environ["APP_TABLE_NAME"])
        found = table.query(IndexName="gsi2", KeyConditionExpression=Key("gsi2pk").eq(f"REALM#{batch['realm_id']}"))
        return {"portals": [int(item["portal_id"]) for item in found["Items"] if item.get("status") == "connected"]}

    idempotent: list[Any] = []

    def handle_record(record: Any) -> None:
        if not messages:
            messages.append(TypeAdapter(Annotated[Change | ChangeBatch, Field(discriminator="source")]))
            persistence = DynamoDBPersistenceLayer(table_name=os.environ["IDEMPOTENCY_TABLE_NAME"],
                                                   boto3_client=boto3.client("dynamodb", config=_client_config()))
            config = IdempotencyConfig(event_key_jmespath="[source, batch_id]", raise_on_no_idempotency_key=True,
                                       expires_after_seconds=24 * 3600)
            idempotent.append(idempotent_function(data_keyword_argument="batch", persistence_store=persistence,
                                                  config=config)(apply))
        message = messages[0].validate_json(record.body)
        idempotent[0](batch=message.model_dump(mode="json"))

    return handle_record


def _job_record_handler() -> Any:
    """The sync worker's work for a scheduled job, libraries only: validate it, read the company's connection,
    record the job's run."""
    import boto3
    from pydantic import BaseModel

    class Job(BaseModel):
        job: str
        portal_id: int
        realm_id: str
        scheduled_at: datetime

    def handle_record(record: Any) -> None:
        message = Job.model_validate_json(record.body)
        table = boto3.resource("dynamodb", config=_client_config()).Table(os.environ["APP_TABLE_NAME"])
        connection = table.get_item(Key={"pk": f"PORTAL#{message.portal_id}", "sk": f"QBO#{message.realm_id}"},
                                    ConsistentRead=True).get("Item")
        outcome = "skipped: company not connected" if connection is None else "ran"
        table.put_item(Item={"pk": f"PORTAL#{message.portal_id}",
                             "sk": f"JOBRUN#{message.job}#{message.realm_id}", "type": "job_run",
                             **message.model_dump(mode="json"), "finished_at": datetime.now(UTC).isoformat(),
                             "outcome": outcome, "succeeded": True})

    return handle_record


def _libraries_entrypoint(kind: str) -> Any:
    """What a function built from the libraries alone would run: no HubBooks code at all."""
    from aws_lambda_powertools import Logger, Metrics

    logger, metrics = Logger(), Metrics()
    if kind in ("http", "http-raw"):
        from aws_lambda_powertools.event_handler import APIGatewayHttpResolver
        from aws_lambda_powertools.logging import correlation_paths

        app = APIGatewayHttpResolver(enable_validation=kind == "http")

        @app.get(ROUTE)
        def health() -> dict[str, Any]:
            return {"status": "ok"}

        def handle(event: dict[str, Any], context: Any) -> Any:
            return app.resolve(event, context)
        path: str | None = correlation_paths.API_GATEWAY_HTTP
    elif kind in ("sqs-webhook", "sqs-job"):
        from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

        processor = BatchProcessor(event_type=EventType.SQS)
        record_handler = _webhook_record_handler() if kind == "sqs-webhook" else _job_record_handler()

        def handle(event: dict[str, Any], context: Any) -> Any:
            return process_partial_response(event=event, processor=processor, context=context,
                                            record_handler=record_handler)
        path = None
    else:  # the scheduler: the connections query on the app table's gsi1, then nothing to send
        import boto3
        from boto3.dynamodb.conditions import Key

        def handle(event: dict[str, Any], context: Any) -> Any:
            table = boto3.resource("dynamodb").Table(os.environ["APP_TABLE_NAME"])
            boto3.client("sqs")
            answer = table.query(IndexName="gsi1", KeyConditionExpression=Key("gsi1pk").eq("QBOCONN"))
            return {"job": event["job"], "enqueued": len(answer["Items"])}
        path = None
    measured = metrics.log_metrics(capture_cold_start_metric=True)(handle)
    return logger.inject_lambda_context(correlation_id_path=path, clear_state=True)(measured)


def _page_faults() -> int:
    """Minor page faults so far: pages the process touched for the first time, or again after giving them back."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def main() -> None:
    mode, target, kind = sys.argv[1], sys.argv[2], sys.argv[3]
    if mode == "discover":
        discover(target, kind)
        return
    started, started_cpu, started_faults = time.perf_counter(), time.process_time(), _page_faults()
    libraries: dict[str, list[str]] = {"import": [], "first": []}
    if mode == "handler":
        entrypoint = importlib.import_module(target).lambda_handler
    else:
        with open(target) as listing:
            libraries = json.load(listing)
        # The same collector treatment HubBooks gives itself in Lambda (hubbooks/__init__.py pauses it while
        # loading, observability.end_of_loading freezes the startup heap and switches it back on).
        collecting = gc.isenabled()
        gc.disable()
        _import_all(libraries["import"])
        entrypoint = _libraries_entrypoint(kind)  # module-level work of a libraries-only function
        if collecting:
            if os.environ.get("LAMBDA_TASK_ROOT"):
                gc.freeze()
            gc.enable()
    imported, imported_cpu, imported_faults = time.perf_counter(), time.process_time(), _page_faults()
    # The libraries the handler's first call loads (Powertools Parameters for the app secrets, boto3's DynamoDB
    # resource), loaded as a library loads lazily, the collector running.
    _import_all(libraries["first"])
    answer = entrypoint(first_event(kind), Context())
    invoked, invoked_cpu, invoked_faults = time.perf_counter(), time.process_time(), _page_faults()
    if kind.startswith("sqs") and answer.get("batchItemFailures"):
        raise SystemExit(f"the first message failed on the {mode} side: {answer}")
    print(json.dumps({"import": imported - started, "first": invoked - imported,
                      "import_cpu": imported_cpu - started_cpu, "first_cpu": invoked_cpu - imported_cpu,
                      "import_faults": imported_faults - started_faults,
                      "first_faults": invoked_faults - imported_faults}))


if __name__ == "__main__":
    main()
