"""The WSGI application: routing, Intuit response headers, auth, limits, replay, and the /_sandbox control API."""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sandbox.qbo import batch, cdc, control, pdf, query
from sandbox.qbo.company import Company, Replay
from sandbox.qbo.entities import EntityKind, kind_by_url
from sandbox.qbo.faults import (
    QboFault,
    authentication_body,
    forbidden_realm,
    throttled,
    unsupported,
    wrong_environment,
)
from sandbox.qbo.oauth import OAuthError, OAuthServer
from sandbox.qbo.service import Accounting
from sandbox.qbo.state import SimState
from sandbox.qbo.timefmt import envelope_time
from sandbox.qbo.webhooks import WebhookDispatcher
from sandbox.simkit.clock import SimClock
from sandbox.simkit.http import BadJson, read_json

QBO_VERSION = "1944.190"
JSON_TYPE = "application/json;charset=utf-8"
MIN_MINOR_VERSION = 75

URL_MAP = Map([
    Rule("/connect/oauth2", endpoint="consent", methods=["GET", "POST"]),
    Rule("/oauth2/v1/tokens/bearer", endpoint="token", methods=["POST"]),
    Rule("/v2/oauth2/tokens/revoke", endpoint="revoke", methods=["POST"]),
    Rule("/.well-known/openid_sandbox_configuration/", endpoint="discovery", methods=["GET"]),
    Rule("/.well-known/openid_configuration/", endpoint="discovery", methods=["GET"]),
    Rule("/op/v1/jwks", endpoint="jwks", methods=["GET"]),
    Rule("/v1/openid_connect/userinfo", endpoint="userinfo", methods=["GET"]),
    Rule("/v3/company/<realm>/query", endpoint="query", methods=["GET", "POST"]),
    Rule("/v3/company/<realm>/batch", endpoint="batch", methods=["POST"]),
    Rule("/v3/company/<realm>/cdc", endpoint="cdc", methods=["GET"]),
    Rule("/v3/company/<realm>/<entity>", endpoint="entity_post", methods=["POST"]),
    Rule("/v3/company/<realm>/<entity>", endpoint="entity_get_singleton", methods=["GET"]),
    Rule("/v3/company/<realm>/<entity>/<entity_id>", endpoint="entity_get", methods=["GET"]),
    Rule("/v3/company/<realm>/<entity>/<entity_id>/pdf", endpoint="entity_pdf", methods=["GET"]),
    Rule("/v3/company/<realm>/<entity>/<entity_id>/send", endpoint="entity_send", methods=["POST"]),
    *control.RULES,
], strict_slashes=False)


def new_tid() -> str:
    return f"1-{int(time.time()):08x}-{secrets.token_hex(12)}"


PRODUCTION = "production"
SANDBOX = "sandbox"


