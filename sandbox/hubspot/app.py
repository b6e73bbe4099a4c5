"""The simulator's WSGI app: routing, auth, limits, faults, stats and optional OpenAPI checking around handlers."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sandbox.hubspot import (
    account,
    associations,
    batch,
    control,
    oauth,
    objects,
    owners,
    properties,
    search,
)
from sandbox.hubspot.crm import Crm, CrmEvent, Origin, acting_as
from sandbox.hubspot.errors import HubSpotError
from sandbox.hubspot.fetch import CardFetcher
from sandbox.hubspot.limits import ApiLimits, rate_limited
from sandbox.hubspot.openapi_contract import shared_contract
from sandbox.hubspot.routing import Ctx, Route
from sandbox.hubspot.state import Portal, State
from sandbox.hubspot.violations import ContractCheck
from sandbox.hubspot.webhooks import WebhookDispatcher
from sandbox.simkit.clock import SimClock
from sandbox.simkit.faults import FaultInjector
from sandbox.simkit.http import BadJson, json_response
from sandbox.simkit.stats import RequestStats

StartResponse = Callable[..., Any]
MAX_VIOLATIONS = 10_000


class Simulator:
    """A WSGI callable with its state attached, so tests and the sandbox can reach in directly."""

    def __init__(self, clock: SimClock | None = None, validate_openapi: bool = False,
                 specs_dir: str | None = None, webhook_worker: bool = True) -> None:
        self.clock = clock or SimClock()
        self.state = State()
        self.webhooks = WebhookDispatcher(self.state, self.clock)
        self.crm = Crm(self.state, self.clock, self._on_event)
        self.oauth = oauth.OAuthService(self.state, self.clock)
        self.fetcher = CardFetcher(self.state, self.clock)
        self.limits = ApiLimits(self.clock)
        self.faults = FaultInjector()
        self.stats = RequestStats()
        self.contract: ContractCheck | None = shared_contract(specs_dir) if validate_openapi else None
        self._violations: list[dict[str, Any]] = []
        self._violations_lock = threading.Lock()
        self.routes: list[Route] = [*control.routes(), *oauth.routes(), *account.routes(), *search.routes(),
                                    *batch.routes(), *properties.routes(), *associations.routes(),
                                    *objects.routes(), *owners.routes()]
        self.url_map = Map([Rule(r.path, endpoint=i, methods=list(r.methods), defaults=r.defaults or None)
                            for i, r in enumerate(self.routes)], strict_slashes=False, merge_slashes=False)
        if webhook_worker:
            self.webhooks.start()

    # ---- helpers used by handlers -------------------------------------------------------------------------------

    def _on_event(self, event: CrmEvent) -> None:
        self.webhooks.on_event(event)

    def new_portal(self, company_currency: str, additional_currencies: Iterable[str] = (),
                   time_zone: str = "US/Eastern", ui_domain: str = "app.hubspot.com",
                   data_hosting_location: str = "na1") -> Portal:
        return self.state.add_portal(company_currency, list(additional_currencies), time_zone, ui_domain,
                                     data_hosting_location, int(self.clock.now() * 1000))

    def violations(self) -> list[dict[str, Any]]:
        with self._violations_lock:
            return list(self._violations)

    def clear_violations(self) -> None:
        with self._violations_lock:
            self._violations.clear()

    def reset(self) -> None:
        """Forget every app, portal, token and record (the clock keeps its offset; it only moves forward)."""
        fresh = State()
        self.state = fresh
        for component in (self.webhooks, self.crm, self.oauth, self.fetcher):
            component.state = fresh
        self.webhooks.clear()
        self.faults.clear()
        self.stats.reset()
        self.limits = ApiLimits(self.clock)
        self.clear_violations()

    def close(self) -> None:
        self.webhooks.stop()

    # ---- request pipeline ---------------------------------------------------------------------------------------

    def _authenticate(self, ctx: Ctx) -> None:
        header = ctx.request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            raise HubSpotError(401, "INVALID_AUTHENTICATION",
                               "Authentication credentials not found. This API supports OAuth 2.0 authentication "
                               "and you can find more details at https://developers.hubspot.com/docs/methods/auth/"
                               "oauth-overview")
        value = header[7:].strip()
        with self.state.lock:
            token = self.state.access_tokens.get(value)
        if token is None or token.revoked:
            raise HubSpotError(401, "INVALID_AUTHENTICATION", "The OAuth token used to make this call is invalid.")
        now = self.clock.now()
        if token.expires_at is not None and token.expires_at <= now:
            minutes = int((now - token.expires_at) // 60)
            raise HubSpotError(401, "EXPIRED_AUTHENTICATION",
                               f"The OAuth token used to make this call expired {minutes} minute(s) ago.")
        ctx.token = token
        ctx.portal = self.state.portals[token.portal_id]

    def _dispatch(self, request: Request) -> tuple[Response, Route | None, Ctx | None]:
        adapter = self.url_map.bind_to_environ(request.environ)
        try:
            index, args = adapter.match()
        except NotFound:
            err = HubSpotError(404, "OBJECT_NOT_FOUND", "resource not found")
            return json_response(err.body(), status=404), None, None
        except MethodNotAllowed:
            err = HubSpotError(405, "VALIDATION_ERROR", f"{request.method} is not allowed here")
            return json_response(err.body(), status=405), None, None
        route = self.routes[int(index)]
        ctx = Ctx(sim=self, request=request)
        extra_headers: dict[str, str] = {}
        try:
            if route.kind != "control":
                status = self.faults.check(request.path, request.method)
                if status is not None:
                    raise self._fault_error(status)
            if route.auth:
                self._authenticate(ctx)
                assert ctx.token is not None
                extra_headers = self.limits.check(route.kind, ctx.token.portal_id, ctx.token.app_id)
            if route.kind != "control":
                self.stats.record(f"{request.method} {route.path}",
                                  str(ctx.portal.portal_id) if ctx.portal else None)
            with acting_as(_origin_of(ctx)):
                response = route.handler(ctx, **args)
            if route.kind != "control" and self.faults.lose_answer(request.path, request.method):
                raise self._fault_error(504)  # done, but the caller never hears of it
        except HubSpotError as exc:
            response = json_response(exc.body(), status=exc.status, headers=exc.headers)
        except BadJson as exc:
            err = HubSpotError(400, "VALIDATION_ERROR", f"Invalid input JSON on line 1: {exc}")
            response = json_response(err.body(), status=400)
        for name, value in extra_headers.items():
            response.headers.setdefault(name, value)
        return response, route, ctx

    def _fault_error(self, status: int) -> HubSpotError:
        if status == 429:
            return rate_limited("You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING", 1,
                                self.limits.retry_after)
        category = "INTERNAL_ERROR" if status >= 500 else "VALIDATION_ERROR"
        return HubSpotError(status, category, f"Injected fault: HTTP {status}")

    def _check_contract(self, request: Request, response: Response) -> None:
        if self.contract is None or request.path.startswith("/_sandbox/"):
            return
        body = request.get_data(cache=True)
        found = self.contract.validate_request(request.method, request.path, request.query_string.decode(),
                                               dict(request.headers), body, request.content_type)
        found += self.contract.validate_response(request.method, request.path, response.status_code,
                                                 response.content_type, response.get_data())
        if found:
            with self._violations_lock:
                room = MAX_VIOLATIONS - len(self._violations)
                self._violations.extend(v.to_json() for v in found[:max(room, 0)])

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        request = Request(environ)
        request.get_data(cache=True)  # read once so both the handler and the contract check see the body
        response, _, _ = self._dispatch(request)
        self._check_contract(request, response)
        return response(environ, start_response)


def _origin_of(ctx: Ctx) -> Origin:
    """An app's token writes as INTEGRATION with the app's id (what webhooks report); a private token as API."""
    if ctx.token is not None and ctx.token.app_id is not None:
        return Origin("INTEGRATION", str(ctx.token.app_id))
    return Origin("API", None)


def create_app(validate_openapi: bool = False, clock: SimClock | None = None, specs_dir: str | None = None,
               webhook_worker: bool = True) -> Simulator:
    return Simulator(clock=clock, validate_openapi=validate_openapi, specs_dir=specs_dir,
                     webhook_worker=webhook_worker)
