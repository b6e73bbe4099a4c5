"""One cold start in a fresh interpreter, run by benchmarks/cold_start.py: never imported by anything else.

    python cold_start_probe.py discover <handler module>
    python cold_start_probe.py handler <handler module> <first event kind>
    python cold_start_probe.py libraries <module list file> <first event kind>

`discover` prints the modules a handler's import loads that are not HubBooks' own (the libraries it needs, stdlib
included) in load order. `handler` imports the handler and invokes it once; `libraries` imports exactly those modules
and does the same first invocation with the libraries alone: the same Powertools logger and metrics decorators around
a Powertools resolver with one route, a batch processor, or the scheduler's DynamoDB query. Prints one JSON line of
seconds, wall clock and this process's CPU time: {"import": ..., "first": ..., "import_cpu": ..., "first_cpu": ...}.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import sys
import time
from typing import Any

ROUTE = "/health"


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
    if kind == "sqs":  # a message no worker accepts: parsed, refused, reported as a batch item failure
        return {"Records": [{"messageId": "probe-1", "receiptHandle": "r", "body": "{}", "attributes": {},
                             "messageAttributes": {}, "md5OfBody": "", "eventSource": "aws:sqs",
                             "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:probe", "awsRegion": "us-east-1"}]}
    if kind == "schedule":
        return {"job": "overdue_check"}
    raise SystemExit(f"unknown event kind {kind}")


def _own_module(module: Any, own_roots: tuple[str, ...]) -> bool:
    path = getattr(module, "__file__", None) or ""
    return bool(path) and path.startswith(own_roots)


def discover(handler_module: str) -> None:
    own_roots = tuple(os.environ["PROBE_OWN_ROOTS"].split(os.pathsep))
    before = set(sys.modules)
    importlib.import_module(handler_module)
    names = [name for name, module in list(sys.modules.items())
             if name not in before and not _own_module(module, own_roots)]
    print(json.dumps(names))


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
    elif kind == "sqs":
        from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
        from pydantic import BaseModel

        class Message(BaseModel):
            source: str
            event_id: str

        processor = BatchProcessor(event_type=EventType.SQS)

        def handle(event: dict[str, Any], context: Any) -> Any:
            return process_partial_response(event=event, processor=processor, context=context,
                                            record_handler=lambda record: Message.model_validate_json(record.body))
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


def main() -> None:
    mode, target = sys.argv[1], sys.argv[2]
    if mode == "discover":
        discover(target)
        return
    kind = sys.argv[3]
    started, started_cpu = time.perf_counter(), time.process_time()
    if mode == "handler":
        entrypoint = importlib.import_module(target).lambda_handler
    else:
        # The same collector treatment HubBooks gives itself in Lambda (hubbooks/__init__.py pauses it while
        # loading, observability.end_of_loading freezes the startup heap and switches it back on): a fair baseline.
        pause_gc = bool(os.environ.get("LAMBDA_TASK_ROOT")) and gc.isenabled()
        if pause_gc:
            gc.disable()
        with open(target) as listing:
            for name in json.load(listing):
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: S112 - aliases some packages register under other names
                    continue
        entrypoint = _libraries_entrypoint(kind)  # module-level work of a libraries-only function
        if pause_gc:
            gc.freeze()
            gc.enable()
    imported, imported_cpu = time.perf_counter(), time.process_time()
    try:
        entrypoint(first_event(kind), Context())
    except Exception as error:  # a batch whose every record fails ends in BatchProcessingError, for both sides alike
        if kind != "sqs" or type(error).__name__ != "BatchProcessingError":
            raise
    invoked, invoked_cpu = time.perf_counter(), time.process_time()
    print(json.dumps({"import": imported - started, "first": invoked - imported,
                      "import_cpu": imported_cpu - started_cpu, "first_cpu": invoked_cpu - imported_cpu}))


if __name__ == "__main__":
    main()