class QboSimulator:
    """The WSGI callable; `state` is public so tests and the sandbox orchestrator can reach in.

    Each instance plays one Intuit API host. `environment="production"` (the default) is
    quickbooks.api.intuit.com: its `/v3` serves production companies only. `sandbox_host()` returns a second WSGI app
    over the same state playing sandbox-quickbooks.api.intuit.com, whose `/v3` serves sandbox companies only. A
    company on the wrong host answers 403 fault 3100 (`wrong_environment`). OAuth and `/_sandbox` are the same on both.
    """

    def __init__(self, state: SimState, environment: str = PRODUCTION, *, shared: QboSimulator | None = None) -> None:
        if environment not in (PRODUCTION, SANDBOX):
            raise ValueError(f"environment must be {PRODUCTION!r} or {SANDBOX!r}")
        self.state = state
        self.environment = environment
        self._owner = shared is None
        if shared is None:
            self.oauth = OAuthServer(state)
            self.service = Accounting(state)
            self.webhooks = WebhookDispatcher(state)
        else:
            # One webhook worker and one OAuth server per state, however many hosts serve it.
            self.oauth, self.service, self.webhooks = shared.oauth, shared.service, shared.webhooks

    def sandbox_host(self) -> QboSimulator:
        """The sandbox API host (sandbox-quickbooks.api.intuit.com) over this simulator's state."""
        return QboSimulator(self.state, SANDBOX, shared=self)

    def production_host(self) -> QboSimulator:
        """The production API host (quickbooks.api.intuit.com) over this simulator's state."""
        return self if self.environment == PRODUCTION else QboSimulator(self.state, PRODUCTION, shared=self)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def close(self) -> None:
        if self._owner:
            self.webhooks.close()

    # -- dispatch -------------------------------------------------------------------------------------------------
    def dispatch(self, request: Request) -> Response:
        tid = new_tid()
        adapter = URL_MAP.bind_to_environ(request.environ)
        args: dict[str, str]
        try:
            endpoint, matched = adapter.match()
            args = {key: str(value) for key, value in matched.items()}
        except NotFound:
            response = self._not_found(request)
            endpoint, args = "unknown", {}
        except HTTPException as exc:
            response = exc.get_response(request.environ)
            endpoint, args = "unknown", {}
        else:
            rule = adapter.match(return_rule=True)[0].rule
            if endpoint.startswith("control_"):
                response = control.handle(self, endpoint, request, args)
            else:
                self.state.stats.record(f"{request.method} {rule}", args.get("realm"))
                if endpoint.startswith(("query", "batch", "cdc", "entity_")):
                    response = self._accounting(endpoint, request, args)
                else:
                    response = self._oauth(endpoint, request)
        if not request.path.startswith("/_sandbox"):
            response.headers["intuit_tid"] = tid
            response.headers["Intuit-Tid"] = tid
        return response

    def _not_found(self, request: Request) -> Response:
        if request.path.startswith("/v3/"):
            fault = unsupported(f"Operation {request.path} is not supported.")
            return self._fault_response(fault, None)
        return Response("Not Found", status=404, content_type="text/plain")

    # -- OAuth ----------------------------------------------------------------------------------------------------
    def _oauth(self, endpoint: str, request: Request) -> Response:
        injected = self.state.faults.check(request.path, request.method)
        if injected:
            return _json({"error": "server_error"} if injected >= 500 else {"error": "temporarily_unavailable"},
                         injected, "application/json;charset=UTF-8")
        base = request.host_url.rstrip("/")
        try:
            if endpoint == "consent":
                if request.method == "GET":
                    return self.oauth.consent_page(request)
                return self.oauth.consent_submit(request)
            if endpoint == "token":
                return _json(self.oauth.token(request), 200, "application/json;charset=UTF-8",
                             {"Cache-Control": "no-cache, no-store", "Pragma": "no-cache"})
            if endpoint == "revoke":
                self.oauth.revoke(request)
                return Response("", status=200)
            if endpoint == "discovery":
                return _json(self.oauth.discovery(base), 200, "application/json;charset=UTF-8")
            if endpoint == "jwks":
                return _json(self.oauth.jwks(), 200, "application/json;charset=UTF-8")
            status, body = self.oauth.userinfo(request)
            return _json(body, status, "application/json;charset=UTF-8")
        except OAuthError as exc:
            headers = {"WWW-Authenticate": 'Basic realm="Intuit"'} if exc.status == 401 else None
            return _json(exc.body, exc.status, "application/json;charset=UTF-8", headers)

    # -- Accounting API -------------------------------------------------------------------------------------------
    def _fault_response(self, fault: QboFault, company: Company | None) -> Response:
        body = {"Fault": fault.fault(), "time": self._time(company)}
        headers = {"Retry-After": "60"} if fault.status == 429 and self.state.config.throttle_retry_after else None
        return _json(body, fault.status, JSON_TYPE, headers)

    def _time(self, company: Company | None) -> str:
        now = self.state.clock.now()
        if company is not None:
            return envelope_time(now, company.zone)
        from zoneinfo import ZoneInfo
        return envelope_time(now, ZoneInfo("America/Los_Angeles"))

    def _accounting(self, endpoint: str, request: Request, args: dict[str, str]) -> Response:
        realm = args["realm"]
        check = self.oauth.check_access(request.headers.get("Authorization", ""))
        if check.grant is None:
            body = authentication_body(check.detail, int(self.state.clock.now() * 1000))
            return _json(body, 401, JSON_TYPE, {"WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"'})
        company = self.state.companies.get(realm)
        if check.grant.realm_id != realm or company is None or \
                "com.intuit.quickbooks.accounting" not in check.grant.scopes:
            return self._fault_response(forbidden_realm(), company)
        if company.sandbox != (self.environment == SANDBOX):
            # Intuit serves sandbox companies only from its sandbox host and production ones only from production.
            return self._fault_response(wrong_environment(), company)
        # api-facts Q9: 500/min per realm, 10/s per realm + app; Q5: batch 40/min per realm + app, 120/min per realm.
        app_key = f"{realm}:{check.grant.client_id}"
        per_second = self.state.config.rate_limit_per_second > 0
        if self.state.rate_limiter.try_acquire(realm) is not None or \
                (per_second and self.state.second_limiter.try_acquire(app_key) is not None):
            return self._fault_response(throttled(), company)
        if endpoint == "batch" and (self.state.batch_app_limiter.try_acquire(app_key) is not None
                                    or self.state.batch_realm_limiter.try_acquire(realm) is not None):
            return self._fault_response(throttled(), company)
        concurrency = self.state.concurrency
        if not concurrency.acquire(realm):
            return self._fault_response(throttled(), company)
        try:
            injected = self.state.faults.check(request.path, request.method)
            if injected:
                return self._injected(injected, company)
            response = self._replayable(endpoint, request, args, company)
            if self.state.faults.lose_answer(request.path, request.method):
                return self._injected(504, company)  # done, but the caller never hears of it
            return response
        finally:
            concurrency.release(realm)

    def _injected(self, status: int, company: Company) -> Response:
        if status == 429:
            return self._fault_response(throttled(), company)
        if status == 401:
            return _json(authentication_body("Token expired: injected", int(self.state.clock.now() * 1000)), 401,
                         JSON_TYPE, {"WWW-Authenticate": 'Bearer realm="Intuit", error="invalid_token"'})
        fault = QboFault("10000", "An application error has occurred while processing your request",
                         "System Failure Error: An unexpected error occurred while accessing or saving your data.",
                         status=status, fault_type="SystemFault")
        return self._fault_response(fault, company)

    def _replayable(self, endpoint: str, request: Request, args: dict[str, str], company: Company) -> Response:
        request_id = request.args.get("requestid")
        if request_id is None or endpoint == "entity_send":
            return self._route(endpoint, request, args, company, request_id)
        if len(request_id) > 50:
            return self._fault_response(QboFault(
                "6000", "A business validation error has occurred while processing your request",
                "Business Validation Error: You cannot enter more than 50 characters in the request_id field"),
                company)
        with self.state.lock:
            seen = company.replays.get(request_id)
        if seen is not None:
            return Response(seen.body, status=seen.status, content_type=seen.content_type,
                            headers={"Qbo-Version": QBO_VERSION})
        response = self._route(endpoint, request, args, company, request_id)
        with self.state.lock:
            company.replays.setdefault(request_id, Replay(response.status_code, response.get_data(),
                                                          response.content_type or JSON_TYPE))
        return response

    def _route(self, endpoint: str, request: Request, args: dict[str, str], company: Company,
               request_id: str | None) -> Response:
        try:
            response = self._handle(endpoint, request, args, company, request_id)
        except QboFault as fault:
            response = self._fault_response(fault, company)
        response.headers["Qbo-Version"] = QBO_VERSION
        return response

    def _kind(self, segment: str) -> EntityKind:
        kind = kind_by_url(segment)
        if kind is None:
            raise unsupported(f"Operation {segment} is not supported.")
        return kind

    def _ok(self, payload: dict[str, Any], company: Company) -> Response:
        payload["time"] = self._time(company)
        return _json(payload, 200, JSON_TYPE)

    def _handle(self, endpoint: str, request: Request, args: dict[str, str], company: Company,
                request_id: str | None) -> Response:
        options = {o.strip().lower() for o in request.args.get("include", "").split(",") if o.strip()}
        minor = request.args.get("minorversion", "")
        # Every minor version below 75 is served as 75 (Intuit, 2025-08-01); nothing above 75 differs here.
        _ = max(int(minor), MIN_MINOR_VERSION) if minor.isdigit() else MIN_MINOR_VERSION
        if endpoint == "query":
            text = request.args.get("query") if request.method == "GET" else request.get_data(as_text=True)
            text = text or request.args.get("query") or ""
            with self.state.lock:
                return self._ok({"QueryResponse": query.execute(company, text)}, company)
        if endpoint == "cdc":
            with self.state.lock:
                result = cdc.changes(company, request.args.get("entities"), request.args.get("changedSince"),
                                     self.state.clock.now())
            return self._ok({"CDCResponse": [result]}, company)
        if endpoint == "batch":
            body = self._body(request)
            return self._ok({"BatchItemResponse": batch.run(self.service, company, body, request_id)}, company)
        kind = self._kind(args["entity"])
        if endpoint == "entity_get_singleton":
            if not kind.singleton:
                raise unsupported(f"Operation GET {kind.url_name} without an Id is not supported.")
            return self._ok({kind.name: self.service.read(company, kind, "")}, company)
        if endpoint == "entity_get":
            return self._ok({kind.name: self.service.read(company, kind, args["entity_id"])}, company)
        if endpoint == "entity_pdf":
            if not kind.printable:
                raise unsupported(f"Operation pdf is not supported for {kind.name}.")
            entity = self.service.read(company, kind, args["entity_id"])
            return Response(pdf.render(company, kind.name, entity), status=200, content_type="application/pdf")
        if endpoint == "entity_send":
            send_to = request.args.get("sendTo")
            return self._ok({kind.name: self.service.send(company, kind, args["entity_id"], send_to)}, company)
        body = self._body(request)
        operation = request.args.get("operation", "").lower()
        if operation == "delete":
            return self._ok({kind.name: self.service.delete(company, kind, body)}, company)
        if operation == "void" or (operation == "update" and "void" in options):
            return self._ok({kind.name: self.service.void(company, kind, body)}, company)
        if operation == "update":
            if not isinstance(body, dict):
                raise QboFault("2010", "Request has invalid or unsupported property", "Unable to parse the body")
            return self._ok({kind.name: self.service.update(company, kind, body, options)}, company)
        if operation:
            raise unsupported(f"Operation {operation} is not supported.")
        return self._ok({kind.name: self.service.save(company, kind, body, options)}, company)

    @staticmethod
    def _body(request: Request) -> Any:
        try:
            return read_json(request)
        except BadJson as exc:
            raise QboFault("2010", "Request has invalid or unsupported property",
                           f"Unable to parse the request body: {exc}") from exc


def _json(data: Any, status: int, content_type: str, headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(data, separators=(",", ":")), status=status, content_type=content_type)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def create_app(state: SimState | None = None, clock: SimClock | None = None) -> QboSimulator:
    """Build the simulator; the returned object is the WSGI app for the production host and carries `.state`.
    `app.sandbox_host()` is the sandbox host's WSGI app over the same state."""
    return QboSimulator(state or SimState(clock=clock))
