"""The gateway: template routes -> v2 events -> warm workers, plus SQS event sources and schedules."""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from sandbox.aws.provision import ProvisionedStack
from sandbox.gateway.events import MalformedResponse, build_event, raw_path_and_query, to_http_response
from sandbox.gateway.functions import DEFAULT_POOL_SIZE, FunctionSpec, function_specs
from sandbox.gateway.invoker import Invoker
from sandbox.gateway.routes import Route, match_route, routes_from_template
from sandbox.gateway.scheduler import Scheduler
from sandbox.gateway.sqs import QueuePoller, mapping_from_event, queue_depth
from sandbox.procs import log_line
from sandbox.simkit.http import json_response

CONTROL_PREFIX = "/_gateway/"
# Status codes API Gateway answers when the integration fails rather than the function answering.
_FAILURE_RESPONSES = {
    "error": (500, "Internal Server Error"),
    "crash": (502, "Internal Server Error"),
    "malformed": (502, "Internal Server Error"),
    "timeout": (504, "Endpoint request timed out"),
    "throttled": (429, "Too Many Requests"),
}


class Gateway:
    def __init__(self, template: Mapping[str, Any], stack: ProvisionedStack, *, base_dir: Path, aws_endpoint: str,
                 sqs_client: Any, max_pool_size: int = DEFAULT_POOL_SIZE, pollers_per_queue: int = 2,
                 retry_delay_s: int | None = None, sandbox_environment: Mapping[str, str] | None = None) -> None:
        self.stack = stack
        self.specs: dict[str, FunctionSpec] = function_specs(template, stack, base_dir, aws_endpoint, max_pool_size,
                                                             sandbox_environment)
        self.routes: list[Route] = routes_from_template(template)
        self.invoker = Invoker(self.specs)
        self.scheduler = Scheduler(stack.schedules, self.invoker)
        self._sqs = sqs_client
        self.pollers: list[QueuePoller] = []
        for spec in self.specs.values():
            for event in spec.events.values():
                if event["Type"] == "SQS":
                    mapping = mapping_from_event(spec.name, event["Properties"],
                                                 stack.queue_by_arn(event["Properties"]["Queue"]))
                    if mapping.enabled:
                        self.pollers.append(QueuePoller(mapping, self.invoker, sqs_client,
                                                        pollers=min(pollers_per_queue, spec.pool_size),
                                                        retry_delay_s=retry_delay_s))
        self.description: dict[str, Any] = {}
        self.dependencies: dict[str, str] = {}  # name -> URL that answers when that dependency is up
        self._started = False

    def start(self) -> None:
        for poller in self.pollers:
            poller.start()
        self.scheduler.start()
        self._started = True

    def stop(self) -> None:
        stoppers = [threading.Thread(target=p.stop, daemon=True) for p in self.pollers]
        stoppers.append(threading.Thread(target=self.scheduler.stop, daemon=True))
        for thread in stoppers:
            thread.start()
        # Workers go first so pollers blocked on an invocation return at once.
        self.invoker.close()
        for thread in stoppers:
            thread.join(timeout=15)

    # ------------------------------------------------------------------ HTTP API
    def handle_api(self, request: Request) -> Response:
        raw_path, _ = raw_path_and_query(request)
        match = match_route(self.routes, request.method, raw_path)
        if match is None:
            return json_response({"message": "Not Found"}, status=404)
        event = build_event(request, match, self.stack.api_id)
        request_id = event["requestContext"]["requestId"]
        result = self.invoker.invoke(match.route.function, event, trigger="http", source=match.route.route_key,
                                     request_id=request_id)
        if not result.ok:
            return self._failure(result.outcome, request_id)
        try:
            http = to_http_response(result.result, request_id)
        except MalformedResponse as exc:
            log_line("gateway", f"{match.route.function} answered a malformed response: {exc}")
            return self._failure("malformed", request_id)
        response = Response(http.body, status=http.status)
        response.headers.clear()
        for name, value in http.headers:
            response.headers.add(name, value)
        return response

    @staticmethod
    def _failure(outcome: str, request_id: str) -> Response:
        status, message = _FAILURE_RESPONSES.get(outcome, (500, "Internal Server Error"))
        return json_response({"message": message}, status=status, headers={"apigw-requestid": request_id})

    # ------------------------------------------------------------------ state for the control API
    def queue_depths(self) -> dict[str, dict[str, int]]:
        depths = {}
        for poller in self.pollers:
            depth = queue_depth(self._sqs, poller.mapping.queue)
            depth["delivering"] = poller.in_flight
            depths[poller.mapping.queue.name] = depth
        return depths

    def drain(self, timeout_s: float) -> dict[str, Any]:
        """Wait until every event-source queue is empty and no batch is being delivered."""
        started = time.monotonic()
        deadline = started + timeout_s
        while True:
            depths = self.queue_depths()
            if all(sum(depth.values()) == 0 for depth in depths.values()):
                return {"drained": True, "waited_ms": round((time.monotonic() - started) * 1000), "queues": depths}
            if time.monotonic() >= deadline:
                return {"drained": False, "waited_ms": round((time.monotonic() - started) * 1000), "queues": depths}
            time.sleep(0.1)

    def health(self) -> dict[str, Any]:
        dependencies = {name: _answers(url) for name, url in self.dependencies.items()}
        healthy = self._started and all(dependencies.values())
        return {"status": "ok" if healthy else "degraded", "started": self._started,
                "dependencies": {name: "ok" if up else "down" for name, up in dependencies.items()},
                "functions": self.invoker.pool_stats(), "pollers": len(self.pollers),
                "schedules": len(self.scheduler.schedules)}


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
