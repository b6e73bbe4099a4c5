"""The gateway's own control API under /_gateway/ (the /_sandbox/ prefix belongs to the simulators)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sandbox.gateway.gateway import CONTROL_PREFIX, Gateway
from sandbox.gateway.workers import InvocationResult
from sandbox.simkit.http import BadJson, json_response, read_json

DEFAULT_DRAIN_TIMEOUT_S = 30.0
MAX_DRAIN_TIMEOUT_S = 300.0

_RULES = Map([
    Rule("/_gateway/health", methods=["GET"], endpoint="health"),
    Rule("/_gateway/stack", methods=["GET"], endpoint="stack"),
    Rule("/_gateway/routes", methods=["GET"], endpoint="routes"),
    Rule("/_gateway/functions", methods=["GET"], endpoint="functions"),
    Rule("/_gateway/functions/<name>/invoke", methods=["POST"], endpoint="invoke"),
    Rule("/_gateway/schedules", methods=["GET"], endpoint="schedules"),
    Rule("/_gateway/schedules/<name>/fire", methods=["POST"], endpoint="fire"),
    Rule("/_gateway/invocations", methods=["GET"], endpoint="invocations"),
    Rule("/_gateway/queues", methods=["GET"], endpoint="queues"),
    Rule("/_gateway/queues/drain", methods=["POST"], endpoint="drain"),
])


def _result_json(result: InvocationResult) -> dict[str, Any]:
    return {"status": result.outcome, "request_id": result.request_id, "duration_ms": result.duration_ms,
            "result": result.result, "error": result.error}


class ControlApi:
    def __init__(self, gateway: Gateway) -> None:
        self.gateway = gateway

    def handle(self, request: Request) -> Response:
        try:
            endpoint, args = _RULES.bind_to_environ(request.environ).match()
            return getattr(self, f"_{endpoint}")(request, **args)
        except BadJson as exc:
            return json_response({"message": str(exc)}, status=400)
        except HTTPException as exc:
            return json_response({"message": exc.description}, status=exc.code or 500)

    def _health(self, request: Request) -> Response:
        health = self.gateway.health()
        return json_response(health, status=200 if health["status"] == "ok" else 503)

    def _stack(self, request: Request) -> Response:
        return json_response(self.gateway.description)

    def _routes(self, request: Request) -> Response:
        return json_response({"routes": [{"method": r.method, "path": r.path, "route_key": r.route_key,
                                          "function": r.function, "handler": self.gateway.specs[r.function].handler}
                                         for r in self.gateway.routes]})

    def _functions(self, request: Request) -> Response:
        stats = self.gateway.invoker.pool_stats()
        return json_response({"functions": [
            {"name": spec.name, "handler": spec.handler, "code_dir": str(spec.code_dir),
             "layers": [str(layer) for layer in spec.layer_dirs], "timeout_s": spec.timeout_s,
             "memory_mb": spec.memory_mb, "workers": stats[spec.name],
             "events": {name: event["Type"] for name, event in spec.events.items()}}
            for spec in self.gateway.specs.values()]})

    def _invoke(self, request: Request, name: str) -> Response:
        if name not in self.gateway.specs:
            raise NotFound(f"no function named {name}")
        result = self.gateway.invoker.invoke(name, read_json(request), trigger="direct", source="control-api")
        return json_response({"function": name, **_result_json(result)})

    def _schedules(self, request: Request) -> Response:
        return json_response({"schedules": [s.to_json() for s in self.gateway.scheduler.schedules.values()]})

    def _fire(self, request: Request, name: str) -> Response:
        schedule = self.gateway.scheduler.schedules.get(name)
        if schedule is None:
            raise NotFound(f"no schedule named {name}; see GET /_gateway/schedules")
        result = self.gateway.scheduler.fire(name, trigger="schedule")
        return json_response({"schedule": name, "function": schedule.info.function, "payload": schedule.payload(),
                              **_result_json(result)})

    def _invocations(self, request: Request) -> Response:
        try:
            limit = int(request.args.get("limit", "100"))
        except ValueError:
            return json_response({"message": "limit must be a number"}, status=400)
        records = self.gateway.invoker.invocations(request.args.get("function"), request.args.get("trigger"), limit)
        return json_response({"invocations": [asdict(record) for record in records]})

    def _queues(self, request: Request) -> Response:
        return json_response({"queues": self.gateway.queue_depths()})

    def _drain(self, request: Request) -> Response:
        body = read_json(request)
        try:
            timeout = min(float(body.get("timeout", DEFAULT_DRAIN_TIMEOUT_S)), MAX_DRAIN_TIMEOUT_S)
        except (TypeError, ValueError, AttributeError):
            return json_response({"message": "timeout must be a number of seconds"}, status=400)
        outcome = self.gateway.drain(timeout)
        return json_response(outcome, status=200 if outcome["drained"] else 504)


class GatewayApp:
    """The WSGI app on the gateway port; answers 503 until the stack behind it is ready."""

    def __init__(self) -> None:
        self.gateway: Gateway | None = None
        self._control: ControlApi | None = None

    def attach(self, gateway: Gateway) -> None:
        self._control = ControlApi(gateway)
        self.gateway = gateway

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        if self.gateway is None or self._control is None:
            response = json_response({"message": "the sandbox is starting", "status": "starting"}, status=503)
        elif request.path.startswith(CONTROL_PREFIX):
            response = self._control.handle(request)
        else:
            response = self.gateway.handle_api(request)
        return response(environ, start_response)
